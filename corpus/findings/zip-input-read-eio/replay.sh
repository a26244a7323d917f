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
if [ "$rc" != 1 ] || [ -s stderr ] || ! unzip -tq o.zip > /dev/null; then
	echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
	exit 1
fi
echo "reproduced: zip exited 0 without a message; o.zip passes unzip -t but holds d/a.txt with $(wc -c < x/d/a.txt) of 288894 bytes"
# namelist.trace: `zip -q o.zip -@ < list.txt`, the third read of the name list fails with EIO.
mkdir n && cd n || exit 2
mkdir d
i=1
while [ $i -le 600 ]; do echo "content $i" > d/file$i.txt; i=$((i + 1)); done
ls d | sed 's|^|d/|' > list.txt
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test "$(unzip -Z1 o.zip | wc -l)" = 600' \
	"$here/namelist.trace" -- /bin/sh -c '/usr/bin/zip -q o.zip -@ < list.txt && unzip -Z1 o.zip > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: zip -@ exited 0 without a message; o.zip holds $(unzip -Z1 o.zip | wc -l) of the 600 listed files"
	exit 0
fi
echo "namelist.trace did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
