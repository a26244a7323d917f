#!/bin/sh
# zip 3.0 `zip -q -r o.zip d`: the first read of d/a.txt (288894 bytes) fails with EIO. zip
# stores d/a.txt as an empty file, prints nothing under -q (without -q only "zip warning: file
# size changed while zipping d/a.txt"), and exits 0; `unzip -t` finds no error in the archive.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The tree the trace was recorded with.
mkdir d
seq 1 40000 > d/a.txt
perl -e 'srand(7); print map chr(int rand 256), 1..200000' > d/b.bin
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || { mkdir x && cd x && unzip -q ../o.zip && cmp -s d/a.txt ../d/a.txt && cmp -s d/b.bin ../d/b.bin; }' \
	"$here/minimized.trace" -- /usr/bin/zip -q -r o.zip d > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && unzip -tq o.zip > /dev/null; then
	echo "reproduced: zip exited 0 without a message; o.zip passes unzip -t but holds d/a.txt with $(wc -c < x/d/a.txt) of 288894 bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
