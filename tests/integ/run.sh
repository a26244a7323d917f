#!/bin/sh
# Runs the integration cases listed in tests/integ/cases.txt against ./fifuzz.
#
#   sh tests/integ/run.sh [CASE...]      (no CASE: every case)
#
# Each line of cases.txt is "NAME FUNCTION ARGS...": FUNCTION is a shell
# function of cases.sh, run in a fresh temporary directory under a time cap
# (FF_INTEG_CAP seconds, default 120; a line whose ARGS start with cap=N
# gives that case N times FF_INTEG_CAP/120 seconds). A case exits 0 (pass, with one line of
# what it observed in $M/.note if it likes), 77 (skip, the reason in $M/.why)
# or anything else (fail, the explanation in $M/.why).
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" per case and ends
# with "N passed, N failed[, N skipped]"; exits 1 if any case failed.
set -u

INTEG=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$INTEG/../.." && pwd)
FIFUZZ=${FIFUZZ:-$ROOT/fifuzz}
BIN=$INTEG/bin
CAP=${FF_INTEG_CAP:-120}
# The real interpreter, not a wrapper script (pyenv shims are shell scripts
# that would be traced and faulted too).
PY=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null) || PY=
export INTEG ROOT FIFUZZ BIN PY

if [ ! -x "$FIFUZZ" ]; then
	echo "FAIL all: $FIFUZZ is missing; run make first"
	echo "0 passed, 1 failed"
	exit 1
fi

pass=0 failed=0 skipped=0
while read -r name fn args; do
	case $name in '' | '#'*) continue ;; esac
	if [ $# -gt 0 ]; then
		want=no
		for c; do [ "$c" = "$name" ] && want=yes; done
		[ $want = yes ] || continue
	fi
	cap=$CAP
	case $args in cap=*)
		first=${args%% *}
		cap=$((${first#cap=} * CAP / 120))
		case $args in *' '*) args=${args#* } ;; *) args= ;; esac
		;;
	esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/fifuzz-integ.XXXXXX") || exit 1
	mkdir "$T/w"
	# $M holds the case's logs and scratch files; $M/w is its working directory.
	# shellcheck disable=SC2016,SC2086 # $INTEG expands in sh -c; args split on purpose
	(cd "$T/w" && M=$T exec timeout -k 5 "$cap" sh -c '. "$INTEG/cases.sh"; "$@"' "$name" $fn $args) \
		>"$T/.log" 2>&1 </dev/null
	rc=$?
	case $rc in
	0)
		# A case may leave one line of what it observed in $M/.note.
		if [ -s "$T/.note" ]; then
			printf 'PASS %s: %s\n' "$name" "$(head -n 1 "$T/.note")"
		else
			echo "PASS $name"
		fi
		pass=$((pass + 1))
		;;
	77)
		printf 'SKIP %s: %s\n' "$name" "$(head -n 1 "$T/.why" 2>/dev/null)"
		skipped=$((skipped + 1))
		;;
	*)
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			echo "FAIL $name: still running after ${cap}s (case killed)"
		elif [ -s "$T/.why" ]; then
			printf 'FAIL %s: %s\n' "$name" "$(head -n 1 "$T/.why")"
			tail -n +2 "$T/.why" | sed 's/^/    /'
		else
			echo "FAIL $name: case exited $rc without saying why"
		fi
		if [ -s "$T/.log" ]; then
			echo "    --- case output (tail):"
			tail -n 10 "$T/.log" | LC_ALL=C tr -c '\11\12\40-\176' '?' | sed 's/^/    /'
		fi
		failed=$((failed + 1))
		;;
	esac
	rm -rf "$T"
done <"$INTEG/cases.txt"

if [ $skipped -gt 0 ]; then
	echo "$pass passed, $failed failed, $skipped skipped"
else
	echo "$pass passed, $failed failed"
fi
[ $failed -eq 0 ]
