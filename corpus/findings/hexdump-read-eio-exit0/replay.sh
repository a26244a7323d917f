#!/bin/sh
# hexdump (util-linux 2.38.1) `hexdump -C in.txt > out`: the ninth 4 KiB read of in.txt fails with EIO.
# hexdump prints "hexdump: in.txt: Input/output error" but exits 0, with a dump of the first 32 KiB only.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.txt
hexdump -C in.txt > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/hexdump -C in.txt > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && grep -q 'Input/output error' stderr; then
	echo "reproduced: hexdump said Input/output error but exited 0; out has $(wc -c < out) of $(wc -c < expected) bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
