#!/bin/sh
# xargs (GNU findutils 4.9.0) `xargs -a in.txt echo > out`: the third 4 KiB read of the argument file
# fails with EIO. xargs takes it for the end of the file, runs the command on the first 8 KiB of
# arguments only, says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.txt
xargs -a in.txt echo > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/xargs -a in.txt echo > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: xargs exited 0 without a message; it passed $(wc -w < out) of 40000 arguments"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
