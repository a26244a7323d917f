#!/bin/sh
# `make bench`: times fifuzz against the program alone (native), the floor
# tracer (tests/bench/floor.c) and strace, and prints the ratios, the targets
# and the trace size. docs/performance.md explains the table. Builds nothing:
# make has built ../../fifuzz and bin/. Each cell is the best of $REPS runs.
set -u

here=$(cd "$(dirname "$0")" && pwd)
bin=$here/bin
fifuzz=$(cd "$here/../.." && pwd)/fifuzz
REPS=${REPS:-5}
NWRITE=100000
NLOOP=1000000

for p in bwrite bloop floor btime; do
	[ -x "$bin/$p" ] || { echo "bench: $bin/$p missing; run make bench" >&2; exit 2; }
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
cd "$tmp" || exit 2
log=$tmp/log
failed=0

# A tool that cannot run once is left out instead of timed.
have_fifuzz=1
if ! [ -x "$fifuzz" ]; then
	echo "fifuzz: not built ($fifuzz)"
	have_fifuzz=0
	failed=1
elif ! "$fifuzz" --seed 1 --rate 0 --no-trace -q -- "$bin/bwrite" 10 >"$log" 2>&1 ||
	grep -q '^bwrite: ' "$log"; then
	echo "fifuzz: does not run; its output:"
	sed 's/^/  /' "$log"
	have_fifuzz=0
	failed=1
fi
have_strace=1
command -v strace >/dev/null 2>&1 || { echo "strace: not installed"; have_strace=0; }
have_taskset=1
command -v taskset >/dev/null 2>&1 || { echo "taskset: not installed; no pinned rows"; have_taskset=0; }

# Sets t_KEY to the best time of REPS runs of the command (and m_KEY to the
# worst); OK lists the exit statuses that count as success ("f": 0, with
# faults injected on purpose).
cell() {
	key=$1 ok=$2
	shift 2
	out=$("$bin/btime" "$REPS" "$@" 2>"$log")
	rc=$?
	# fifuzz exits 0 whatever the program's status, so bwrite's complaint
	# on stderr is what says that its writes failed.
	[ "$ok" = 0 ] && [ $rc = 0 ] && grep -q '^bwrite: ' "$log" && rc=1
	# OK "f": faults were injected, so bwrite's complaint is expected.
	[ "$ok" = f ] && ok=0
	case " $ok " in
	*" $rc "*) ;;
	*)
		echo "bench: '$*' failed (status $rc); its stderr:" >&2
		tail -n 5 "$log" | sed 's/^/  /' >&2
		failed=1
		# shellcheck disable=SC2034 # read by the eval below
		out=""
		;;
	esac
	eval "t_$key=\${out% *} m_$key=\${out#* }"
}

# Runs one workload under each tool; PIN is "taskset -c 0" or empty, and is
# split on purpose. SOK are strace's good statuses: its when=65535 injects one
# EIO (into write 65535), so bwrite exits 1 there.
# shellcheck disable=SC2086
workload() {
	w=$1 pin=$2 sok=$3
	shift 3
	cell "${w}_native" 0 $pin "$@"
	[ $have_fifuzz = 1 ] && cell "${w}_fifuzz" 0 $pin "$fifuzz" --seed 1 --rate 0 --no-trace -q -- "$@"
	cell "${w}_floor" 0 $pin "$bin/floor" "$@"
	[ $have_strace = 1 ] && cell "${w}_strace" "$sok" $pin strace -f -qq -o /dev/null \
		--seccomp-bpf -e trace=write -e inject=write:error=EIO:when=65535 "$@"
}

