/* Oracles: what counts as a failure. One place judges every run, so later
 * oracles (silent corruption against a baseline, --check CMD, sanitizer
 * reports) plug in here. */
#ifndef FF_ORACLE_H
#define FF_ORACLE_H
#include "core/trace/trace.h"

/* Judges an outcome. child_crash_sig: a crash signal that killed another
 * process of the tree (0 if none). Returns an enum ff_verdict. */
int ff_oracle_verdict(const struct ff_outcome *o, int child_crash_sig);

#endif
