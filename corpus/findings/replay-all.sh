#!/bin/sh
# Runs every finding's replay.sh and prints one line each; exits 1 if any did not reproduce.
# FIFUZZ= overrides the fifuzz binary (default: the one at the top of this repository).
here=$(cd "$(dirname "$0")" && pwd)
status=0
for s in "$here"/*/replay.sh; do
	name=$(basename "$(dirname "$s")")
	if out=$("$s" 2>&1); then
		printf '%-42s ok    %s\n' "$name" "$(printf '%s\n' "$out" | head -1)"
	else
		printf '%-42s FAIL  %s\n' "$name" "$(printf '%s\n' "$out" | tail -1)"
		status=1
	fi
done
exit $status
