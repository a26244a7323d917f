# Writes a JSON document with open() and json.dump(): any failed write or close raises, and Python exits 1.
import json

doc = {"items": [{"id": i, "name": "item %d" % i, "tags": ["a", "b", "c"]} for i in range(3000)]}
with open("data.json", "w") as f:
    json.dump(doc, f)