echo "fifuzz bench: best of $REPS runs; $(nproc) CPUs, Linux $(uname -r)"
workload a "" "0 1" "$bin/bwrite" $NWRITE bench.out
# fifuzz --pin, started unpinned: tracer and tracee share the CPU fifuzz
# starts on, while strace runs as users run it (the unpinned cell above).
[ $have_fifuzz = 1 ] && cell a_pin 0 "$fifuzz" --pin --seed 1 --rate 0 --no-trace -q -- "$bin/bwrite" $NWRITE bench.out
[ $have_taskset = 1 ] && workload p "taskset -c 0" "0 1" "$bin/bwrite" $NWRITE bench.out
# --crash (power-loss tracking) on the same writes, against the fifuzz cell
# beside it: pinned when taskset is there, as the p row.
cpin=""
[ $have_taskset = 1 ] && cpin="taskset -c 0" && ckey=p || ckey=a
# shellcheck disable=SC2086
[ $have_fifuzz = 1 ] && cell "${ckey}_crash" 0 $cpin "$fifuzz" --seed 1 --rate 0 --crash --crash-rate 0 --no-trace -q \
	-- "$bin/bwrite" $NWRITE bench.out
workload b "" 0 "$bin/bloop" $NLOOP

# ratio A B: A/B, or "-" when either is missing.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) { print "-"; exit }
		printf (a / b < 0.1 ? "%.3fx\n" : "%.2fx\n"), a / b }'
}
get() { eval "echo \${t_$1-}"; }
getmax() { eval "echo \${m_$1-}"; }

echo
printf '%-24s %-7s %8s %8s %9s %8s %9s\n' workload tool seconds 'max s' 'x native' 'x floor' 'x strace'
for w in a p b; do
	case $w in
	a) name="(a) bwrite $NWRITE" ;;
	p) name="(a) bwrite, taskset -c 0" ;;
	b) name="(b) bloop $NLOOP" ;;
	esac
	[ -n "$(get ${w}_native)" ] || continue
	for tool in native fifuzz pin crash floor strace; do
		t=$(get ${w}_$tool)
		[ -n "$t" ] || continue
		label=$tool
		[ $tool = pin ] && label="--pin"
		[ $tool = crash ] && label="--crash"
		printf '%-24s %-7s %8s %8s %9s %8s %9s\n' "$name" "$label" "$t" "$(getmax ${w}_$tool)" \
			"$(ratio "$t" "$(get ${w}_native)")" "$(ratio "$t" "$(get ${w}_floor)")" \
			"$(ratio "$t" "$(get ${w}_strace)")"
	done
done

# target LABEL A B LIMIT: PASS when cell A's time <= LIMIT * cell B's. A
# cell whose worst run took over 1.5x its best is flagged noisy: its best run
# is then luck (see docs/performance.md, "Noise").
target() {
	awk -v l="$1" -v a="$(get "$2")" -v b="$(get "$3")" -v lim="$4" \
		-v am="$(getmax "$2")" -v bm="$(getmax "$3")" 'BEGIN {
		if (a == "" || b == "") { printf "  %-46s   -     n/a\n", l; exit }
		noisy = (am > 1.5 * a || bm > 1.5 * b) ? "  (noisy)" : ""
		printf "  %-46s %5.2fx  %s%s\n", l, a / b, (a <= lim * b) ? "PASS" : "MISS", noisy }'
}
echo
echo "targets"
target "(b) fifuzz <= 1.05x floor" b_fifuzz b_floor 1.05
target "(a) fifuzz <= 1.1x floor" a_fifuzz a_floor 1.1
target "(a) fifuzz <= 0.45x strace" a_fifuzz a_strace 0.45
if [ $have_taskset = 1 ]; then
	target "(a, taskset -c 0) fifuzz <= 1.1x floor" p_fifuzz p_floor 1.1
	target "(a, taskset -c 0) fifuzz <= 0.45x strace" p_fifuzz p_strace 0.45
