# Stores 500 records in a shelve (dbm.gnu, GDBM, on Debian) and closes it.
import shelve

with shelve.open("db") as db:
    for i in range(500):
        db["key%d" % i] = {"id": i, "payload": "x" * 200}
