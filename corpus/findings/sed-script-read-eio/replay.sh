#!/bin/sh
# GNU sed 4.9 `sed -f s.sed in > out`: the first read of the script file fails with EIO. sed
# takes it for an empty script, copies its input unchanged to out, says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The script the trace was recorded with (25799 bytes): 401 substitutions.
i=1
while [ $i -le 400 ]; do
	echo "s/^line $i\$/LINE $i/ # padding padding padding padding padding"
	i=$((i + 1))
done > s.sed
echo 's/^done$/DONE/' >> s.sed
{ echo start; seq 1 400 | sed 's/^/line /'; echo done; } > in
sed -f s.sed in > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c '/usr/bin/sed -f s.sed in > out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && cmp -s in out; then
	echo "reproduced: sed exited 0 without a message and ran none of the script: out is a copy of in"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
