#!/bin/sh
# lz4 1.9.4 `lz4 --rm in.dat in.dat.lz4`: the last write of the output (made by fclose) fails
# with ENOSPC. lz4 prints "Compressed 428894 bytes into 370487 bytes", deletes in.dat, and exits 0;
# in.dat.lz4 is truncated (368640 bytes) and does not decompress: the data is gone.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The input the trace was recorded with: 288894 bytes of text, then 200000 pseudo-random bytes.
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
cp in.dat expected.dat
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || lz4 -dc in.dat.lz4 2>/dev/null | cmp -s - expected.dat' \
	"$here/minimized.trace" -- /usr/bin/lz4 --rm in.dat in.dat.lz4 > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -e in.dat ] && ! lz4 -t in.dat.lz4 2>/dev/null; then
	echo "reproduced: lz4 exited 0 and removed in.dat, but in.dat.lz4 ($(wc -c < in.dat.lz4) bytes) fails lz4 -t"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
