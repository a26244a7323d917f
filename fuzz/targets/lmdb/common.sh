# What the lmdb recipes share: a database of 100 records in db/ (made by setup, so that data.mdb exists
# and is durable before the run), to which mdb_load adds 200 more from in.txt (plain text, -T).
PACKAGES="lmdb-utils"
PROG="/usr/bin/mdb_load -T -f in.txt db"
# lock.mdb holds the readers' table (pids, transaction ids): not data, and different in every run.
IGNORE="lock.mdb"
CHECK="sh $RECIPE/check.sh"
setup() {
	mkdir db
	for i in $(seq 1 100); do echo "key$i"; echo "value $i $(printf '%0100d' "$i")"; done >first.txt
	mdb_load -T -f first.txt db
	rm db/lock.mdb first.txt
	for i in $(seq 101 300); do echo "key$i"; echo "value $i $(printf '%0100d' "$i")"; done >in.txt
}
