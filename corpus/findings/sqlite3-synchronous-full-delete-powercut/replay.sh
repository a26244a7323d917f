#!/bin/sh
# SQLite 3.40.1, rollback journal in DELETE mode: a power cut right after `sqlite3` exits 0 from
# an INSERT rolls the INSERT back under synchronous=FULL (the unlink of the journal was never
# synced, so the journal comes back as a hot journal), and keeps it under synchronous=EXTRA.
# This is documented behaviour (https://sqlite.org/pragma.html#pragma_synchronous), not a bug.
# Exits 0 when both results reproduce, 1 otherwise. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
check='test "$FIFUZZ_CUT" != end || test "$FIFUZZ_EXIT" != 0 || test "$(sqlite3 db "select count(*) from t")" = 2'
ok=0
for level in full extra; do
	mkdir "$work/$level" && cd "$work/$level" || exit 2
	sqlite3 db 'create table t(a); insert into t values(0);' || exit 2
	lv=$(echo $level | tr a-z A-Z)
	"$fifuzz" replay -q --no-trace --check "$check" "$here/synchronous-$level.trace" -- \
		/usr/bin/sqlite3 db "PRAGMA synchronous=$lv; insert into t values(1);" > stdout 2> stderr
	rc=$?
	rows=$(sqlite3 db 'select count(*) from t')
	echo "synchronous=$lv: a power cut after exit 0 leaves $rows of 2 rows (fifuzz replay exit status $rc)"
	case $level:$rc:$rows in
	full:1:1 | extra:0:2) ;;
	*) ok=1 ;;
	esac
done
exit $ok