fi
# Sharing a CPU: fifuzz --pin (tracer and tracee on one CPU, no taskset)
# against strace as users run it (no pinning).
target "(a) fifuzz --pin <= 0.3x strace (unpinned)" a_pin a_strace 0.3
[ $have_fifuzz = 1 ] && target "(a${cpin:+, $cpin}) --crash <= 1.5x fifuzz" "${ckey}_crash" "${ckey}_fifuzz" 1.5

# The trace size per decision, with and without faults. field KEY prints the
# last "KEY": number of show.json, the run's total.
field() { grep -o "\"$1\"[[:space:]]*:[[:space:]]*[0-9]*" show.json | tail -n 1 | grep -o '[0-9]*$'; }
if [ $have_fifuzz = 1 ]; then
	echo
	echo "trace size (bwrite $NWRITE)"
	for rate in 0 0.5; do
		rm -f T
		"$fifuzz" --seed 1 --rate $rate -o T -- "$bin/bwrite" $NWRITE bench.out >"$log" 2>&1
		if ! [ -s T ]; then
			echo "  --rate $rate: no trace written; fifuzz said:"
			tail -n 5 "$log" | sed 's/^/    /'
			failed=1
			continue
		fi
		size=$(wc -c <T)
		"$fifuzz" show --json T >show.json 2>"$log" || failed=1
		awk -v s="$size" -v n=$NWRITE -v r=$rate -v e="$(field eligible)" -v f="$(field faults_injected)" \
			'BEGIN {
				pf = (f > 0) ? sprintf("%.2f", s / f) : "-"
				if (e == "") e = "?"
				if (f == "") f = "?"
				printf "  --rate %-4s %9d bytes  %7.4f bytes/decision  %s bytes/fault  eligible %s, faults_injected %s\n",
					r, s, s / n, pf, e, f }'
		k=$(echo "$rate" | tr . _)
		eval "size_$k=$size faults_$k=$(field faults_injected)"
	done
	# Targets: a fault costs at most 16 bytes (the whole trace divided by its
	# faults, passes included, at rate 0.5), a let-through call well under a
	# byte (the whole trace divided by its calls at rate 0, header included).
	awk -v s="${size_0-}" -v n=$NWRITE 'BEGIN {
		if (s == "") exit
		printf "  %-46s %6.4f  %s\n", "let-through: bytes/call < 1 (rate 0)", s / n, (s / n < 1) ? "PASS" : "MISS" }'
	awk -v s="${size_0_5-}" -v f="${faults_0_5-}" 'BEGIN {
		if (s == "" || f == "" || f == 0) exit
		printf "  %-46s %6.2f  %s\n", "fault: bytes/fault <= 16 (rate 0.5)", s / f, (s / f <= 16) ? "PASS" : "MISS" }'
fi

# Replay: record bwrite at --rate 0.1 (about 10 000 faults; bwrite keeps
# writing after a failed write), then replay the trace; both pinned when
# taskset is there. The record writes its trace; the replay writes none.
if [ $have_fifuzz = 1 ]; then
	echo
	echo "replay (bwrite $NWRITE, --rate 0.1)"
	rpin=""
	[ $have_taskset = 1 ] && rpin="taskset -c 0"
	# fifuzz exits 0 although bwrite, some of its writes faulted, exits 1.
	# shellcheck disable=SC2086
	cell r_record f $rpin "$fifuzz" -q --seed 1 --rate 0.1 -o rec.trace -- "$bin/bwrite" $NWRITE bench.out
	# shellcheck disable=SC2086
	[ -s rec.trace ] && cell r_replay f $rpin "$fifuzz" replay -q rec.trace -- "$bin/bwrite" $NWRITE bench.out
	if grep -q 'diverged' "$log"; then
		echo "bench: the replay diverged; its stderr:" >&2
		grep 'diverged' "$log" | head -n 3 | sed 's/^/  /' >&2
		failed=1
	fi
	printf '  record  %8s s (max %s)\n  replay  %8s s (max %s)\n' "$(get r_record)" "$(getmax r_record)" \
		"$(get r_replay)" "$(getmax r_replay)"
	target "replay <= 1.2x record" r_replay r_record 1.2
