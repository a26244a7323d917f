#!/bin/sh
# col and colrm (util-linux 2.38.1, Debian's bsdextrautils): the third 4 KiB read of their standard
# input (a regular file) fails with EIO. Both take it for the end of the input, say nothing, and exit 0
# with the output of the first 8 KiB. Fixed upstream by util-linux PR #2955 (2024).
# Exits 0 when both reproduce, 1 otherwise. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
seq 1 40000 > in.txt
col < in.txt > expected.col && colrm 3 < in.txt > expected.colrm || exit 2
ok=0
for prog in col colrm; do
	case $prog in
	col) cmd='/usr/bin/col < in.txt > out' ;;
	colrm) cmd='/usr/bin/colrm 3 < in.txt > out' ;;
	esac
	rm -f out
	"$fifuzz" replay -q --timeout 60 --check "test \"\$FIFUZZ_EXIT\" != 0 || cmp -s out expected.$prog" \
		"$here/$prog.trace" -- /bin/sh -c "$cmd" > stdout 2> stderr
	rc=$?
	if [ "$rc" = 1 ] && [ ! -s stderr ]; then
		echo "reproduced: $prog exited 0 without a message; out has $(wc -c < out) of $(wc -c < expected.$prog) bytes"
	else
		echo "$prog did not reproduce (fifuzz replay exit status $rc)"; cat stderr; ok=1
	fi
done
exit $ok
