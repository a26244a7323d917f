#!/bin/sh
# dash 0.5.12: the read of a script file fails with EIO; dash takes it for the end of the
# script, runs nothing, says nothing, and exits 0.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The script the trace was recorded with: 302 lines, the last one writes "done" to log.
{
	echo 'echo start > log'
	i=1
	while [ $i -le 300 ]; do
		echo "echo line $i >> log  # padding padding padding padding padding padding"
		i=$((i + 1))
	done
	echo 'echo done >> log'
} > script.sh
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || grep -qs "^done" log' \
	"$here/minimized.trace" -- /bin/dash script.sh > stdout 2> stderr
rc=$?
if [ "$rc" != 1 ] || [ -e log ] || [ -s stderr ]; then
	echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
	exit 1
fi
echo "reproduced: dash exited 0 without running the script and without a message"
# split-line.trace: the second read fails instead. dash runs the half line before the failed read
# ("ech"), then reads on and runs the other half ("o line 116 >> log ...") as a command of its own.
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || grep -qs "^line 116$" log' \
	--report report.json "$here/split-line.trace" -- /bin/dash script.sh > stdout 2> stderr
rc=$?
# The trace was filed as "corruption", an oracle replay does not apply, so fifuzz (after main 747dc07)
# reports the replay as not reproduced (exit 4) although the --check verdict shows the damage.
if grep -q '"verdict":"check"' report.json && grep -q 'ech: not found' stderr && grep -q 'o: not found' stderr; then
	echo "reproduced: with the second read failing, dash ran line 117 as two commands, \"ech\" and \"o ...\", and exited 0"
	exit 0
fi
echo "split-line.trace did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
