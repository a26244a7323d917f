# Judges the database a run left (after a power cut: what the disk kept), in the run's directory.
# Usage: sh check.sh [durable]
#   always: pragma integrity_check says ok, and the table holds whole transactions (100 rows each,
#   ids 1..N with N in 100, 200, 300, 400): SQLite's transactions are atomic;
#   durable: after sqlite3 exited 0 (with no cut, or a cut after the exit) all three are there.
# It works on a copy: opening the database rolls back a hot journal or replays the WAL, and a check
# must not write in the run's directory.
d=$(mktemp -d) || exit 2
trap 'rm -rf "$d"' EXIT
for f in db db-journal db-wal; do
	if [ -e "$f" ]; then cp "$f" "$d/" || exit 2; fi
done
got=$(sqlite3 "$d/db" 'pragma integrity_check; select count(*) || " rows, max " || max(x) from t' 2>&1)
# The first line says what went wrong, in words that do not depend on the run (fifuzz groups failures by
# it); the details follow.
case $got in
"ok
"[1234]"00 rows, max "[1234]00) ;;
"ok
"*) printf 'not whole transactions\n%s\n' "$got" | head -n 3; exit 1 ;;
*) printf 'the database is malformed\n%s\n' "$got" | head -n 4; exit 1 ;;
esac
rows=${got#ok?}
if [ "${1:-}" = durable ] && [ "$FIFUZZ_EXIT" = 0 ] && [ "${FIFUZZ_CUT:-end}" = end ] &&
	[ "$rows" != "400 rows, max 400" ]; then
	echo "sqlite3 exited 0, then a power cut left $rows: a committed transaction was lost"
	exit 1
fi
exit 0
