/* Strings for humans: escaped for terminals, quoted for shells. */
#ifndef FF_QUOTE_H
#define FF_QUOTE_H
#include <stddef.h>
#include <stdio.h>

/* A name or path: control bytes, C1 controls and invalid UTF-8 as \n, \t,
 * \r or \xNN; backslashes doubled so an escape is never ambiguous. */
void ff_quote_text(FILE *f, const char *s);
/* One argument as a shell reads it back: bare when safe, '...' otherwise,
 * $'...' when it holds bytes that must not reach a terminal. */
void ff_quote_arg(FILE *f, const char *s);
/* argv quoted, separated by spaces. */
void ff_quote_cmd(FILE *f, char *const *argv, size_t argc);

#endif
