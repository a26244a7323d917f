#!/bin/sh
# shasum (perl 5.36, Digest::SHA 6.02) `shasum -a 256 in.dat > out`: the fifth 8 KiB read of in.dat
# fails with EIO. shasum prints the SHA-256 of the first 32 KiB as the file's checksum and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.dat
perl -e 'srand(7); print map chr(int rand 256), 1..200000' >> in.dat
sha256sum in.dat > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/shasum -a 256 in.dat > out' > stdout 2> stderr
rc=$?
if [ "$rc" != 1 ] || [ -s stderr ] || cmp -s out expected; then
	echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
	exit 1
fi
echo "reproduced: shasum exited 0 without a message and printed $(cut -c1-16 out)..., the file's SHA-256 is $(cut -c1-16 expected)..."
# check-list.trace: `shasum -a 256 -c sums.txt`, the third 8 KiB read of the checksum list fails.
mkdir c && cd c || exit 2
mkdir d
i=1
while [ $i -le 400 ]; do echo "content $i" > d/f$i; i=$((i + 1)); done
sha256sum d/* > sums.txt || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test "$(grep -c ": OK" out)" = 400' \
	"$here/check-list.trace" -- /bin/sh -c '/usr/bin/shasum -a 256 -c sums.txt > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ]; then
	echo "reproduced: shasum -c exited 0 after verifying $(grep -c ': OK' out) of 400 files (stderr: $(grep -v '^fifuzz' stderr | head -1))"
	exit 0
fi
echo "check-list.trace did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
