#!/bin/sh
# Turns every crash AFL++ saved under OUT/*/crashes/ into a fifuzz trace
# (CRASH.trace next to it) and prints the command that replays it.
#
#   fuzz/afl-triage.sh OUT -- PROG [ARGS...]
#
# PROG ARGS must be what the campaign ran after `fifuzz --schedule @@ --`,
# run from the same directory. Each crash runs once, in the current directory,
# as `fifuzz -q --schedule CRASH -o CRASH.trace -- PROG ARGS`; a crash file
# that no longer makes PROG fail is reported as such. FIFUZZ names the fifuzz
# binary (default: the one built in this repository, else fifuzz from PATH).
# Exits 0 when every crash gave a failing trace, 1 otherwise, 2 on bad usage.
set -u

usage() {
	echo "usage: $0 OUT -- PROG [ARGS...]" >&2
	exit 2
}

if [ $# -lt 3 ] || [ "$2" != -- ]; then usage; fi
out=$1
shift 2
[ -d "$out" ] || {
	echo "$0: no directory $out" >&2
	exit 2
}

HERE=$(cd "$(dirname "$0")" && pwd)
if [ -n "${FIFUZZ:-}" ]; then
	fifuzz=$FIFUZZ
elif [ -x "$HERE/../fifuzz" ]; then
	fifuzz=$HERE/../fifuzz
else
	fifuzz=$(command -v fifuzz) || {
		echo "$0: no fifuzz: run make, or set FIFUZZ" >&2
		exit 2
	}
fi

# quote WORD: WORD as one shell word.
quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

cmd=
for a; do cmd="$cmd $(quote "$a")"; done

found=0 bad=0
for c in "$out"/*/crashes/id:*; do
	[ -f "$c" ] || continue
	case $c in *.trace) continue ;; esac
	found=$((found + 1))
	"$fifuzz" -q --schedule "$c" -o "$c.trace" -- "$@" >/dev/null 2>&1 </dev/null
	st=$?
	if [ $st -gt 128 ]; then
		what="crash (signal $((st - 128)))"
	elif [ $st -eq 1 ]; then
		what="failure"
	else
		what="no failure (fifuzz exited $st): this crash does not reproduce"
		bad=$((bad + 1))
	fi
	echo "$c: $what"
	[ -f "$c.trace" ] && echo "  fifuzz replay $(quote "$c.trace") --$cmd"
done
if [ $found -eq 0 ]; then
	echo "afl-triage: no crash files under $out/*/crashes/"
	exit 0
fi
echo "afl-triage: $found crash file(s), $bad not reproduced"
[ $bad -eq 0 ]
