#!/bin/sh
# sqlite3 3.40.1 (the CLI): `.output dump.sql` then `.dump`; the second 4 KiB write of dump.sql
# fails with ENOSPC. The shell says nothing, exits 0, and dump.sql lacks those 4096 bytes.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The database the trace was recorded with: 20000 rows, a 1.4 MB dump.
sqlite3 db "create table t(a integer primary key, b text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 20000)
insert into t select x, printf('%040d', x * 7919) from c;" || exit 2
sqlite3 db .dump > expected.sql || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s dump.sql expected.sql' \
	"$here/minimized.trace" -- /usr/bin/sqlite3 db '.output dump.sql' '.dump' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ]; then
	rows=$(sqlite3 restored.db < dump.sql 2>/dev/null; sqlite3 restored.db 'select count(*) from t')
	echo "reproduced: sqlite3 exited 0 without a message; dump.sql has $(wc -c < dump.sql) of $(wc -c < expected.sql) bytes; restoring it gives $rows of 20000 rows"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
