#!/bin/sh
# perl 5.36 `perl -i -pe 's/1/X/g' data.txt`: the first read of data.txt fails with EIO; perl
# takes it for the end of the file, replaces data.txt with the (empty) output, says nothing,
# and exits 0. The file's 288894 bytes are gone.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > data.txt
sed 's/1/X/g' data.txt > expected.txt
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s data.txt expected.txt' \
	"$here/minimized.trace" -- /usr/bin/perl -i -pe 's/1/X/g' data.txt > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: perl -i exited 0 without a message; data.txt now has $(wc -c < data.txt) bytes (was 288894)"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
