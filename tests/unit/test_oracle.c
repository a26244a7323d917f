/* Oracles: verdicts from outcomes, and the judge's file-based checks. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/campaign/judge.h"
#include "core/oracle.h"

Test(oracle, verdicts_from_outcomes)
{
	struct ff_outcome exit0 = {.kind = FF_OUT_EXITED, .code = 0}, exit1 = {.kind = FF_OUT_EXITED, .code = 1};
	struct ff_outcome segv = {.kind = FF_OUT_SIGNALED, .code = SIGSEGV}, hang = {.kind = FF_OUT_HANG};
	struct ff_outcome intr = {.kind = FF_OUT_INTERRUPTED, .code = SIGINT};
	struct ff_outcome cut = {.kind = FF_OUT_CUT}, lost = {.kind = FF_OUT_TRACE_ERROR};
	cr_assert_eq(ff_oracle_verdict(&exit0, 0), FF_V_PASS);
	cr_assert_eq(ff_oracle_verdict(&exit1, 0), FF_V_PASS, "a non-zero exit reports the fault: correct");
	cr_assert_eq(ff_oracle_verdict(&exit0, SIGABRT), FF_V_CRASH, "a child's crash is a crash");
	cr_assert_eq(ff_oracle_verdict(&segv, 0), FF_V_CRASH);
	cr_assert_eq(ff_oracle_verdict(&hang, 0), FF_V_HANG);
	cr_assert_eq(ff_oracle_verdict(&intr, 0), FF_V_UNKNOWN);
	cr_assert_eq(ff_oracle_verdict(&cut, 0), FF_V_PASS, "fifuzz's own kill at a power cut is no crash");
	cr_assert_eq(ff_oracle_verdict(&cut, SIGSEGV), FF_V_CRASH, "a child that crashed before the cut is");
	cr_assert_eq(ff_oracle_verdict(&lost, 0), FF_V_UNKNOWN);
}

static char *temp_with(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/fifuzz-oracle.XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(oracle, sanitizer_reports_are_recognized)
{
	const char *yes[] = {
	    "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010\n",
	    "x.c:5:3: runtime error: signed integer overflow: 2147483647 + 1\n",
	    "==9==ERROR: LeakSanitizer: detected memory leaks\n",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		char *p = temp_with(yes[i]);
		bool hit = ff_judge_sanitizer(p);
		printf("%s -> %d\n", yes[i], hit);
		cr_assert(hit);
		unlink(p);
	}
	char *p = temp_with("write failed: Input/output error\nan error: but not a sanitizer\n");
	cr_assert(!ff_judge_sanitizer(p));
	unlink(p);
	cr_assert(!ff_judge_sanitizer(NULL));
	cr_assert(!ff_judge_sanitizer("/nonexistent/stderr"));
}
