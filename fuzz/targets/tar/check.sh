# After tar exited 0, out.tar extracts (outside the run's directory: a check must not write there) to a
# copy of src.
[ "$FIFUZZ_EXIT" = 0 ] || exit 0
d=$(mktemp -d) || exit 2
trap 'rm -rf "$d"' EXIT
tar -xf out.tar -C "$d" && diff -r src "$d/src"
