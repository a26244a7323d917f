#!/bin/sh
# mdb_load (LMDB 0.9.24) `mdb_load -f in.mdbdump n`: the first read of the dump fails with EIO. mdb_load
# prints "line 1: unexpected end of input", creates an empty environment, and exits 0 (a truncated file gives exit 1).
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
{
	printf 'VERSION=3\nformat=print\ntype=btree\nmapsize=104857600\nHEADER=END\n'
	seq 1 20000 | sed 's/.*/ key&\n value&-abcdefghijklmnopqrstuvwxyz0123456789/'
	echo DATA=END
} > in.mdbdump
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test "$(mdb_stat n | sed -n '"'"'s/.*Entries: //p'"'"')" = 20000' \
	"$here/minimized.trace" -- /bin/sh -c 'mkdir n && /usr/bin/mdb_load -f in.mdbdump n' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && grep -q 'unexpected end of input' stderr; then
	echo "reproduced: mdb_load said unexpected end of input but exited 0; the environment holds $(mdb_stat n | sed -n 's/.*Entries: //p') of 20000 entries"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
