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
if [ "$rc" = 1 ] && [ ! -s stderr ] && ! cmp -s out expected; then
	echo "reproduced: shasum exited 0 without a message and printed $(cut -c1-16 out)..., the file's SHA-256 is $(cut -c1-16 expected)..."
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
