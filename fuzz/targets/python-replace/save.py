# Replaces data.json atomically and durably: write a temporary file in the same directory, flush, fsync,
# os.replace() it over data.json, then fsync the directory. After any crash data.json is the old or the
# new document; once the program exits 0, the new one.
import json
import os
import tempfile

doc = {"version": 2, "items": [{"id": i, "name": "item %d" % i} for i in range(3000)]}
fd, tmp = tempfile.mkstemp(dir=".", prefix=".data.json.")
try:
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, "data.json")
except BaseException:
    os.unlink(tmp)
    raise
dfd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
try:
    os.fsync(dfd)
finally:
    os.close(dfd)