fi
# Stack sites (--site stack): the cost per eligible call, (fifuzz's time -
# the program's alone) / calls, of stack sites against path sites, on bwrite
# (pinned when taskset is there). Target: stack sites at most 3x path sites.
if [ $have_fifuzz = 1 ]; then
	echo
	NSTACK=20000
	spin=""
	[ $have_taskset = 1 ] && spin="taskset -c 0"
	echo "stack sites (bwrite $NSTACK${spin:+, $spin}): cost per eligible call"
	# shellcheck disable=SC2086
	cell s_native 0 $spin "$bin/bwrite" $NSTACK bench.out
	# shellcheck disable=SC2086
	cell s_path 0 $spin "$fifuzz" --seed 1 --rate 0 --no-trace -q -- "$bin/bwrite" $NSTACK bench.out
	# shellcheck disable=SC2086
	cell s_stack 0 $spin "$fifuzz" --site stack --seed 1 --rate 0 --no-trace -q -- "$bin/bwrite" $NSTACK bench.out
	awk -v n=$NSTACK -v z="$(get s_native)" -v p="$(get s_path)" -v s="$(get s_stack)" 'BEGIN {
		if (z == "" || p == "" || s == "") { print "  n/a"; exit }
		cp = (p - z) / n * 1e6; cs = (s - z) / n * 1e6
		printf "  path sites  %8.2f us/call (%s s)\n  stack sites %8.2f us/call (%s s)\n", cp, p, cs, s
		printf "  %-46s %5.2fx  %s\n", "stack sites <= 3x path sites per call", cs / cp, (cs <= 3 * cp) ? "PASS" : "MISS" }'
fi
# Launch rate, per core: a campaign of a tiny static program (-j 1) against
# a plain fork+exec+wait loop of it (tests/bench/spawn.c), both on CPU 0 when
# taskset is there; the best of 3 alternating runs of each. Target: at least
# 60% of the loop's runs/s. The campaign's rate (report.json) counts its two
# baselines' time but not their runs.
if [ $have_fifuzz = 1 ]; then
	echo
	NLAUNCH=2000
	lpin=""
	[ $have_taskset = 1 ] && lpin="taskset -c 0"
	echo "launch (tiny static program, $NLAUNCH runs, one core${lpin:+: $lpin}, best of 3)"
	plain="" camp=""
	for i in 1 2 3; do
		# shellcheck disable=SC2086
		p=$($lpin "$bin/spawn" $NLAUNCH "$bin/tiny" 2>"$log")
		rm -rf launch
		# shellcheck disable=SC2086
		$lpin "$fifuzz" campaign -q -j 1 --runs $NLAUNCH --rate 0 -o launch -- "$bin/tiny" >"$log" 2>&1
		c=$(grep -o '"runs_per_s":[0-9.]*' launch/report.json 2>/dev/null | grep -o '[0-9.]*$')
		plain=$(awk -v a="$plain" -v b="$p" 'BEGIN { print (b != "" && (a == "" || b + 0 > a + 0)) ? b : a }')
		camp=$(awk -v a="$camp" -v b="$c" 'BEGIN { print (b != "" && (a == "" || b + 0 > a + 0)) ? b : a }')
	done
	if [ -n "$plain" ] && [ -n "$camp" ]; then
		awk -v p="$plain" -v c="$camp" 'BEGIN {
			printf "  fork+exec+wait   %8.1f runs/s\n  fifuzz campaign  %8.1f runs/s\n", p, c
			printf "  %-46s %5.2fx  %s\n", "campaign >= 0.60x fork+exec+wait (runs/s)", c / p, (c / p >= 0.6) ? "PASS" : "MISS" }'
	else
		echo "  launch benchmark failed; its log:"
		tail -n 5 "$log" | sed 's/^/    /'
		failed=1
	fi
	# Unpinned, by wall time: the whole campaign (start-up, two baselines,
	# report) timed by btime around it, against the plain loop's own rate;
	# and the rate report.json prints against that wall-time rate.
	echo
	echo "launch (the same, unpinned, by wall time of the whole campaign; medians of 3)"
	ps="" ws="" rs=""
	for i in 1 2 3; do
		p=$("$bin/spawn" $NLAUNCH "$bin/tiny" 2>"$log")
		rm -rf launch
		w=$("$bin/btime" 1 "$fifuzz" campaign -q -j 1 --runs $NLAUNCH --rate 0 -o launch -- "$bin/tiny" 2>"$log")
		c=$(grep -o '"runs_per_s":[0-9.]*' launch/report.json 2>/dev/null | grep -o '[0-9.]*$')
		[ -n "$p" ] && [ -n "$w" ] && [ -n "$c" ] || continue
		ps="$ps $p" ws="$ws ${w% *}" rs="$rs $c"
	done
	if [ -n "$ws" ]; then
		med() { echo "$@" | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
		awk -v p="$(med $ps)" -v w="$(med $ws)" -v r="$(med $rs)" -v n=$NLAUNCH 'BEGIN {
			wr = n / w
			printf "  fork+exec+wait   %8.1f runs/s\n  fifuzz campaign  %8.1f runs/s (%d runs in %.3f s)\n", p, wr, n, w
			printf "  report.json      %8.1f runs/s\n", r
			printf "  %-46s %5.2fx  %s\n", "campaign launch >= 0.75x fork+exec+wait (wall)", wr / p, (wr / p >= 0.75) ? "PASS" : "MISS"
			d = r / wr - 1; if (d < 0) d = -d
			printf "  %-46s %5.2fx  %s\n", "report.json rate within 10% of wall-time rate", r / wr, (d <= 0.1) ? "PASS" : "MISS" }'
	else
		echo "  launch benchmark (unpinned) failed; its log:"
		tail -n 5 "$log" | sed 's/^/    /'
		failed=1
	fi
