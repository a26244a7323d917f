#!/bin/sh
# Records the reader fuzzer's seed traces into corpus/traces/seeds/ by running
# ./fifuzz on small integration targets (make -C tests/integ targets first).
#   sh fuzz/reader/make-seeds.sh
# Each seed is a real trace: faults of every kind, torn writes, several
# processes, an incomplete run, a hang, a crash, a replay that diverged, a
# schedule-driven run, selection options (errnos, globs, --after, --only).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
F=$ROOT/fifuzz
BIN=$ROOT/tests/integ/bin
OUT=$ROOT/corpus/traces/seeds
mkdir -p "$OUT"
T=$(mktemp -d "${TMPDIR:-/tmp}/fifuzz-seeds.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# rec NAME FIFUZZ-ARGS...: records in a fresh directory into $OUT/NAME.trace.
rec() {
	n=$1
	shift
	rm -rf "$T/w" && mkdir "$T/w"
	(cd "$T/w" && "$F" -q -o "$OUT/$n.trace" "$@" >/dev/null 2>&1 </dev/null)
	[ -s "$OUT/$n.trace" ] || echo "make-seeds: $n: no trace" >&2
}

rec pass-multi        --seed 1 --rate 0 -- "$BIN/multi" 5
rec writes-multi      --seed 3 --rate 0.5 -- "$BIN/multi" 8
rec short             --seed 7 --rate 1 --faults short -- "$BIN/cat_files"
rec error             --seed 7 --rate 1 --faults error -e %write -- "$BIN/cat_files"
rec torn-seed         --seed 2 --rate 1 --faults torn -- "$BIN/seed_c"
rec fsync             --seed 7 --rate 1 --faults fsync -e %sync -- "$BIN/cat_files"
rec eintr             --seed 7 --rate 1 --faults eintr -e %net,read,write --fd-kind socket,pipe --timeout 20 -- "$BIN/cat_net"
rec eagain            --seed 7 --rate 1 --faults eagain -e %net,read,write --fd-kind socket,pipe --timeout 20 -- "$BIN/cat_net"
rec reads-files       --seed 5 --rate 0.3 -e %read,%file -- "$BIN/cat_files"
rec forkw             --seed 4 --rate 0.3 -- "$BIN/forkw" 3 5
rec threads           --seed 4 --rate 0.3 -- "$BIN/threads" 2 5
rec crash             --seed 1 --rate 1 -- "$BIN/crash"
rec hang              --seed 1 --timeout 1 -- "$BIN/hang" "ffseed-$$"
rec selection         --seed 9 --rate 0.5 --errno EIO,ENOSPC --path '*.txt' --path 'd/*' --max-faults 3 --after 1 \
                      --profile all --include-stdio --fd-kind file,pipe -- "$BIN/multi" 6
rec only              --seed 2 --only 3 -- "$BIN/cat_files"
rec names             --seed 1 --rate 1 -- "$BIN/names"
rec stdio             --seed 1 --rate 1 --include-stdio -- "$BIN/stdio"

# An incomplete trace: fifuzz gets SIGTERM while the program hangs.
rm -rf "$T/w" && mkdir "$T/w"
(cd "$T/w" && exec "$F" -q --seed 1 -o "$OUT/incomplete-sigterm.trace" -- "$BIN/hang" "ffseed-$$" \
	>/dev/null 2>&1 </dev/null) &
pid=$!
i=0
while [ ! -e "$T/w/hang.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid

# A replay that diverges: multi's trace replayed on another program.
rm -rf "$T/w" && mkdir "$T/w"
(cd "$T/w" && "$F" replay -q -o "$OUT/replay-diverged.trace" "$OUT/writes-multi.trace" -- "$BIN/multi" 3 \
	>/dev/null 2>&1 </dev/null)

# Power loss (format 2): a cut at a call under torn, a cut after the run with
# an fsync failure dropped, and the crash-consistency verdict of a check.
rec crash-torn-call   --seed 3 --rate 0.2 --crash-mode torn --crash-at 3 -- "$BIN/saver" naive data.txt new
rec crash-end-fsync   --seed 1 -e fsync --rate 1 --max-faults 1 --crash --crash-rate 0 --fsync-failure drop \
                      -- "$BIN/saver" careful data.txt new
rec crash-consistency --seed 1 --rate 0 --crash --crash-rate 0 --check 'grep -q new data.txt' \
                      -- "$BIN/saver" naive data.txt new

# Corrupted reads (format 4): each mode, on read, pread64 and readv.
for how in read pread readv; do
	rm -rf "$T/w" && mkdir "$T/w"
	head -c 20000 "$BIN/sumfile" >"$T/w/in.bin"
	(cd "$T/w" && "$F" -q -o "$OUT/corrupt-$how.trace" --seed 2 --rate 0.5 --faults corrupt -- \
		"$BIN/sumfile" in.bin out "$how" >/dev/null 2>&1 </dev/null)
done

# Stack sites (format 4): two contexts of one path, a fault in one.
rec stack-sites       --seed 5 --site stack --rate 0.5 -- "$BIN/hdrrec" 3

# A schedule-driven run (AFL++ bytes instead of a seed).
rec schedule          --schedule "$ROOT/corpus/schedules/torn-second" -- "$BIN/seed_c"

ls -l "$OUT"
