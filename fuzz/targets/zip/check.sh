# After zip exited 0, out.zip tests good and extracts (outside the run's directory) to a copy of src.
[ "$FIFUZZ_EXIT" = 0 ] || exit 0
d=$(mktemp -d) || exit 2
trap 'rm -rf "$d"' EXIT
unzip -tq out.zip >/dev/null 2>&1 || { echo "zip exited 0, but unzip -t rejects out.zip"; exit 1; }
unzip -q out.zip -d "$d" && diff -r src "$d/src" >/dev/null || { echo "zip exited 0, but out.zip does not hold src"; exit 1; }
