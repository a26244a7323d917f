#!/bin/sh
# cksum (GNU coreutils 9.1, default CRC, pclmul code path) `cksum in.dat > out`: the fifth 64 KiB
# read fails with EIO. cksum prints the CRC and size of the first 256 KiB ("1746268871 262144 in.dat")
# and exits 0. Needs a CPU with pclmul and avx (`cksum --debug` says "using pclmul hardware support").
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
cksum in.dat > expected || exit 2
cksum --debug in.dat 2>&1 >/dev/null | grep -q pclmul || { echo 'skip: cksum does not use pclmul on this CPU'; exit 1; }
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/cksum in.dat > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && ! cmp -s out expected; then
	echo "reproduced: cksum exited 0 without a message and printed \"$(cat out)\" for \"$(cat expected)\""
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
