# What every sqlite3 recipe shares: the template and the three transactions. A recipe sets MODE (the
# journal mode) and SYNC (the synchronous level) and sources this file.
PACKAGES="sqlite3"
TIMEOUT=20
# Three transactions of 100 rows of 500 bytes each; -bail: stop and exit 1 at the first error.
rows() { echo "BEGIN; INSERT INTO t SELECT x, printf('%0500d', x) FROM (WITH RECURSIVE c(x) AS (SELECT $1 UNION ALL SELECT x + 1 FROM c WHERE x < $2) SELECT x FROM c); COMMIT;"; }
SQL="PRAGMA journal_mode=$MODE; PRAGMA synchronous=$SYNC; $(rows 101 200) $(rows 201 300) $(rows 301 400)"
PROG="/usr/bin/sqlite3 -bail db \"$SQL\""
# The template: a database with 100 rows, in WAL mode for the WAL recipes (the mode is stored in the file).
setup() {
	/usr/bin/sqlite3 db "PRAGMA journal_mode=$MODE; CREATE TABLE t (x INTEGER PRIMARY KEY, v TEXT);
		$(rows 1 100)" >/dev/null
}
