#!/bin/sh
# mdb_dump (lmdb-utils 0.9.24): `mdb_dump -f out.dump db`; the second 4 KiB write of out.dump
# fails with ENOSPC. mdb_dump says nothing, exits 0, and out.dump lacks those 4096 bytes.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The environment the trace was recorded with: 20000 keys, a 2.2 MB dump.
{
	printf 'VERSION=3\nformat=print\ntype=btree\nmapsize=104857600\nHEADER=END\n'
	seq 1 20000 | sed 's/.*/ key&\n value&-abcdefghijklmnopqrstuvwxyz0123456789/'
	echo DATA=END
} > in.dump
mkdir db && mdb_load -f in.dump db && mdb_dump db > expected.dump || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out.dump expected.dump' \
	"$here/minimized.trace" -- /usr/bin/mdb_dump -f out.dump db > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: mdb_dump exited 0 without a message; out.dump has $(wc -c < out.dump) of $(wc -c < expected.dump) bytes"
	mkdir restored && mdb_load -f out.dump restored 2>&1 | sed 's/^/  mdb_load of it: /'
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
