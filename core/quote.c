/* Showing strings from programs and traces to humans: escaped so that they
 * cannot drive a terminal, and quoted so that a shell reads them back. The
 * one place that decides how a command line is printed (show, replay and
 * minimize hints, bug READMEs). */
#include "core/quote.h"

#include <stdint.h>
#include <string.h>

#include "core/json.h"

/* Returns 1 if byte sequence at s must be escaped in text output (and sets
 * *n to its length): control characters, DEL, C1 controls, invalid UTF-8. */
static int needs_escape(const char *s, size_t *n)
{
	uint32_t cp;
	*n = ff_utf8_seq(s, &cp);
	if (!*n) {
		*n = 1;
		return 1;
	}
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Writes the escape of the n bytes at s: \n, \t, \r, or \xNN each. */
static void put_escape(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

/* Prints a name or path from the trace; backslashes are doubled so an
 * escape cannot be confused with the same characters in the name. */
void ff_quote_text(FILE *f, const char *s)
{
	size_t n;
	for (; *s; s += n) {
		if (needs_escape(s, &n))
			put_escape(f, s, n);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fwrite(s, 1, n, f);
	}
}

static int shell_safe(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%", *s))
			return 0;
	return 1;
}

/* Prints an argument so a shell would read it back: bare when safe,
 * '...' otherwise, and $'...' (whose escapes a shell understands) when it
 * holds bytes that must not reach the terminal. */
void ff_quote_arg(FILE *f, const char *s)
{
	size_t n;
	int dollar = 0;
	if (shell_safe(s)) {
		fputs(s, f);
		return;
	}
	for (const char *p = s; *p; p += n)
		dollar |= needs_escape(p, &n);
	fputs(dollar ? "$'" : "'", f);
	for (; *s; s += n) {
		if (needs_escape(s, &n))
			put_escape(f, s, n);
		else if (*s == '\'')
			fputs(dollar ? "\\'" : "'\\''", f);
		else if (*s == '\\' && dollar)
			fputs("\\\\", f);
		else
			fwrite(s, 1, n, f);
	}
	putc('\'', f);
}

void ff_quote_cmd(FILE *f, char *const *argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++) {
		if (i)
			fputc(' ', f);
		ff_quote_arg(f, argv[i]);
	}
}
