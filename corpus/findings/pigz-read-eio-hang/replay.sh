#!/bin/sh
# pigz 2.6 `pigz -k in.dat`: the read at the end of in.dat (the one that would return 0) fails with
# EIO. pigz prints nothing and never exits: two threads wait on futexes for ever (0% CPU).
# strace shows the same without fifuzz:
#   timeout 10 strace -f -qq -P in.dat -e trace=read -e inject=read:error=EIO:when=5 pigz -k in.dat
# Exits 0 when the bug reproduces (fifuzz kills the hung tree after 10 s), 1 when it does not.
# FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The input the trace was recorded with: 288894 bytes of text, then 200000 pseudo-random bytes.
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
"$fifuzz" replay -q --timeout 10 --report report.json \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/pigz -k in.dat' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && grep -q '"verdict":"hang"' report.json; then
	echo "reproduced: pigz hung after the failed read and was killed after 10 s (stderr: $(wc -c < stderr) bytes)"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
