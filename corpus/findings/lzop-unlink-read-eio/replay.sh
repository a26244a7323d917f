#!/bin/sh
# lzop 1.04 `lzop -U in.dat`: the first read of in.dat fails with EIO. lzop writes a valid, empty
# in.dat.lzo (48 bytes; `lzop -t` says OK), deletes in.dat (-U: "after successful compression"),
# says nothing, and exits 0. The 428894 bytes of in.dat are gone.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
cp in.dat expected.dat
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || lzop -dc in.dat.lzo | cmp -s - expected.dat' \
	"$here/minimized.trace" -- /usr/bin/lzop -U in.dat > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && [ ! -e in.dat ] && lzop -t in.dat.lzo 2>/dev/null; then
	echo "reproduced: lzop exited 0 without a message and deleted in.dat; in.dat.lzo passes lzop -t and decompresses to $(lzop -dc in.dat.lzo | wc -c) of 428894 bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
