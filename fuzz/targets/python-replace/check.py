# After a run (and a power cut): data.json is the old document or the new one, whole; after exit 0 with
# no cut before the exit, the new one.
import json
import os
import sys

with open("data.json") as f:
    version = json.load(f)["version"]
assert version in (1, 2), version
if os.environ["FIFUZZ_EXIT"] == "0" and os.environ.get("FIFUZZ_CUT", "end") == "end" and version != 2:
    sys.exit("save.py exited 0, but after the cut data.json is the old document")
