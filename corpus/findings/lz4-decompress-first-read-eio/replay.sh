#!/bin/sh
# lz4 1.9.4 `lz4 -d -c in.dat.lz4 > out`: the first read of in.dat.lz4 fails with EIO. lz4 takes it
# for the end of the input, prints nothing under -c ("decoded 0 bytes" without it), writes nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
lz4 -q in.dat in.dat.lz4 || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out in.dat' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/lz4 -d -c in.dat.lz4 > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && [ ! -s out ]; then
	echo "reproduced: lz4 -d exited 0 without a message and decoded 0 of 428894 bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
