# The database a run left (after a cut: what the disk kept) opens and holds 100 to 300 records; after
# mdb_load exited 0 (with no cut, or a cut after the exit), 300. On a copy: opening it writes lock.mdb.
d=$(mktemp -d) || exit 2
trap 'rm -rf "$d"' EXIT
cp db/data.mdb "$d/" || exit 1
n=$(mdb_stat "$d" 2>&1 | sed -n 's/^  Entries: //p')
[ -n "$n" ] && [ "$n" -ge 100 ] && [ "$n" -le 300 ] || { echo "not a whole database: $(mdb_stat "$d" 2>&1 | head -n 2)"; exit 1; }
if [ "$FIFUZZ_EXIT" = 0 ] && [ "${FIFUZZ_CUT:-end}" = end ] && [ "$n" != 300 ]; then
	echo "mdb_load exited 0, then a power cut left $n records"
	exit 1
fi
exit 0