fi

# Runs forked from a snapshot (docs/snapshot.md): a campaign of a small
# dynamic program (tinydyn: tiny.c linked dynamically) against a plain
# fork+exec+wait loop of it and against the same campaign with --no-snapshot,
# unpinned, each campaign timed whole by btime; medians of 3 alternated runs.
# Target: 1.5x the loop. Then a Python one-liner the same way (reported only).
snap_rates() { # LABEL PROG ARGS...: sets sp (loop), sw (snapshot), se (exec) medians
	sl=$1
	shift
	ps="" ws="" es=""
	for i in 1 2 3; do
		p=$("$bin/spawn" $NSNAP "$@" 2>"$log")
		rm -rf launch
		w=$("$bin/btime" 1 "$fifuzz" campaign -q -j 1 --runs $NSNAP --rate 0 -o launch -- "$@" 2>"$log")
		grep -q '"snapshot":'$NSNAP, launch/report.json 2>/dev/null || { echo "  $sl: runs not forked from a snapshot"; w=""; }
		rm -rf launch
		e=$("$bin/btime" 1 "$fifuzz" campaign -q -j 1 --runs $NSNAP --rate 0 --no-snapshot -o launch -- "$@" 2>"$log")
		[ -n "$p" ] && [ -n "$w" ] && [ -n "$e" ] || continue
		ps="$ps $p" ws="$ws ${w% *}" es="$es ${e% *}"
	done
	[ -n "$ws" ] || return 1
	sp=$(med $ps) sw=$(med $ws) se=$(med $es)
}
if [ $have_fifuzz = 1 ]; then
	echo
	NSNAP=1000
	med() { echo "$@" | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	echo "snapshot launch (tinydyn: a dynamic program writing a file, $NSNAP runs, unpinned, wall time, medians of 3)"
	if snap_rates tinydyn "$bin/tinydyn"; then
		awk -v p="$sp" -v w="$sw" -v e="$se" -v n=$NSNAP 'BEGIN {
			printf "  fork+exec+wait        %8.1f runs/s\n", p
			printf "  campaign, snapshot    %8.1f runs/s\n  campaign, --no-snapshot %6.1f runs/s\n", n / w, n / e
			printf "  %-46s %5.2fx  %s\n", "snapshot launch >= 1.5x fork+exec+wait (wall)", n / w / p, (n / w / p >= 1.5) ? "PASS" : "MISS"
			printf "  snapshot against --no-snapshot                 %5.2fx\n", e / w }'
	else
		echo "  snapshot benchmark failed; its log:"
		tail -n 5 "$log" | sed 's/^/    /'
		failed=1
	fi
	NSNAP=200
	if [ -x /usr/bin/python3 ] && snap_rates python3 /usr/bin/python3 -c "open('p.out', 'w').write('x')"; then
		echo "python3 -c one-liner ($NSNAP runs, the same way)"
		awk -v p="$sp" -v w="$sw" -v e="$se" -v n=$NSNAP 'BEGIN {
			printf "  fork+exec+wait        %8.1f runs/s\n", p
			printf "  campaign, snapshot    %8.1f runs/s\n  campaign, --no-snapshot %6.1f runs/s\n", n / w, n / e
			printf "  snapshot against fork+exec+wait %5.2fx, against --no-snapshot %5.2fx\n", n / w / p, e / w }'
	fi
