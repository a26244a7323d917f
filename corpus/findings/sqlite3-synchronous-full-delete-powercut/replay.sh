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
	# sqlite3 reads /dev/urandom (the journal's nonce), so the post-cut files never hash as recorded
	# and fifuzz (after main 747dc07) exits 4; the verdict and the rows are what matter here.
	"$fifuzz" replay -q --no-trace --report report.json --check "$check" "$here/synchronous-$level.trace" -- \
		/usr/bin/sqlite3 db "PRAGMA synchronous=$lv; insert into t values(1);" > stdout 2> stderr
	rc=$?
	verdict=$(sed -n 's/.*"verdict":"\([a-z-]*\)".*/\1/p' report.json | head -1)
	rows=$(sqlite3 db 'select count(*) from t')
	echo "synchronous=$lv: a power cut after exit 0 leaves $rows of 2 rows (verdict $verdict, fifuzz replay exit status $rc)"
	case $level:$verdict:$rows in
	full:crash-consistency:1 | extra:pass:2) ;;
	*) ok=1 ;;
	esac
done
exit $ok
