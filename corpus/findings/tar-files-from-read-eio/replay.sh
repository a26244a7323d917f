#!/bin/sh
# GNU tar 1.34 `tar cf o.tar -T list.txt`: the first read of the name list fails with EIO. tar takes it
# for an empty list, writes an empty archive (10240 bytes), says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
mkdir d
i=1
while [ $i -le 600 ]; do echo "content $i" > d/file$i.txt; i=$((i + 1)); done
ls d | sed 's|^|d/|' > list.txt
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test "$(tar tf o.tar | wc -l)" = 600' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/tar cf o.tar -T list.txt && tar tf o.tar > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: tar exited 0 without a message; o.tar holds $(tar tf o.tar | wc -l) of the 600 listed files"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
