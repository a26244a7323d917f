#include "core/oracle.h"

int ff_oracle_verdict(const struct ff_outcome *o, int child_crash_sig)
{
	switch (o->kind) {
	case FF_OUT_SIGNALED:
		return FF_V_CRASH; /* the program died by a signal fifuzz did not send */
	case FF_OUT_HANG:
		return FF_V_HANG;
	case FF_OUT_CUT: /* fifuzz killed the tree at the cut: only other crashes count */
	case FF_OUT_EXITED:
		/* A non-zero exit after a fault is the program reporting it: correct. */
		return child_crash_sig ? FF_V_CRASH : FF_V_PASS;
	default:
		return FF_V_UNKNOWN;
	}
}
