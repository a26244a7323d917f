#!/bin/sh
# sqlite3 3.40.1 (the CLI) `sqlite3 db '.read s.sql'`: the sixth 4 KiB read of the script fails
# with EIO. The shell takes it for the end of the script: the 2000 inserts between BEGIN and
# COMMIT are never committed, the shell says nothing, and exits 0 with table t empty.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The script the trace was recorded with (125823 bytes).
{
	echo 'create table t(a, b);'
	echo 'begin;'
	seq 1 2000 | sed "s/.*/insert into t values(&, 'row & padding padding padding');/"
	echo 'commit;'
} > s.sql
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test "$(sqlite3 db "select count(*) from t")" = 2000' \
	"$here/minimized.trace" -- /usr/bin/sqlite3 db '.read s.sql' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	echo "reproduced: sqlite3 exited 0 without a message; table t has $(sqlite3 db 'select count(*) from t') of 2000 rows"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
