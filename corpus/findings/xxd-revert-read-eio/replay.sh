#!/bin/sh
# xxd 9.0 `xxd -r in.hex > out`: the second 4 KiB read of the hex dump fails with EIO. xxd takes it
# for the end of the input, says nothing, and exits 0; out holds the first 962 of 228894 bytes.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.txt
xxd in.txt > in.hex || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out in.txt' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/xxd -r in.hex > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: xxd -r exited 0 without a message; out has $(wc -c < out) of 228894 bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