fi

# AFL++: afl-fuzz's executions per second on the bundled example, bare and
# wrapped in fifuzz riding the target's forkserver, side by side (target: the
# wrapped run keeps at least 85% of the bare rate). afl-fuzz binds itself and
# the target to a free CPU, as AFL++ users run it.
afl_rate() { grep -o 'execs_per_sec *: *[0-9.]*' "$1/default/fuzzer_stats" 2>/dev/null | grep -o '[0-9.]*$'; }
if [ "${SKIP_AFL-}" = 1 ]; then
	echo
	echo "AFL++: skipped (SKIP_AFL=1)"
elif [ $have_fifuzz = 1 ] && command -v afl-fuzz >/dev/null 2>&1 && command -v afl-cc >/dev/null 2>&1; then
	echo
	echo "AFL++ (examples/afl/bug.c, afl-fuzz -V 10 each)"
	root=$(cd "$(dirname "$fifuzz")" && pwd)
	if AFL_QUIET=1 afl-cc -O1 -o afl_bug "$root/examples/afl/bug.c" >"$log" 2>&1; then
		for m in bare fifuzz; do
			rm -rf "afl_$m"
			if [ $m = bare ]; then set -- ./afl_bug @@; else set -- "$fifuzz" -q --schedule @@ -- ./afl_bug; fi
			AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
				timeout -k 5 40 afl-fuzz -V 10 -i "$root/corpus/schedules" -o "afl_$m" -- "$@" >"$log" 2>&1
		done
		b=$(afl_rate afl_bare)
		f=$(afl_rate afl_fifuzz)
		if [ -n "$b" ] && [ -n "$f" ]; then
			awk -v b="$b" -v f="$f" 'BEGIN {
				printf "  bare target   %9.1f execs/s\n  under fifuzz  %9.1f execs/s\n", b, f
				printf "  fifuzz keeps >= 0.85 of the bare rate     %.2f  %s\n", f / b, (f / b >= 0.85) ? "PASS" : "MISS" }'
		else
			echo "  afl-fuzz did not report a rate; its log:"
			tail -n 5 "$log" | sed 's/^/    /'
		fi
	else
		echo "  afl-cc could not build the example"
	fi
else
	echo
	echo "AFL++: afl-fuzz or afl-cc not installed (Debian package afl++); skipped"
fi
exit $failed
