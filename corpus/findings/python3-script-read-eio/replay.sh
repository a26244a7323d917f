#!/bin/sh
# Python 3.11.2 `python3 s.py`: the tokenizer's first two reads of the script fail with EIO
# (a bad block read twice). Python runs nothing, says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The script the trace was recorded with (25962 bytes): it writes start, line 1..400, done to log.
{
	printf '%s\n' 'f = open("log", "w"); f.write("start\n")'
	i=1
	while [ $i -le 400 ]; do
		printf 'f.write("line %d\\n")  # padding padding padding padding padding\n' $i
		i=$((i + 1))
	done
	printf '%s\n' 'f.write("done\n"); f.close()'
} > s.py
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || grep -qs "^done" log' \
	"$here/minimized.trace" -- /usr/bin/python3 s.py > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && [ ! -e log ]; then
	echo "reproduced: python3 exited 0 without a message and without running the script"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
