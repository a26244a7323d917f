#!/bin/sh
# Starts an AFL++ campaign that fuzzes fifuzz schedules (the fault decisions)
# of one program: N afl-fuzz instances, one main (-M main) and N-1 secondaries
# (-S secK), sharing the sync directory OUT.
#
#   fuzz/afl-campaign.sh [-j N] [-t SECONDS] [-i SEEDS] -o OUT -- PROG [ARGS...]
#
#   -j N        instances (default: the number of CPUs)
#   -t SECONDS  stop every instance after SECONDS (timeout(1)); default: run
#               until stopped
#   -i SEEDS    the starting schedules (default: corpus/schedules/)
#   -o OUT      the sync directory; each instance's queue, crashes and hangs are
#               in OUT/NAME/, its log in OUT/NAME.log
#
# PROG should be built with afl-cc so that AFL++ sees its coverage; fifuzz
# rides PROG's own forkserver, each fork a fresh run. FIFUZZ names the fifuzz binary (default: the one built
# in this repository, else fifuzz from PATH). AFL_AUTORESUME=1 resumes a
# campaign whose OUT exists. Turn the crashes into traces with afl-triage.sh.
set -eu

usage() {
	echo "usage: $0 [-j N] [-t SECONDS] [-i SEEDS] -o OUT -- PROG [ARGS...]" >&2
	exit 2
}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
secs=
seeds=$ROOT/corpus/schedules
out=
while getopts j:t:i:o: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	t) secs=$OPTARG ;;
	i) seeds=$OPTARG ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
if [ -z "$out" ] || [ $# -eq 0 ]; then usage; fi
case $jobs in '' | *[!0-9]* | 0) echo "$0: -j wants a positive number, not '$jobs'" >&2 && exit 2 ;; esac
case $secs in *[!0-9]*) echo "$0: -t wants whole seconds, not '$secs'" >&2 && exit 2 ;; esac

if [ -n "${FIFUZZ:-}" ]; then
	fifuzz=$FIFUZZ
elif [ -x "$ROOT/fifuzz" ]; then
	fifuzz=$ROOT/fifuzz
else
	fifuzz=$(command -v fifuzz) || {
		echo "$0: no fifuzz: run make, or set FIFUZZ" >&2
		exit 2
	}
fi
command -v afl-fuzz >/dev/null 2>&1 || {
	echo "$0: afl-fuzz is not installed (Debian: apt-get install afl++)" >&2
	exit 2
}
[ -d "$seeds" ] || {
	echo "$0: no seed directory $seeds" >&2
	exit 2
}

mkdir -p "$out"
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
pids=
i=0
while [ $i -lt "$jobs" ]; do
	if [ $i -eq 0 ]; then role="-M main" name=main; else role="-S sec$i" name=sec$i; fi
	# shellcheck disable=SC2086 # $role is two words
	if [ -n "$secs" ]; then
		timeout -k 10 "$secs" afl-fuzz $role -i "$seeds" -o "$out" -- "$fifuzz" -q --schedule @@ -- "$@" \
			>"$out/$name.log" 2>&1 </dev/null &
	else
		afl-fuzz $role -i "$seeds" -o "$out" -- "$fifuzz" -q --schedule @@ -- "$@" \
			>"$out/$name.log" 2>&1 </dev/null &
	fi
	pids="$pids $!"
	i=$((i + 1))
done
echo "$pids" >"$out/afl-campaign.pids"

stop() {
	# shellcheck disable=SC2086 # a list of pids
	kill $pids 2>/dev/null || true
}
trap 'stop; wait; exit 130' INT
trap 'stop; wait; exit 143' TERM

echo "afl-campaign: $jobs instance(s) of afl-fuzz in $out (logs $out/*.log), pids:$pids"
if [ -n "$secs" ]; then
	echo "afl-campaign: they stop after ${secs}s; to stop them sooner: Ctrl-C, or kill \$(cat $out/afl-campaign.pids)"
else
	echo "afl-campaign: to stop them: Ctrl-C, or kill \$(cat $out/afl-campaign.pids)"
fi
echo "afl-campaign: progress: afl-whatsup -s $out"
wait
rm -f "$out/afl-campaign.pids"

n=0
for c in "$out"/*/crashes/id:*; do
	case $c in *.trace) continue ;; esac
	[ -f "$c" ] && n=$((n + 1))
done
echo "afl-campaign: done; $n crash file(s): fuzz/afl-triage.sh $out -- $*"
