#!/bin/sh
# GNU patch 2.7.6 `patch -s -i p.diff`: a 4 KiB write of the patched file (to patch's temporary file
# data.txt.oXXXXXX) fails with ENOSPC. patch says nothing, renames the temporary file over data.txt,
# and exits 0: data.txt is patched but 4096 bytes short. The trace names the temporary file
# `data.txt.o*`, a pattern; it needs a fifuzz that answers getrandom from a fixed sequence (main at
# aef0070 or later). first-write-enospc.schedule reproduces it with any fifuzz:
#   fifuzz --schedule first-write-enospc.schedule -e write --faults error --errno ENOSPC --path 'data.txt*' -- patch -s -i p.diff
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > data.txt
sed 's/1/X/g' data.txt > expected.txt
diff -u data.txt expected.txt | sed '1,2s|expected.txt|data.txt|' > p.diff
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s data.txt expected.txt' \
	"$here/minimized.trace" -- /usr/bin/patch -s -i p.diff > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: patch exited 0 without a message; data.txt has $(wc -c < data.txt) of $(wc -c < expected.txt) bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
