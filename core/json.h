/* Minimal JSON output helpers: strings and arrays of strings, escaped so
 * that any byte sequence yields valid JSON. */
#ifndef FF_JSON_H
#define FF_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes s as a quoted JSON string (null for NULL). Control characters,
 * DEL, U+2028 and U+2029 become \uXXXX; a byte that is not part of valid
 * UTF-8 becomes \u00XX of the byte. */
void ff_json_str(FILE *f, const char *s);
/* Writes a JSON array of the n strings of v. */
void ff_json_strv(FILE *f, char *const *v, size_t n);

/* Returns the length (1-4) of the valid UTF-8 sequence at s and stores its
 * code point in *cp, or returns 0 if s does not start one (NUL ends s). */
size_t ff_utf8_seq(const char *s, uint32_t *cp);

#endif
