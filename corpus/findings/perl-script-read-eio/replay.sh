#!/bin/sh
# perl 5.36 `perl s.pl`: the second 8 KiB read of the script fails with EIO. perl takes it for
# the end of the script, runs the first 8192 bytes only (125 of the 400 "line" prints, and not
# the final "done"), says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The script the trace was recorded with (26381 bytes): it writes start, line 1..400, done to log.
{
	printf '%s\n' 'open(my $f, ">", "log") or die; print $f "start\n";'
	i=1
	while [ $i -le 400 ]; do
		printf 'print $f "line %d\\n";  # padding padding padding padding padding\n' $i
		i=$((i + 1))
	done
	printf '%s\n' 'print $f "done\n"; close($f) or die;'
} > s.pl
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || grep -qs "^done" log' \
	"$here/minimized.trace" -- /usr/bin/perl s.pl > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: perl exited 0 without a message after running $(wc -l < log) of the 402 lines the script writes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
