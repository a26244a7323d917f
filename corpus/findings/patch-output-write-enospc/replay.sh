#!/bin/sh
# GNU patch 2.7.6 `patch -s -i p.diff`: the first 4 KiB write of the patched file (to patch's
# temporary file data.txt.XXXXXXX) fails with ENOSPC. patch says nothing, renames the temporary
# file over data.txt, and exits 0: data.txt is patched but 4096 bytes short.
# patch names its temporary file at random, so a trace of this run does not replay (fifuzz keys
# faults by file name; see docs/findings.md, fifuzz defects). This script runs fifuzz with a
# schedule instead (first-write-enospc.schedule: the first eligible call fails with the first
# allowed errno, ENOSPC), which picks the call by its order, not its name.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The file and the patch the run was recorded with: every 1 becomes X in a 288894-byte file.
seq 1 40000 > data.txt
sed 's/1/X/g' data.txt > expected.txt
diff -u data.txt expected.txt | sed '1,2s|expected.txt|data.txt|' > p.diff
"$fifuzz" -q --schedule "$here/first-write-enospc.schedule" -e write --faults error --errno ENOSPC \
	--path 'data.txt*' -o trace --timeout 60 \
	--check 'test "$FIFUZZ_EXIT" != 0 || cmp -s data.txt expected.txt' \
	-- /usr/bin/patch -s -i p.diff > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: patch exited 0 without a message; data.txt has $(wc -c < data.txt) of $(wc -c < expected.txt) bytes"
	"$fifuzz" show trace | grep -v ': pass' | grep '^write'
	exit 0
fi
echo "did not reproduce (fifuzz exit status $rc)"; cat stderr
exit 1
