# After tdbrestore exited 0, db.tdb passes `tdbtool check` and holds exactly the records of in.dump
# (compared as sets: tdbdump prints them in hash order). On a copy: tdbtool opens the file to write.
[ "$FIFUZZ_EXIT" = 0 ] || exit 0
d=$(mktemp -d) || exit 2
trap 'rm -rf "$d"' EXIT
records() { awk '/^{/ { r = "" } /^(key|data)/ { r = r $0 } /^}/ { print r }' | LC_ALL=C sort; }
cp db.tdb "$d/" || exit 1
tdbtool "$d/db.tdb" check | grep -qx "Database integrity is OK and has 300 records." || { echo "tdbtool check failed"; exit 1; }
tdbdump "$d/db.tdb" | records >"$d/got" && records <in.dump >"$d/want" && cmp -s "$d/got" "$d/want" ||
	{ echo "db.tdb does not hold the records of in.dump"; exit 1; }
