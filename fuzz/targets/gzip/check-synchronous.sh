# gzip --synchronous after a power cut, in the run's directory: the text is in in.txt or in a whole
# in.txt.gz, and after gzip exited 0 (a cut at the end) in in.txt.gz.
whole_gz() { test -f in.txt.gz && gzip -t in.txt.gz 2>/dev/null && gzip -dc in.txt.gz | cmp -s - orig.txt; }
if [ "$FIFUZZ_CUT" = end ] && [ "$FIFUZZ_EXIT" = 0 ] && ! whole_gz; then
	echo "gzip exited 0, but after the cut in.txt.gz is not whole"
	exit 1
fi
cmp -s in.txt orig.txt || whole_gz || { echo "after the cut neither in.txt nor in.txt.gz is whole"; exit 1; }
