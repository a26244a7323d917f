/* `fifuzz show`: a trace printed for humans, one decision a line, or as
 * one JSON object. */
#ifndef FF_SHOW_H
#define FF_SHOW_H
#include <stdio.h>

#include "core/trace/trace.h"

/* Prints t (read from the file called name) to out, as text or, if json,
 * as one JSON object and a newline. Returns 0 or -EIO if out failed. */
int ff_show(const struct ff_trace *t, const char *name, FILE *out, int json);

#endif
