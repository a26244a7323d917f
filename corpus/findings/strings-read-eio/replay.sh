#!/bin/sh
# strings (GNU binutils 2.40) `strings in.dat > out`: the fifth 4 KiB read of in.dat fails with EIO.
# strings takes it for the end of the file, says nothing, and exits 0 with the strings of the first 16 KiB only.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
strings in.dat > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/strings in.dat > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: strings exited 0 without a message; out has $(wc -c < out) of $(wc -c < expected) bytes"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
