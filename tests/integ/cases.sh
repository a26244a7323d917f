# The integration cases, one shell function each, and their helpers.
# Sourced by run.sh in a fresh `sh` per case, with the working directory $M/w
# (fresh and empty) and these set: M (the case's scratch directory, which
# holds logs, traces and reports), INTEG, FIFUZZ, BIN, PY.
# A case passes by returning; `fail` and `skip` end it.

# shellcheck disable=SC2015,SC2164 # A && B || fail is meant; cd "$W" cannot fail
W=$M/w

# ---------------------------------------------------------------- helpers

# fail MESSAGE [LOG...]: ends the case as failed; shows the tail of each LOG
# ($M/LOG, or $M/LOG.err), with bytes other than printable ASCII, tab and
# newline shown as '?' so that a log cannot drive the terminal.
fail() {
	{
		printf '%s\n' "$1"
		shift
		for l; do
			f=$M/$l
			[ -f "$f" ] || f=$M/$l.err
			[ -f "$f" ] || continue
			printf -- '--- %s (tail):\n' "$(basename "$f")"
			tail -n 12 "$f" | LC_ALL=C tr -c '\11\12\40-\176' '?'
		done
	} >"$M/.why"
	exit 1
}

# skip REASON: ends the case as skipped.
skip() {
	printf '%s\n' "$1" >"$M/.why"
	exit 77
}

need_bin() {
	for b; do
		[ -x "$BIN/$b" ] && continue
		case $b in
		seed_go | gor) skip "go is not installed, so $b was not built" ;;
		*) fail "$BIN/$b is missing: run make -C tests/integ targets" ;;
		esac
	done
}

need_py() {
	[ -n "$PY" ] || skip "python3 is not installed"
}

# ff LOG ARGS...: runs fifuzz ARGS with stdout in $M/LOG.out and stderr in
# $M/LOG.err (the program's streams too); sets rc.
ff() {
	ff_log=$1
	shift
	"$FIFUZZ" "$@" >"$M/$ff_log.out" 2>"$M/$ff_log.err" </dev/null
	rc=$?
}

# want_rc WANT WHAT LOG: fifuzz's last exit status was WANT.
want_rc() {
	[ "$rc" = "$1" ] || fail "$2: fifuzz exited $rc, expected $1" "$3"
}

# one_line WHAT LOG: stderr is exactly one line, starting "fifuzz: ".
one_line() {
	ol_n=$(grep -c '' "$M/$2.err")
	[ "$ol_n" = 1 ] || fail "$1: $ol_n lines on stderr, expected exactly 1" "$2"
	grep -q '^fifuzz: ' "$M/$2.err" || fail "$1: stderr does not start with 'fifuzz: '" "$2"
}

# usage_error WHAT ARGS...: fifuzz ARGS exits 2 with one line on stderr.
usage_error() {
	ue_what=$1
	shift
	ff usage "$@"
	want_rc 2 "$ue_what" usage
	one_line "$ue_what" usage
}

check() {
	"$PY" "$INTEG/check.py" "$@"
}

# outcome_is FILE WANT WHAT LOG: the report/show JSON's "KIND CODE VERDICT" is WANT.
outcome_is() {
	oi_o=$(check outcome "$1") || fail "$3: $oi_o" "$4"
	[ "$oi_o" = "$2" ] || fail "$3: outcome '$oi_o', expected '$2'" "$4"
}

# reproduced LOG: the replay said it reproduced the recorded outcome.
reproduced() {
	grep -q 'reproduced' "$M/$1.err" && ! grep -q 'did not reproduce' "$M/$1.err" ||
		fail "replay: stderr does not say it reproduced the recorded outcome" "$1"
}

# same_tree DIR1 DIR2: both hold the same file names with the same bytes.
same_tree() {
	(cd "$1" && ls -A) >"$M/.ls1"
	(cd "$2" && ls -A) >"$M/.ls2"
	if ! cmp -s "$M/.ls1" "$M/.ls2"; then
		echo "files [$(tr '\n' ' ' <"$M/.ls1")] vs [$(tr '\n' ' ' <"$M/.ls2")]"
		return 1
	fi
	for st_f in $(cat "$M/.ls1"); do
		cmp -s "$1/$st_f" "$2/$st_f" || {
			echo "$st_f differs"
			return 1
		}
	done
}

# proc_state PID: the state letter of PID (empty when it is gone).
proc_state() {
	sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

# alive MARKER: prints the pids of live (not zombie) processes whose command
# line contains MARKER (read from /proc: pgrep is not everywhere).
alive() {
	for al_d in /proc/[0-9]*; do
		al_p=${al_d#/proc/}
		[ "$al_p" != $$ ] || continue
		tr '\0' ' ' <"$al_d/cmdline" 2>/dev/null | grep -qF -- "$1" || continue
		al_s=$(proc_state "$al_p")
		[ -n "$al_s" ] && [ "$al_s" != Z ] && echo "$al_p"
	done
}

# no_survivors MARKER WHAT LOG: no process of the run is left; kills any that is.
no_survivors() {
	ns_left=$(alive "$1")
	if [ -n "$ns_left" ]; then
		for ns_p in $ns_left; do
			printf '%s %s: %s\n' "$ns_p" "$(proc_state "$ns_p")" "$(tr '\0' ' ' <"/proc/$ns_p/cmdline" 2>/dev/null)"
		done >"$M/ps.err"
		for ns_p in $ns_left; do kill -KILL "$ns_p" 2>/dev/null; done
		fail "$2: processes of the program are still alive after fifuzz exited: $ns_left" "$3" ps
	fi
}

# ---------------------------------------------------------------- cases

# seed_prefix PROG [OPTION...]: the seed post's program under --rate 1
# --faults torn exits 0 and leaves a strict prefix; replay elsewhere repeats it.
seed_prefix() {
	prog=$1
	shift
	need_bin "$prog"
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 1 --rate 1 --faults torn "$@" -o "$M/t.trace" --report "$M/r.json" -- "$BIN/$prog"
	cd "$W"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
	msg=$(check prefix rec/test.txt) || fail "run: $msg" rec
	grep -q '^fifuzz: write test.txt #0 (16 bytes): torn [0-9]* + E[A-Z]*$' "$M/rec.err" ||
		fail "run: no line 'fifuzz: write test.txt #0 (16 bytes): torn N + ERRNO' on stderr" rec
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$BIN/$prog"
	cd "$W"
	want_rc 0 replay rep
	cmp -s rec/test.txt rep/test.txt ||
		fail "replay: test.txt holds '$(cat rep/test.txt)', recorded '$(cat rec/test.txt)'" rep
	reproduced rep
	outcome_is "$M/r2.json" "exited 0 pass" replay rep
	msg=$(check replay_ok "$M/r2.json") || fail "$msg" rep
}

# seed_py: the Python version raises on the torn write and exits 1,
# which fifuzz does not count as a failure; replay repeats it.
seed_py() {
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 1 --rate 1 --faults torn -o "$M/t.trace" --report "$M/r.json" -- "$PY" -B "$INTEG/targets/seed.py"
	cd "$W"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 1 pass" "run (python must exit 1 on the OSError)" rec
	grep -Eq '(OSError|PermissionError).*\[Errno [0-9]+\]' "$M/rec.err" ||
		fail "run: python's stderr does not show the OSError" rec
	# Python retries the flush at close, so the file may hold two torn pieces.
	msg=$(check torn_only rec/test.txt) || fail "run: $msg" rec
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$PY" -B "$INTEG/targets/seed.py"
	cd "$W"
	want_rc 0 replay rep
	outcome_is "$M/r2.json" "exited 1 pass" replay rep
	cmp -s rec/test.txt rep/test.txt ||
		fail "replay: test.txt holds '$(cat rep/test.txt)', recorded '$(cat rec/test.txt)'" rep
	reproduced rep
}

# determinism PROG SEEDS TRACECMP [FIFUZZ-OPTION...] -- [ARG...]: for each
# seed 1..SEEDS, record PROG ARGS twice (in the same directory) and replay the
# first trace in another directory; every output file, the program's stdout
# and its outcome must be the same in all three runs. TRACECMP=yes: the two
# traces must be identical too.
determinism() {
	prog=$1 seeds=$2 tcmp=$3
	shift 3
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	[ $# -gt 0 ] && shift
	need_bin "$prog"
	need_py
	for s in $(seq 1 "$seeds"); do
		for i in 1 2; do
			mkdir run
			# shellcheck disable=SC2086 # opts are words from cases.txt
			cd run && ff "rec$i" --seed "$s" $opts -o "$M/t$i.trace" --report "$M/r$i.json" -- "$BIN/$prog" "$@"
			cd "$W"
			want_rc 0 "seed $s, run $i" "rec$i"
			mv run "o$i"
			cp "$M/rec$i.out" "o$i/.stdout"
		done
		mkdir -p rep/sub
		cd rep/sub && ff rep replay --report "$M/r3.json" "$M/t1.trace" -- "$BIN/$prog" "$@"
		cd "$W"
		want_rc 0 "seed $s, replay" rep
		mv rep/sub o3
		cp "$M/rep.out" o3/.stdout
		d=$(same_tree o1 o2) || fail "seed $s: two recordings wrote different outputs: $d" rec1 rec2
		d=$(same_tree o1 o3) || fail "seed $s: the replay wrote different outputs: $d" rec1 rep
		o1=$(check outcome "$M/r1.json") && o2=$(check outcome "$M/r2.json") && o3=$(check outcome "$M/r3.json") ||
			fail "seed $s: a report is unreadable: $o1 / $o2 / $o3" rec1 rep
		[ "$o1" = "$o2" ] && [ "$o1" = "$o3" ] || fail "seed $s: outcomes differ: '$o1', '$o2', replay '$o3'" rec1 rep
		case $o1 in "exited 0 pass") ;; *) fail "seed $s: outcome '$o1', expected 'exited 0 pass'" rec1 ;; esac
		reproduced rep
		! grep -q 'diverged' "$M/rep.err" || fail "seed $s: the replay diverged" rep
		msg=$(check replay_ok "$M/r3.json") || fail "seed $s: $msg" rep
		if [ "$tcmp" = yes ]; then
			cmp -s "$M/t1.trace" "$M/t2.trace" || fail "seed $s: two recordings gave different traces" rec1 rec2
		fi
		"$FIFUZZ" show --json "$M/t1.trace" >"$M/show$s.json" || fail "seed $s: show --json failed" rec1
		rm -rf o1 o2 o3 rep
	done
	# The same faults twice proves nothing if there were none: every file the
	# program's processes, threads or goroutines wrote got faults in some seed
	# (injection that stopped in forked children or Go threads fails here).
	"$PY" - "$M"/show*.json <<-'PY' || fail "faults did not reach every task's file" rec1
		import json, sys
		seen, faulted, n = set(), set(), 0
		for p in sys.argv[1:]:
		    for st in json.load(open(p))["streams"]:
		        seen.add(st["path"])
		        k = sum(1 for i in st["items"] if i["kind"] != "pass")
		        n += k
		        if k:
		            faulted.add(st["path"])
		print(f"{n} faults over {len(sys.argv) - 1} seeds, in {len(faulted)} of {len(seen)} sites' paths")
		assert n > 0, "no fault was injected"
		assert faulted == seen, f"never faulted: {sorted(seen - faulted)}"
	PY
}

# short_exact: at rate 1 with --faults short, multi sees exactly the n that
# `show --json` lists for each call, writev/pwritev2 included.
short_exact() {
	need_bin multi
	need_py
	ff rec --seed 1 --rate 1 --faults short -o "$M/t.trace" -- "$BIN/multi" 24
	want_rc 0 run rec
	ff show show --json "$M/t.trace"
	want_rc 0 "show --json" show
	msg=$(check short_exact "$M/show.out" "$M/rec.out") || fail "$msg" rec show
	msg=$(check multi_content . "$M/rec.out" 24) || fail "$msg" rec
}

# error_errnos: at rate 1 with --faults error, every call fails with an errno
# of the catalogue's write list.
error_errnos() {
	need_bin multi
	need_py
	ff rec --seed 1 --rate 1 --faults error -o "$M/t.trace" -- "$BIN/multi" 24
	want_rc 0 run rec
	msg=$(check errnos "$M/rec.out" 24) || fail "$msg" rec
	msg=$(check multi_content . "$M/rec.out" 24) || fail "$msg" rec
}

# stdio_untouched: at rate 1, writes to fds 1 and 2 (regular files here) are
# left alone, the write to stdio.out is faulted.
stdio_untouched() {
	need_bin stdio
	need_py
	ff rec -q --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/stdio"
	want_rc 0 run rec
	printf 'hello\n' >"$M/hello"
	cmp -s "$M/hello" "$M/rec.out" || fail "stdout holds '$(cat "$M/rec.out")', expected 'hello'" rec
	grep -qx hello "$M/rec.err" || fail "stderr has no intact 'hello' line" rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
	msg=$(check only_path "$M/r.json" stdio.out) || fail "$msg" rec
	ff show show "$M/t.trace"
	want_rc 0 show show
	grep -q '^write stdio.out #0 (6 bytes): [a-z]' "$M/show.out" || fail "the trace has no fault for stdio.out" show.out
}

# crash [child]: a write error makes crash.c dereference NULL: exit 1,
# verdict crash, and replay finds the same crash. With "child" a forked child
# crashes and the root exits 0: still a crash.
crash() {
	need_bin crash
	need_py
	want=${1:+"exited 0 crash"}
	want=${want:-"signaled 11 crash"}
	ff rec --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/crash" "$@"
	want_rc 1 run rec
	outcome_is "$M/r.json" "$want" run rec
	grep -q SIGSEGV "$M/rec.err" || fail "run: stderr does not name SIGSEGV" rec
	mkdir rep
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$BIN/crash" "$@"
	cd "$W"
	want_rc 1 replay rep
	outcome_is "$M/r2.json" "$want" replay rep
	reproduced rep
}

# timeout_hang: --timeout 1 on a program that sleeps forever: exit 1, verdict
# hang, and nothing of it is left running.
timeout_hang() {
	need_bin hang
	need_py
	mk=ffmark-$$-hang
	ff rec --seed 1 --timeout 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/hang" "$mk"
	want_rc 1 run rec
	no_survivors "$mk" run rec
	o=$(check outcome "$M/r.json") || fail "$o" rec
	case $o in *" hang") ;; *) fail "run: outcome '$o', expected verdict hang" rec ;; esac
}

# daemon: the program's grandchild (setsid, double fork) outlives it; fifuzz
# ends the run when the root exits and kills the grandchild.
daemon() {
	need_bin daemon
	need_py
	mk=ffmark-$$-daemon
	ff rec --seed 1 --timeout 30 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/daemon" "$mk"
	st=$rc
	no_survivors "$mk" run rec
	rc=$st
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
}

# sigterm [SIG STATUS]: SIGTERM (or SIG) to fifuzz kills the tree, exits 143
# (or STATUS) and leaves a trace marked incomplete.
sigterm() {
	sig=${1:-TERM} want=${2:-143}
	need_bin hang
	mk=ffmark-$$-sig$sig
	"$FIFUZZ" --seed 1 -o "$M/t.trace" -- "$BIN/hang" "$mk" >"$M/bg.out" 2>"$M/bg.err" </dev/null &
	pid=$!
	i=0
	while [ ! -e hang.ready ]; do
		i=$((i + 1))
		if [ $i -gt 600 ] || [ "$(proc_state $pid)" = Z ]; then
			kill -KILL $pid 2>/dev/null
			wait $pid
			fail "hang.ready did not appear within 60s (fifuzz exit $?)" bg
		fi
		sleep 0.1
	done
	kill -s "$sig" $pid
	i=0
	while [ "$(proc_state $pid)" != Z ] && [ -n "$(proc_state $pid)" ]; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			kill -KILL $pid
			wait $pid
			no_survivors "$mk" "after SIG$sig" bg
			fail "fifuzz still running 60s after SIG$sig" bg
		fi
		sleep 0.1
	done
	wait $pid
	rc=$?
	no_survivors "$mk" "after SIG$sig" bg
	want_rc "$want" "after SIG$sig" bg
	ff show show "$M/t.trace"
	want_rc 0 "show of the interrupted trace" show
	grep -q INCOMPLETE "$M/show.out" || fail "show does not say INCOMPLETE" show.out
}

# mutants_refused TRACE [PROG ARGS...]: every truncation of TRACE and every
# copy with one byte inverted is refused by show (exit 2, one line); with
# PROG, every 7th truncation is refused by replay too, before running it.
mutants_refused() {
	mr_t=$1
	shift
	size=$(wc -c <"$mr_t")
	n=0
	while [ "$n" -lt "$size" ]; do
		head -c "$n" "$mr_t" >"$M/x.trace"
		usage_error "show of the first $n of $size bytes" show "$M/x.trace"
		if [ $# -gt 0 ] && [ $((n % 7)) -eq 0 ]; then
			usage_error "replay of the first $n of $size bytes" replay "$M/x.trace" -- "$@"
		fi
		n=$((n + 1))
	done
	mkdir -p "$M/flip"
	check flips "$mr_t" "$M/flip"
	n=0
	while [ "$n" -lt "$size" ]; do
		usage_error "show of the trace with byte $n inverted" show "$M/flip/$n.trace"
		n=$((n + 1))
	done
}

# corrupt_traces: every truncation and every single-byte flip of a valid
# trace, a wrong magic, a newer format, an empty file, a directory and a
# missing file: show and replay exit 2 with one line, and run nothing.
corrupt_traces() {
	need_bin seed_c multi
	need_py
	ff rec --seed 1 --rate 1 --faults torn -o "$M/t.trace" -- "$BIN/seed_c"
	want_rc 0 "recording the trace" rec
	ff show show "$M/t.trace"
	want_rc 0 "show of the intact trace" show
	rm -f test.txt
	mutants_refused "$M/t.trace" "$BIN/multi" 3
	[ ! -e a.out ] || fail "a replay of a cut-short trace ran the program"
	check patch "$M/t.trace" "$M/magic.trace" 0 47
	usage_error "show of a wrong magic" show "$M/magic.trace"
	# Format version and oldest reader are u16 LE at offsets 8 and 10.
	check patch "$M/t.trace" "$M/newer.trace" 8 09000900
	usage_error "show of format 9" show "$M/newer.trace"
	grep -q 'newer fifuzz' "$M/usage.err" || fail "show of format 9 does not ask for a newer fifuzz" usage
	usage_error "replay of format 9" replay "$M/newer.trace" -- "$BIN/multi" 3
	grep -q 'newer fifuzz' "$M/usage.err" || fail "replay of format 9 does not ask for a newer fifuzz" usage
	: >"$M/empty.trace"
	usage_error "show of an empty file" show "$M/empty.trace"
	usage_error "replay of an empty file" replay "$M/empty.trace" -- "$BIN/multi" 3
	usage_error "show of a directory" show "$M/flip"
	usage_error "replay of a directory" replay "$M/flip" -- "$BIN/multi" 3
	usage_error "show of a missing file" show "$M/missing.trace"
	usage_error "replay of a missing file" replay "$M/missing.trace" -- "$BIN/multi" 3
	[ ! -e a.out ] || fail "a replay of a bad trace ran the program"
}

# bad_usage: each mistake exits 2 with one line and runs nothing; --version
# and --help exit 0.
bad_usage() {
	need_bin seed_c
	p=$BIN/seed_c
	usage_error "unknown syscall" -e frobnicate -- "$p"
	usage_error "unknown fault kind" --faults frob -- "$p"
	usage_error "rate 1.5" --rate 1.5 -- "$p"
	usage_error "rate abc" --rate abc -- "$p"
	usage_error "-j beyond 32 bits" campaign -j 4294967297 -o "$M/j" -- "$p"
	usage_error "-e openat --fd-kind pipe" -e openat --fd-kind pipe -- "$p"
	grep -q 'add --fd-kind file' "$M/usage.err" || fail "-e openat --fd-kind pipe: the advice is not --fd-kind file" usage
	usage_error "rate -0.5" --rate -0.5 -- "$p"
	usage_error "missing program" -- /nonexistent/prog
	usage_error "no program" --seed 1
	# Bare `fifuzz` may print the whole usage; it must still exit 2.
	ff usage
	want_rc 2 "no arguments at all" usage
	usage_error "unknown option" --frobnicate -- "$p"
	usage_error "seed -1" --seed -1 -- "$p"
	usage_error "seed 2^64" --seed 18446744073709551616 -- "$p"
	usage_error "timeout abc" --timeout abc -- "$p"
	usage_error "unknown fd kind" --fd-kind frob -- "$p"
	usage_error "max-procs -1" --max-procs -1 -- "$p"
	usage_error "max-procs abc" --max-procs abc -- "$p"
	usage_error "replay without a trace" replay
	usage_error "show without a trace" show
	[ ! -e test.txt ] || fail "a bad command line ran the program"
	ff version --version
	want_rc 0 --version version
	grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' "$M/version.out" || fail "--version prints no version number" version.out
	ff help --help
	want_rc 0 --help help
	grep -q -- '--seed' "$M/help.out" || fail "--help does not mention --seed on stdout" help.out
}

# random_seed: without --seed fifuzz prints the seed it drew; that seed
# given back yields the identical trace.
random_seed() {
	need_bin multi
	mkdir a b
	cd a && ff rec --rate 0.5 -- "$BIN/multi" 20
	cd "$W"
	want_rc 0 run rec
	seed=$(sed -n 's/^fifuzz: seed \([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' "$M/rec.err")
	[ -n "$seed" ] || fail "no 'fifuzz: seed N' line on stderr" rec
	[ -f "a/fifuzz-$seed.trace" ] || fail "the default trace a/fifuzz-$seed.trace was not written ($(ls a | tr '\n' ' '))" rec
	mv "a/fifuzz-$seed.trace" "$M/t1.trace"
	cd b && ff rec2 --seed "$seed" --rate 0.5 -o "$M/t2.trace" -- "$BIN/multi" 20
	cd "$W"
	want_rc 0 "run with --seed $seed" rec2
	cmp -s "$M/t1.trace" "$M/t2.trace" || fail "--seed $seed gave a different trace" rec rec2
	d=$(same_tree a b) || fail "--seed $seed gave different outputs: $d" rec rec2
}

# report_json: the run report parses and agrees with what multi saw.
report_json() {
	need_bin multi
	need_py
	ff rec --seed 3 --rate 0.5 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/multi" 12
	want_rc 0 run rec
	"$PY" -m json.tool "$M/r.json" >/dev/null 2>"$M/json.err" || fail "the report is not valid JSON" json r.json
	msg=$(check report_keys "$M/r.json" 3 "$M/rec.out") || fail "$msg" r.json
}

# replay_divergence: replaying a trace of `multi 5` against `multi 6` (other
# record sizes) reports one divergence; the verdict still sets the exit.
replay_divergence() {
	need_bin multi
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 2 --rate 0.5 -o "$M/t.trace" -- "$BIN/multi" 5
	cd "$W"
	want_rc 0 run rec
	cd rep && ff rep replay --report "$M/r.json" "$M/t.trace" -- "$BIN/multi" 6
	cd "$W"
	want_rc 0 "replay with other arguments" rep
	n=$(grep -c 'diverged' "$M/rep.err")
	[ "$n" = 1 ] || fail "replay: $n 'diverged' lines on stderr, expected 1 (the first divergence)" rep
	msg=$(check diverged "$M/r.json") || fail "$msg" rep
	grep -q 'recorded command: .*multi 5$' "$M/rep.err" || fail "replay does not print the recorded command" rep
	grep -qiE 'command.*differ|differ.*command' "$M/rep.err" || fail "replay does not warn that the command differs from the recorded one" rep
}

# include_stdio: with --include-stdio, writes to fds 1 and 2 are faulted too
# (stdio.c exits 3 when they come back short or fail). Sites are named by
# file, so the replay writes its stdout and stderr to the same files.
include_stdio() {
	need_bin stdio
	need_py
	"$FIFUZZ" -q --include-stdio --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/stdio" \
		>"$M/std.out" 2>"$M/std.err" </dev/null
	rc=$?
	mv "$M/std.out" "$M/rec.out"
	mv "$M/std.err" "$M/rec.err"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 3 pass" run rec
	printf 'hello\n' >"$M/hello"
	! cmp -s "$M/hello" "$M/rec.out" || fail "stdout holds an intact 'hello' although fd 1 was eligible" rec
	# Replay takes --include-stdio from the trace.
	"$FIFUZZ" replay -q --report "$M/r2.json" "$M/t.trace" -- "$BIN/stdio" >"$M/std.out" 2>"$M/std.err" </dev/null
	rc=$?
	want_rc 0 replay std
	outcome_is "$M/r2.json" "exited 3 pass" replay std
	cmp -s "$M/rec.out" "$M/std.out" || fail "replay: stdout holds '$(cat "$M/std.out")', recorded '$(cat "$M/rec.out")'" std
}

# syscall_select: -e write at rate 1 faults every write and nothing else.
syscall_select() {
	need_bin multi
	ff rec --seed 1 --rate 1 -e write -o "$M/t.trace" -- "$BIN/multi" 12
	want_rc 0 run rec
	bad=$(grep -v '^write .* errno ' "$M/rec.out" | grep -v '^write .* returned' | grep -v ' \([0-9]*\) returned \1$')
	[ -z "$bad" ] || fail "with -e write, other calls were faulted: $bad" rec
	n=$(grep -c '^write ' "$M/rec.out")
	hit=$(grep '^write ' "$M/rec.out" | grep -vc ' \([0-9]*\) returned \1$')
	[ "$n" -gt 0 ] && [ "$n" = "$hit" ] || fail "with -e write at rate 1, $hit of $n writes were faulted" rec
	# Replay takes -e from the trace.
	mkdir rep
	cd rep && ff rep replay "$M/t.trace" -- "$BIN/multi" 12
	cd "$W"
	want_rc 0 replay rep
	cmp -s "$M/rec.out" "$M/rep.out" || fail "replay: multi saw other results" rec rep
	! grep -q diverged "$M/rep.err" || fail "replay diverged" rep
}

# cli_misc: `fifuzz list`, --no-trace, and a seed given in hex.
cli_misc() {
	need_bin multi
	ff list list
	want_rc 0 list list
	grep -q pwritev2 "$M/list.out" || fail "fifuzz list does not list pwritev2" list.out
	ff rec --seed 16 --no-trace -- "$BIN/multi" 6
	want_rc 0 "--no-trace" rec
	[ -z "$(ls ./*.trace 2>/dev/null)" ] || fail "--no-trace wrote $(ls ./*.trace)" rec
	ff dec --seed 16 --rate 0.5 -o "$M/dec.trace" -- "$BIN/multi" 12
	want_rc 0 "--seed 16" dec
	ff hex --seed 0x10 --rate 0.5 -o "$M/hex.trace" -- "$BIN/multi" 12
	want_rc 0 "--seed 0x10" hex
	cmp -s "$M/dec.trace" "$M/hex.trace" || fail "--seed 0x10 and --seed 16 gave different traces" dec hex
	ff max --seed 18446744073709551615 -o "$M/max.trace" -- "$BIN/multi" 3
	want_rc 0 "--seed 2^64-1" max
	ff show show --json "$M/max.trace"
	grep -q '"seed_hex":"0xffffffffffffffff"' "$M/show.out" || fail "show --json of --seed 2^64-1 lacks seed_hex 0xffffffffffffffff" show.out
}

# replay_other_outcome [child]: a crash's trace (with "child": of a crash in
# a child while the root exits 0) replayed against a program that does not
# crash: replay says it did not reproduce, names the recorded command, and
# exits by its own verdict (0).
replay_other_outcome() {
	need_bin crash multi
	ff rec --seed 1 --rate 1 -o "$M/t.trace" -- "$BIN/crash" "$@"
	want_rc 1 run rec
	ff rep replay "$M/t.trace" -- "$BIN/multi" 3
	want_rc 4 "replay against another program (exit 4: not reproduced)" rep
	grep -q 'did not reproduce' "$M/rep.err" || fail "replay does not say it did not reproduce the crash" rep
	grep -q "recorded command: .*crash" "$M/rep.err" || fail "replay does not name the recorded command" rep
}

# exact_bytes KINDS IOVCNT SCALE [holes]: at rate 1 with --faults KINDS,
# multi's files hold exactly the bytes that landed (what calls returned, and
# the n of each torn call), with IOVCNT pieces per vector call and records
# SCALE times larger; "holes" keeps each torn piece where it landed.
exact_bytes() {
	need_bin multi
	need_py
	ff rec --seed 5 --rate 1 --faults "$1" -o "$M/t.trace" -- "$BIN/multi" 24 "$2" "$3" ${4:+"$4"}
	want_rc 0 run rec
	ff show show --json "$M/t.trace"
	want_rc 0 "show --json" show
	msg=$(check multi_content . "$M/rec.out" 24 "$3" "$M/show.out" "${4:-}") || fail "$msg" rec
	[ "$(grep -c ' returned ' "$M/rec.out")" != 24 ] || [ "$1" = short ] ||
		fail "no call failed at rate 1 with --faults $1" rec
}

# exec_thread: a non-leader thread calls execve; the new image's writes are
# traced and faulted, the run ends, and replay reproduces it.
exec_thread() {
	need_bin execthr
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 2 --rate 0.5 --timeout 60 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/execthr"
	cd "$W"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
	grep -q '^fifuzz: write x.out #' "$M/rec.err" || fail "run: no write of the exec'd image was faulted" rec
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$BIN/execthr"
	cd "$W"
	want_rc 0 replay rep
	d=$(same_tree rec rep) || fail "replay wrote different outputs: $d" rec rep
	reproduced rep
}

# stop_cont: the program stops itself with SIGSTOP and its child continues
# it with SIGCONT; under fifuzz it must resume (not hang) and exit 0.
stop_cont() {
	need_bin stopcont
	need_py
	ff rec --seed 1 --rate 0.5 --timeout 60 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/stopcont"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
	grep -qx resumed "$M/rec.out" || fail "the program did not say it resumed" rec.out
}

# replay_retrace: replay -o records the replayed run; for a single-threaded
# program it is the same trace, byte for byte.
replay_retrace() {
	need_bin multi
	mkdir rec rep
	cd rec && ff rec --seed 4 --rate 0.5 -o "$M/t1.trace" -- "$BIN/multi" 30
	cd "$W"
	want_rc 0 run rec
	cd rep && ff rep replay -o "$M/t2.trace" "$M/t1.trace" -- "$BIN/multi" 30
	cd "$W"
	want_rc 0 replay rep
	[ -f "$M/t2.trace" ] || fail "replay -o wrote no trace" rep
	cmp -s "$M/t1.trace" "$M/t2.trace" || fail "the replay's trace differs from the recorded one" rep
}

# exit_race: the main thread exits while 8 threads are inside writes; every
# run ends with exit 0, nothing is left running, and the main thread's file
# (the only deterministic one) is the same in two recordings and a replay.
exit_race() {
	need_bin exitrace
	need_py
	mk=ffmark-$$-exitrace
	for s in $(seq 1 10); do
		for i in 1 2 3; do
			mkdir run
			cd run
			if [ $i = 3 ]; then
				ff "r$i" replay --timeout 60 --report "$M/r$i.json" "$M/t1.trace" -- "$BIN/exitrace" 8 300 "$mk"
			else
				ff "r$i" --seed "$s" --rate 0.3 --timeout 60 -o "$M/t$i.trace" --report "$M/r$i.json" -- \
					"$BIN/exitrace" 8 300 "$mk"
			fi
			cd "$W"
			want_rc 0 "seed $s, run $i" "r$i"
			no_survivors "$mk" "seed $s, run $i" "r$i"
			outcome_is "$M/r$i.json" "exited 0 pass" "seed $s, run $i" "r$i"
			mv run/main.out "main$i.out"
			rm -rf run
		done
		cmp -s main1.out main2.out || fail "seed $s: two recordings wrote different main.out" r1 r2
		cmp -s main1.out main3.out || fail "seed $s: the replay wrote a different main.out" r1 r3
	done
}

# sigint: SIGINT to fifuzz (sent from python: see check.py interrupt) kills
# the tree, exits 130 and leaves a trace marked incomplete.
sigint() {
	need_bin hang
	need_py
	mk=ffmark-$$-sigint
	rc=$(check interrupt INT hang.ready "$M/bg.out" "$M/bg.err" "$FIFUZZ" --seed 1 -o "$M/t.trace" -- \
		"$BIN/hang" "$mk") || {
		no_survivors "$mk" "after SIGINT" bg
		fail "$rc" bg
	}
	no_survivors "$mk" "after SIGINT" bg
	want_rc 130 "after SIGINT" bg
	ff show show "$M/t.trace"
	want_rc 0 "show of the interrupted trace" show
	grep -q INCOMPLETE "$M/show.out" || fail "show does not say INCOMPLETE" show.out
}

# stubborn_timeout: a program that ignores SIGINT, SIGTERM and SIGHUP and
# blocks every other signal (its child too) is still killed at --timeout:
# exit 1, verdict hang, nothing left running.
stubborn_timeout() {
	need_bin stubborn
	need_py
	mk=ffmark-$$-stubt
	ff rec --seed 1 --timeout 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/stubborn" "$mk"
	st=$rc
	no_survivors "$mk" run rec
	rc=$st
	want_rc 1 run rec
	o=$(check outcome "$M/r.json") || fail "$o" rec
	case $o in *" hang") ;; *) fail "run: outcome '$o', expected verdict hang" rec ;; esac
	echo "stubborn under --timeout 1: fifuzz exited $rc, outcome '$o', no process left"
}

# stubborn_signal SIG STATUS: SIG to fifuzz kills the same program (and its
# child), which ignore SIG themselves; fifuzz exits STATUS and leaves a
# trace marked incomplete.
stubborn_signal() {
	sig=$1 want=$2
	need_bin stubborn
	need_py
	mk=ffmark-$$-stub$sig
	rc=$(check interrupt "$sig" stubborn.ready "$M/bg.out" "$M/bg.err" "$FIFUZZ" --seed 1 -o "$M/t.trace" -- \
		"$BIN/stubborn" "$mk") || {
		no_survivors "$mk" "after SIG$sig" bg
		fail "$rc" bg
	}
	no_survivors "$mk" "after SIG$sig" bg
	want_rc "$want" "after SIG$sig" bg
	echo "stubborn, SIG$sig to fifuzz: fifuzz exited $rc, no process left"
	ff show show "$M/t.trace"
	want_rc 0 "show of the interrupted trace" show
	grep -q INCOMPLETE "$M/show.out" || fail "show does not say INCOMPLETE" show.out
	echo "the trace shows as INCOMPLETE"
}

# sigkill: SIGKILL to fifuzz, which no handler sees, still leaves nothing of
# the tree running (PTRACE_O_EXITKILL), even of a program that ignores and
# blocks signals and has a child; no trace is written.
sigkill() {
	need_bin stubborn
	mk=ffmark-$$-sigkill
	"$FIFUZZ" --seed 1 -o "$M/t.trace" -- "$BIN/stubborn" "$mk" >"$M/bg.out" 2>"$M/bg.err" </dev/null &
	pid=$!
	i=0
	while [ ! -e stubborn.ready ]; do
		i=$((i + 1))
		if [ $i -gt 600 ] || [ "$(proc_state $pid)" = Z ]; then
			kill -KILL $pid 2>/dev/null
			wait $pid
			no_survivors "$mk" "without start" bg
			fail "stubborn.ready did not appear within 60s" bg
		fi
		sleep 0.1
	done
	n=$(alive "$mk" | grep -c '')
	kill -KILL $pid
	wait $pid
	rc=$?
	want_rc 137 "after SIGKILL" bg
	# The kernel kills the tracees as fifuzz exits; give their deaths a moment.
	i=0
	while [ -n "$(alive "$mk")" ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	no_survivors "$mk" "after SIGKILL" bg
	[ ! -e "$M/t.trace" ] || fail "a trace was written by a fifuzz killed with SIGKILL"
	echo "SIGKILL to fifuzz: exit $rc; the $n processes of the program (fifuzz included) are gone; no trace"
}

# forkbomb MODE LIMIT [OPTION...]: under --max-procs LIMIT a fork bomb (MODE
# fork) or a thread bomb (MODE thread) gets EAGAIN: the traced tree never
# holds more than LIMIT tasks, the root sees EAGAIN and exits 0, fifuzz says
# how many forks it refused, and nothing is left running.
forkbomb() {
	mode=$1 lim=$2
	shift 2
	need_bin forkbomb
	mk=ffmark-$$-bomb
	ff rec --seed 1 --rate 0 --max-procs "$lim" --timeout 60 "$@" -o "$M/t.trace" -- "$BIN/forkbomb" "$mode" "$mk"
	st=$rc
	no_survivors "$mk" run rec
	rc=$st
	want_rc 0 run rec
	grep -q 'EAGAIN' "$M/rec.out" || fail "the bomb never saw EAGAIN" rec
	grep -q "forks refused with EAGAIN (--max-procs $lim)\$" "$M/rec.err" ||
		fail "fifuzz does not say it refused forks" rec
	if [ "$mode" = fork ]; then
		n=$(wc -c <procs.count)
		[ "$n" -lt "$lim" ] || fail "$n processes besides the root, with --max-procs $lim" rec
		echo "fork bomb under --max-procs $lim $*: root + $n processes; $(cat "$M/rec.out"); $(grep refused "$M/rec.err")"
	else
		n=$(sed -n 's/^threads: \([0-9]*\) started.*/\1/p' "$M/rec.out")
		[ -n "$n" ] && [ "$n" -lt "$lim" ] || fail "$n threads besides the main one, with --max-procs $lim" rec
		echo "thread bomb under --max-procs $lim $*: $(cat "$M/rec.out"); $(grep refused "$M/rec.err")"
	fi
}

# attach THREADS [kill]: fifuzz --pid on a running program, ended by SIGINT
# (or SIGKILL); check.py attach says what is checked. After SIGINT the trace
# shows as INCOMPLETE and attached and replay refuses it. Nothing of the
# ticker is left once the test kills it.
attach() {
	need_bin ticker
	need_py
	mk=ffmark-$$-attach
	out=$(check attach "$1" "${2:-int}" "$M" "$FIFUZZ" "$BIN/ticker" "$mk" --seed 1 --rate 0.5)
	rc=$?
	[ $rc = 77 ] && skip "${out#skip: }"
	[ $rc = 0 ] || fail "$out" att
	echo "$out"
	no_survivors "$mk" "after the test killed the ticker" att
	if [ "${2:-int}" = kill ]; then
		[ ! -e "$M/t.trace" ] || fail "fifuzz killed with SIGKILL wrote a trace"
		return
	fi
	ff show show "$M/t.trace"
	want_rc 0 "show of the attach trace" show
	grep -q INCOMPLETE "$M/show.out" || fail "show does not say INCOMPLETE" show.out
	grep -q 'flags: .*attached' "$M/show.out" || fail "show does not give the flag attached" show.out
	usage_error "replay of an attach trace" replay "$M/t.trace" -- "$BIN/ticker"
	grep -q 'cannot be replayed\|not replayed' "$M/usage.err" || fail "replay does not say why it refuses" usage
	echo "show: INCOMPLETE, flags attached; replay: $(cat "$M/usage.err")"
}

# attach_inflight: SIGINT detaches while a write fifuzz shortened is blocked
# on a full pipe; the write gets its whole length back (check.py
# attach_inflight).
attach_inflight() {
	need_bin pipefull
	need_py
	mk=ffmark-$$-inflight
	out=$(check attach_inflight "$M" "$FIFUZZ" "$BIN/pipefull" "$mk")
	rc=$?
	[ $rc = 77 ] && skip "${out#skip: }"
	[ $rc = 0 ] || fail "$out" att pf.out
	echo "$out"
	no_survivors "$mk" "after the test" att
}

# attach_bad: --pid of a process that does not exist, and --pid with a
# program, are usage errors (exit 2, one line).
attach_bad() {
	need_bin seed_c
	sh -c 'exit 0' &
	gone=$!
	wait $gone
	usage_error "--pid of a process that is gone" --pid "$gone"
	echo "--pid $gone: $(cat "$M/usage.err")"
	usage_error "--pid with a program" --pid $$ -- "$BIN/seed_c"
	echo "--pid with a program: $(cat "$M/usage.err")"
	usage_error "--pid 0" --pid 0
	usage_error "--pid with --timeout" --pid $$ --timeout 5
	[ ! -e test.txt ] || fail "a bad command line ran the program"
}

# self_fuzz SEEDS: fifuzz under fifuzz. The outer one follows only the inner
# fifuzz (--no-follow; the program the inner one traces runs untouched by the
# outer) and faults the inner's opens, writes, syncs, closes and renames, for
# SEEDS seeds (the trace's file only, then everything under --profile all). Each time either the inner
# exits 0 and its trace shows complete and replays the same outputs, or it
# exits 3 with one line saying it cannot write the trace, and no trace reads
# as complete. No temporary file is left either way. (LeakSanitizer cannot
# run under ptrace: a SANITIZE=1 inner fifuzz runs without it.)
self_fuzz() {
	need_bin multi
	need_py
	n=$1 complete=0 failed=0 survived=0
	for s in $(seq 1 "$n"); do
		# The first two thirds fault only the trace's own files, the rest also the
		# inner's opens in /proc. Neither is deterministic: the temporary file's
		# name is random and /proc paths hold pids, and sites are named by path.
		set -- --path 'inner.trace*' --rate 0.15 --profile realistic
		[ "$s" -gt $((n * 2 / 3)) ] && set -- --rate 0.1 --profile all
		rm -rf run rep
		mkdir run rep
		cd run && ff outer --no-follow --seed "$s" "$@" \
			-e write,fsync,fdatasync,rename,renameat,renameat2,close,openat --no-trace --report "$M/outer.json" -- \
			env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			"$FIFUZZ" --seed 1 -o inner.trace -- "$BIN/multi" 30
		cd "$W"
		want_rc 0 "seed $s: the outer run" outer
		o=$(check outcome "$M/outer.json") || fail "seed $s: $o" outer
		ls run | grep -q '^inner\.trace\.' && fail "seed $s: a temporary trace file is left: $(ls run)" outer
		case $o in
		"exited 0 pass")
			[ -f run/inner.trace ] || fail "seed $s: the inner fifuzz exited 0 but left no trace" outer
			ff show show run/inner.trace
			want_rc 0 "seed $s: show of the inner trace" show
			grep -q INCOMPLETE "$M/show.out" && fail "seed $s: the inner trace shows INCOMPLETE" show.out
			cd rep && ff rep replay ../run/inner.trace -- "$BIN/multi" 30
			cd "$W"
			want_rc 0 "seed $s: replay of the inner trace" rep
			reproduced rep
			for f in a.out b.out c.out; do
				cmp -s "run/$f" "rep/$f" || fail "seed $s: the replay wrote another $f" rep
			done
			complete=$((complete + 1))
			nf=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["faults"]))' "$M/outer.json")
			[ "$nf" -gt 0 ] && survived=$((survived + 1))
			;;
		"exited 3 pass")
			c=$(grep -c '^fifuzz: cannot write the trace inner\.trace: ' "$M/outer.err")
			[ "$c" = 1 ] || fail "seed $s: the inner fifuzz exited 3 with $c lines 'cannot write the trace'" outer
			if [ -e run/inner.trace ]; then
				ff show show run/inner.trace
				[ $rc = 2 ] || grep -q INCOMPLETE "$M/show.out" ||
					fail "seed $s: the inner fifuzz failed, but its trace reads as complete" outer show.out
			fi
			failed=$((failed + 1))
			echo "seed $s: $(grep '^fifuzz: cannot write the trace' "$M/outer.err")"
			;;
		*) fail "seed $s: the inner fifuzz ended '$o'" outer ;;
		esac
	done
	echo "$n seeds: $complete complete traces ($survived of them despite faults on the inner fifuzz; each shown complete and replayed to the same outputs), $failed write errors reported in one line (no trace left)"
	[ $complete -gt 0 ] && [ $failed -gt 0 ] || fail "expected both outcomes among $n seeds"
}

# int80 [OPTION...]: i386 calls made with int 0x80 are neither faulted nor
# mistaken for x86-64 calls (i386 getpid is x86-64 writev), even at rate 1.
int80() {
	need_bin int80
	# A kernel without IA32 emulation (CONFIG_IA32_EMULATION off, or ia32_emulation=0) kills
	# every int 0x80 call with SIGSEGV: nothing to test there.
	"$BIN/int80" >/dev/null 2>&1 || [ $? -ne 139 ] || skip "this kernel has no IA32 emulation: int 0x80 dies natively"
	need_py
	ff rec --seed 1 --rate 1 "$@" -o "$M/t.trace" --report "$M/r.json" -- "$BIN/int80"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 0 pass" run rec
	"$BIN/int80" >"$M/native.out" || fail "int80 fails even without fifuzz" native.out
	cmp -s "$M/native.out" "$M/rec.out" || fail "under fifuzz int80 saw other results than natively" rec.out native.out
}

# ro_iovecs: shortening writev/pwritev2 whose iovec array is read-only
# memory works and leaves the array as it was; replay sees the same.
ro_iovecs() {
	need_bin roiov
	for k in short torn; do
		mkdir "$k"
		cd "$k" && ff "$k" --seed 1 --rate 1 --faults "$k" -o "$M/$k.trace" -- "$BIN/roiov"
		cd "$W"
		want_rc 0 "--faults $k" "$k"
		[ "$(grep -c 'iovecs total 65$' "$M/$k.out")" = 6 ] ||
			fail "--faults $k: the program's iovecs changed (or calls are missing)" "$k.out"
		! grep -q ' returned 65;' "$M/$k.out" || fail "--faults $k: a call at rate 1 was not faulted" "$k.out"
		mkdir "rep$k"
		cd "rep$k" && ff "rep$k" replay "$M/$k.trace" -- "$BIN/roiov"
		cd "$W"
		want_rc 0 "replay --faults $k" "rep$k"
		cmp -s "$M/$k.out" "$M/rep$k.out" || fail "replay --faults $k: the program saw other results" "$k.out" "rep$k.out"
		cmp -s "$k/ro.out" "rep$k/ro.out" || fail "replay --faults $k: ro.out differs" "rep$k"
	done
}

# retry_loop PROG [ARG...]: Go, glibc stdio and Python retry short writes; at
# rate 1 with --faults short each retry is a new, again shortened call, and
# in the end the files and the program's output are what they are natively.
# PROG "seed.py" is run with python3.
retry_loop() {
	prog=$1
	shift
	if [ "$prog" = seed.py ]; then
		need_py
		set -- "$PY" -B "$INTEG/targets/seed.py"
	else
		need_bin "$prog"
		set -- "$BIN/$prog" "$@"
	fi
	mkdir nat rec
	(cd nat && "$@" >"$M/nat.out" 2>"$M/nat.err" </dev/null) || fail "$prog fails without fifuzz" nat
	cd rec && ff rec --seed 1 --rate 1 --faults short -o "$M/t.trace" -- "$@"
	cd "$W"
	want_rc 0 run rec
	d=$(same_tree nat rec) || fail "the files differ from a native run: $d" rec
	cmp -s "$M/nat.out" "$M/rec.out" || fail "the program's output differs from a native run" rec.out nat.out
	ff show show "$M/t.trace"
	grep -q ' #1 ([0-9]* bytes): short ' "$M/show.out" || fail "no retry was shortened again" show.out
}

# odd_names: file names with a newline, a tab, quotes and backslashes,
# UTF-8, invalid UTF-8 and an escape sequence: traces, show, show --json
# and the report carry them, fifuzz's messages stay one line each without
# raw control bytes, and replay reproduces the run.
odd_names() {
	need_bin names
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/names"
	cd "$W"
	want_rc 0 run rec
	ff show show "$M/t.trace"
	want_rc 0 show show
	ff json show --json "$M/t.trace"
	want_rc 0 "show --json" json
	msg=$(check odd_names "$M/json.out" "$M/show.out" "$M/r.json") || fail "$msg" show.out
	cd rep && ff rep replay "$M/t.trace" -- "$BIN/names"
	cd "$W"
	want_rc 0 replay rep
	cmp -s "$M/rec.out" "$M/rep.out" || fail "replay: the program saw other results" rec.out rep.out
	! grep -q diverged "$M/rep.err" || fail "replay diverged" rep
	msg=$(check one_line_each "$M/rec.err" 6) || fail "$msg" rec
}

# multi_writer: a file written by several threads is flagged (its ordinals
# depend on scheduling) in the report and on stderr; one writer per file is not.
multi_writer() {
	need_bin threads
	need_py
	ff one --seed 1 --rate 0.2 -o "$M/one.trace" --report "$M/one.json" -- "$BIN/threads" 4 20
	want_rc 0 "one writer per file" one
	[ "$(check field "$M/one.json" multi_writer)" = false ] || fail "one writer per file: report multi_writer is not false" one.json
	ff sh --seed 1 --rate 0.2 -o "$M/sh.trace" --report "$M/sh.json" -- "$BIN/threads" 4 20 shared
	want_rc 0 "a shared file" sh
	[ "$(check field "$M/sh.json" multi_writer)" = true ] || fail "a shared file: report multi_writer is not true" sh.json
	grep -q 'shared.out' "$M/sh.err" || fail "a shared file: stderr does not name shared.out" sh
}

# fd_kinds: --fd-kind selects which of a socket, a pipe and /dev/null are
# faulted (rate 1, short); a resource's decisions do not depend on which
# other kinds are selected.
fd_kinds() {
	need_bin kinds
	for k in file socket pipe dev file,pipe,socket,dev; do
		ff "$k" --seed 2 --rate 1 --faults short --fd-kind "$k" --no-trace -- "$BIN/kinds"
		want_rc 0 "--fd-kind $k" "$k"
		[ "$(grep -c '' "$M/$k.out")" = 3 ] || fail "--fd-kind $k: the program did not finish its 3 rounds" "$k.out"
	done
	all=file,pipe,socket,dev
	# Columns: 2 socket write, 6 pipe write, 10 /dev/null write.
	for c in 2:socket:10 6:pipe:8 10:dev:7; do
		col=${c%%:*} kind=${c#*:} full=${c##*:}
		kind=${kind%:*}
		[ "$(cut -d' ' -f"$col" "$M/file.out" | sort -u)" = "$full" ] ||
			fail "--fd-kind file: a $kind write was faulted" file.out
		! cut -d' ' -f"$col" "$M/$kind.out" | grep -qx "$full" ||
			fail "--fd-kind $kind at rate 1: a $kind write was not shortened" "$kind.out"
		cut -d' ' -f"$col" "$M/$kind.out" >"$M/one"
		cut -d' ' -f"$col" "$M/$all.out" >"$M/both"
		cmp -s "$M/one" "$M/both" || fail "$kind writes were shortened differently with --fd-kind $all" "$kind.out" "$all.out"
	done
}

# ---------------------------------------------------------------- campaigns and minimize

# camp LOG ARGS...: `fifuzz campaign ARGS` (logs in $M/LOG.out/.err); sets rc.
camp() {
	cp_log=$1
	shift
	ff "$cp_log" campaign "$@"
}

# camp_sum OUTDIR LOG: checks OUTDIR/report.json against OUTDIR/failures and
# sets runs, failures, nbugs, interrupted, oracle from it; the bug lines
# ("signature verdict count first_seed minimized_faults") go to $M/LOG.bugs.
camp_sum() {
	msg=$(check camp_report "$1/report.json" "$1" "${3:-yes}") || fail "$msg" "$2"
	check camp "$1/report.json" >"$M/$2.sum" || fail "$(cat "$M/$2.sum")" "$2"
	tail -n +2 "$M/$2.sum" >"$M/$2.bugs"
	# shellcheck disable=SC2046 # five words
	set -- $(head -n 1 "$M/$2.sum")
	runs=$1 failures=$2 nbugs=$3 interrupted=$4 oracle=$5
}

# camp_third: third crashes only when its third write fails. A campaign
# over 300 seeds finds it in many runs, files them under one directory,
# minimizes the trace to that one fault, and the minimized trace replays to
# the crash in a fresh directory.
camp_third() {
	need_bin third
	need_py
	camp camp --seeds 1-300 --rate 0.3 -j 2 -o out -- "$BIN/third"
	want_rc 1 campaign camp
	camp_sum out camp
	[ "$runs" = 300 ] || fail "report runs $runs, expected 300" camp
	python3 - out/report.json "$BIN/third" <<'PY' || fail "report.json: outcomes or command wrong" camp
import json, sys
r = json.load(open(sys.argv[1]))
o = r["outcomes"]
n = sum(o["exit"].values()) + sum(o["signal"].values()) + o["hang"] + o["other"]
assert n == r["runs"] == sum(r["runs_by_faults"].values()), (n, r["runs"], r["runs_by_faults"])
assert o["signal"].get("SIGSEGV", 0) >= 1 and o["exit"].get("0", 0) >= 1, o
import os
assert os.path.realpath(r["command"][0]) == os.path.realpath(sys.argv[2]) and r["command"][0].startswith("/"), r["command"]
PY
	[ "$(find out/failures -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] ||
		fail "out/failures holds $(find out/failures -mindepth 1 -maxdepth 1 | tr '\n' ' '), expected one directory" camp
	[ "$nbugs" = 1 ] || fail "distinct_bugs $nbugs, expected 1" camp.bugs
	read -r sig verdict count _ minf <"$M/camp.bugs"
	[ "$sig" = crash-SIGSEGV-write-third.out ] && [ "$verdict" = crash ] ||
		fail "bug $sig, verdict $verdict: expected crash-SIGSEGV-write-third.out, crash" camp.bugs
	[ "$count" -gt 1 ] || fail "the bug's count is $count: more than one of 300 runs must have hit it" camp.bugs
	[ "$minf" = 1 ] || fail "minimized_faults $minf, expected 1" camp.bugs
	d=out/failures/$sig
	ff show show --json "$d/minimized.trace"
	want_rc 0 "show --json of minimized.trace" show
	check faults "$M/show.out" >"$M/faults" || fail "$(cat "$M/faults")" show.out
	[ "$(grep -c '' "$M/faults")" = 1 ] && grep -q '^write third.out #2 ' "$M/faults" ||
		fail "minimized.trace holds [$(tr '\n' ';' <"$M/faults")], expected the one fault write third.out #2" show.out
	grep -q 'crash-SIGSEGV-write-third.out' "$d/README" && grep -q 'fifuzz replay ' "$d/README" ||
		fail "the bug's README lacks its signature or the replay command" camp
	mkdir rep
	cd rep && ff rep replay --report "$M/r.json" "$W/$d/minimized.trace" -- "$BIN/third"
	cd "$W"
	want_rc 1 "replay of minimized.trace" rep
	outcome_is "$M/r.json" "signaled 11 crash" "replay of minimized.trace" rep
	reproduced rep
}

# camp_careful: careful retries short writes and EINTR, fsyncs and exits 1
# on other errors: 300 seeds find nothing, with the corruption oracle on.
camp_careful() {
	need_bin careful
	need_py
	camp camp --seeds 1-300 --rate 0.3 -j 2 -o out -- "$BIN/careful"
	want_rc 0 campaign camp
	camp_sum out camp
	[ "$runs" = 300 ] && [ "$failures" = 0 ] && [ "$nbugs" = 0 ] ||
		fail "runs $runs, failures $failures, distinct_bugs $nbugs: expected 300, 0, 0" camp camp.bugs
	[ "$oracle" = true ] || fail "corruption_oracle $oracle: the baselines of a deterministic program must agree" camp
}

# camp_seed_corruption PROG: the seed post's program ignores its write
# error and exits 0: the campaign reports silent corruption of test.txt.
camp_seed_corruption() {
	need_bin "$1"
	need_py
	camp camp --seeds 1-20 --rate 0.5 -j 2 -o out -- "$BIN/$1"
	want_rc 1 campaign camp
	camp_sum out camp
	[ "$nbugs" -ge 1 ] || fail "no bug found" camp
	! grep -qv '^corruption-exit0-write-test.txt corruption ' "$M/camp.bugs" ||
		fail "expected only corruption bugs on test.txt: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
}

# camp_parallel_same: twobugs (a crash, an abort and silent corruption at
# several sites) over the same seeds with -j 1, 2 and 3: the same
# signatures and the same number of failing runs.
camp_parallel_same() {
	need_bin twobugs
	need_py
	for j in 1 2 3; do
		camp "j$j" --seeds 1-150 --rate 0.3 -j "$j" -o "out$j" -- "$BIN/twobugs"
		want_rc 1 "campaign -j $j" "j$j"
		camp_sum "out$j" "j$j"
		echo "$failures" >"$M/f$j"
		cut -d' ' -f1 "$M/j$j.bugs" >"$M/sigs$j"
	done
	[ "$(grep -c '' "$M/sigs1")" -ge 3 ] || fail "-j 1 found only $(tr '\n' ' ' <"$M/sigs1"): expected several bugs" j1.bugs
	for j in 2 3; do
		cmp -s "$M/sigs1" "$M/sigs$j" ||
			fail "-j 1 found [$(tr '\n' ' ' <"$M/sigs1")], -j $j found [$(tr '\n' ' ' <"$M/sigs$j")]" j1.bugs "j$j.bugs"
		cmp -s "$M/f1" "$M/f$j" || fail "-j 1 counted $(cat "$M/f1") failing runs, -j $j counted $(cat "$M/f$j")" j1 "j$j"
	done
}

# camp_first_seed: a bug's first_seed (and its README's "first seen with
# seed") is the lowest seed that hits it, whatever -j says: third's with
# -j 1, 2 and 3 is the first seed that crashes it in a single run; each of
# twobugs' bugs has the same first_seed in six campaigns with -j 3 as with
# -j 1 (runs that finish out of order must not change it).
camp_first_seed() {
	need_bin third twobugs
	need_py
	low=
	for s in $(seq 1 60); do
		mkdir one
		cd one && ff one -q --seed "$s" --rate 0.3 --no-trace -- "$BIN/third"
		cd "$W"
		rm -rf one
		[ "$rc" = 1 ] && low=$s && break
	done
	[ -n "$low" ] || fail "no seed of 1-60 makes third crash" one
	for j in 1 2 3; do
		camp "j$j" --seeds 1-60 --rate 0.3 -j "$j" -o "out$j" -- "$BIN/third"
		want_rc 1 "campaign -j $j" "j$j"
		camp_sum "out$j" "j$j"
		read -r sig _ _ first _ <"$M/j$j.bugs"
		[ "$first" = "$low" ] || fail "-j $j: bug $sig has first_seed $first, but seed $low (a single run) hits it" "j$j.bugs"
		grep -q "first seen with seed $low," "out$j/failures/$sig/README" ||
			fail "-j $j: the README does not say first seen with seed $low" "j$j.bugs"
	done
	for i in 0 1 2 3 4 5 6; do
		j=3
		[ $i = 0 ] && j=1
		rm -rf out
		camp "t$i" --seeds 1-150 --rate 0.3 -j "$j" -o out -- "$BIN/twobugs"
		want_rc 1 "twobugs campaign -j $j" "t$i"
		camp_sum out "t$i"
		cut -d' ' -f1,4 "$M/t$i.bugs" >"$M/first$i"
		cmp -s "$M/first0" "$M/first$i" ||
			fail "twobugs: -j 1 and -j 3 (try $i) give other first_seeds (signature first_seed): $(diff "$M/first0" "$M/first$i" | grep '^[<>]' | tr '\n' ';')" "t0.bugs" "t$i.bugs"
	done
}

# camp_check: a --check script sees FIFUZZ_* in the run's directory and
# fails when lastline.out lacks its last line: those runs (and only those)
# are failures of verdict check. A single run with --check exits 1 when the
# check fails and 0 when it passes.
camp_check() {
	need_bin lastline
	need_py
	mkdir "$M/env"
	cat >"$M/chk.sh" <<-EOF
		{
			for v in SEED TRACE EXIT SIGNAL VERDICT FAULTS STDOUT STDERR; do eval "echo \$v=\\\${FIFUZZ_\$v-}"; done
			echo PWD=\$(pwd)
			[ -n "\$FIFUZZ_TRACE" ] && [ -s "\$FIFUZZ_TRACE" ] && echo TRACE_READABLE=yes
			[ -f lastline.out ] && echo OUT_HERE=yes
			echo STDOUT_TEXT=\$(cat "\$FIFUZZ_STDOUT" 2>/dev/null)
			[ -f "\$FIFUZZ_STDERR" ] && echo STDERR_SET=yes
			grep -qx 'line 5' lastline.out && echo CHECK=pass || echo CHECK=fail
		} >"$M/env/\$FIFUZZ_SEED.\$\$"
		grep -qx 'line 5' lastline.out
	EOF
	# lastline.out is left out of the corruption oracle: the check alone judges it.
	camp camp --seeds 1-40 --rate 0.3 -j 2 --ignore lastline.out --check "sh $M/chk.sh" -o out -- "$BIN/lastline"
	want_rc 1 campaign camp
	camp_sum out camp
	[ "$nbugs" -ge 1 ] || fail "no bug found" camp
	! grep -qv '^check-exit0-write-lastline.out check ' "$M/camp.bugs" ||
		fail "expected only check bugs on lastline.out: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
	msg=$(check check_env "$M/env" out/report.json "$runs") || fail "$msg" camp
	# shellcheck disable=SC2016 # expands in the check's shell
	printf '%s\n' 'echo "$FIFUZZ_SEED $FIFUZZ_FAULTS $FIFUZZ_EXIT $FIFUZZ_VERDICT" >"$ENVF"; grep -qx "line 5" lastline.out' \
		>"$M/chk1.sh"
	mkdir one1 one0
	export ENVF="$M/one1.env"
	cd one1 && ff one1 --seed 3 --rate 1 --faults error --check "sh $M/chk1.sh" --no-trace --report "$M/one1.json" -- \
		"$BIN/lastline"
	cd "$W"
	want_rc 1 "a single run whose check fails" one1
	outcome_is "$M/one1.json" "exited 0 check" "a single run whose check fails" one1
	[ "$(cat "$M/one1.env")" = "3 5 0 pass" ] ||
		fail "the single run's check saw '$(cat "$M/one1.env")', expected FIFUZZ_SEED 3, FAULTS 5, EXIT 0, VERDICT pass" one1
	export ENVF="$M/one0.env"
	cd one0 && ff one0 --seed 3 --rate 0 --check "sh $M/chk1.sh" --no-trace --report "$M/one0.json" -- "$BIN/lastline"
	cd "$W"
	want_rc 0 "a single run whose check passes" one0
	outcome_is "$M/one0.json" "exited 0 pass" "a single run whose check passes" one0
}

# camp_sanitizer: uaf (built with -fsanitize=address) reads a freed record
# in its write-error path: the campaign's verdict is sanitizer.
camp_sanitizer() {
	need_py
	[ -x "$BIN/uaf_asan" ] ||
		skip "the compiler cannot link -fsanitize=address: $(head -n 1 "$BIN/uaf_asan.why" 2>/dev/null)"
	camp camp --seeds 1-20 --rate 0.5 -j 2 -o out -- "$BIN/uaf_asan"
	want_rc 1 campaign camp
	camp_sum out camp
	[ "$nbugs" -ge 1 ] || fail "no bug found" camp
	! grep -qv '^sanitizer-exit1-write-uaf.out sanitizer ' "$M/camp.bugs" ||
		fail "expected only sanitizer bugs on uaf.out: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
	sig=$(head -n 1 "$M/camp.bugs" | cut -d' ' -f1)
	grep -q 'AddressSanitizer: heap-use-after-free' "out/failures/$sig/stderr" ||
		fail "out/failures/$sig/stderr does not hold ASan's report" camp
}

# camp_template: every run starts from a copy of --template (tmpl aborts
# unless it reads the template's two files, and appends to one of them);
# the template itself is left as it was. Without it the baseline fails.
camp_template() {
	need_bin tmpl
	need_py
	mkdir -p "$M/tp/sub"
	printf 'template input v1\n' >"$M/tp/input.txt"
	printf 'nested 42\n' >"$M/tp/sub/data.txt"
	cp -a "$M/tp" "$M/tp.orig"
	(cd "$M" && find tp -exec stat -c '%n %s %a %Y' {} + | sort) >"$M/tp.before"
	camp camp --seeds 1-100 --rate 0.3 -j 2 --template "$M/tp" -o out -- "$BIN/tmpl"
	want_rc 0 "campaign with --template" camp
	camp_sum out camp
	[ "$runs" = 100 ] && [ "$nbugs" = 0 ] ||
		fail "runs $runs, distinct_bugs $nbugs: expected 100, 0 (a run did not see the template?)" camp camp.bugs
	(cd "$M" && find tp -exec stat -c '%n %s %a %Y' {} + | sort) >"$M/tp.after"
	cmp -s "$M/tp.before" "$M/tp.after" && diff -r "$M/tp.orig" "$M/tp" >"$M/tp.diff" 2>&1 ||
		fail "the template changed during the campaign" tp.diff
	camp none --seeds 1-10 --rate 0.3 -j 2 -o out2 -- "$BIN/tmpl"
	want_rc 2 "campaign without --template (tmpl aborts without its input)" none
}

# camp_stop_after: --stop-after 1 ends the campaign soon after its first
# failing run, with that bug filed (and minimized) as usual.
camp_stop_after() {
	need_bin third
	need_py
	camp camp --seeds 1-300 --rate 0.3 -j 2 --stop-after 1 -o out -- "$BIN/third"
	want_rc 1 "campaign --stop-after 1" camp
	check camp out/report.json >"$M/sum" || fail "$(cat "$M/sum")" camp
	# shellcheck disable=SC2046
	set -- $(head -n 1 "$M/sum")
	[ "$2" -ge 1 ] && [ "$1" -lt 300 ] && [ "$1" -le 20 ] ||
		fail "runs $1, failures $2: expected at least one failure and far fewer than 300 runs" camp
	camp_sum out camp
	grep -q '^crash-SIGSEGV-write-third.out crash ' "$M/camp.bugs" ||
		fail "the bug is not filed as crash-SIGSEGV-write-third.out: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
}

# camp_interrupt: SIGINT to a campaign of a slow program: exit 130, a
# report saying interrupted, no process of the program left, no work dir.
camp_interrupt() {
	need_bin slow
	need_py
	mk=ffmark-$$-campint
	mkdir "$M/cnt"
	rc=$(check interrupt INT "$M/cnt/ready" "$M/bg.out" "$M/bg.err" "$FIFUZZ" campaign --seeds 1-20 --rate 0.3 -j 2 \
		-o out -- "$BIN/slow" "$mk" "$M/cnt") || {
		no_survivors "$mk" "after SIGINT" bg
		fail "$rc" bg
	}
	no_survivors "$mk" "after SIGINT" bg
	want_rc 130 "campaign after SIGINT" bg
	camp_sum out bg
	[ "$interrupted" = true ] || fail "report interrupted $interrupted, expected true" bg
	[ "$runs" -lt 20 ] || fail "report runs $runs: the campaign ran to its end" bg
	[ ! -e out/work ] || fail "the work directory out/work is still there: $(find out/work | head -n 5 | tr '\n' ' ')" bg
}

# camp_shard PROG A-B: --shard 1/2 and 2/2 together run every seed once:
# their runs and failures add up to the unsharded campaign's, and the union
# of their bugs is its bugs.
camp_shard() {
	need_bin "$1"
	need_py
	for s in 1/2 2/2 1/1; do
		n=${s%/*}${s#*/}
		camp "s$n" --seeds "$2" --rate 0.3 -j 2 --shard "$s" -o "out$n" -- "$BIN/$1"
		[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "campaign --shard $s exited $rc" "s$n"
		camp_sum "out$n" "s$n"
		echo "$runs $failures" >"$M/n$n"
		cut -d' ' -f1 "$M/s$n.bugs" >"$M/sigs$n"
	done
	total=$(($(echo "$2" | cut -d- -f2) - $(echo "$2" | cut -d- -f1) + 1))
	read -r runs11 failures11 <"$M/n11"
	read -r runs12 failures12 <"$M/n12"
	read -r runs22 failures22 <"$M/n22"
	[ "$runs11" = "$total" ] || fail "the unsharded campaign made $runs11 runs, expected $total" s11
	[ $((runs12 + runs22)) = "$total" ] || fail "the shards made $runs12 + $runs22 runs, expected $total in all" s12 s22
	[ $((failures12 + failures22)) = "$failures11" ] ||
		fail "the shards counted $failures12 + $failures22 failing runs, the unsharded campaign $failures11" s12 s22 s11
	sort -u "$M/sigs12" "$M/sigs22" >"$M/union"
	cmp -s "$M/union" "$M/sigs11" ||
		fail "the shards found [$(tr '\n' ' ' <"$M/union")], the unsharded campaign [$(tr '\n' ' ' <"$M/sigs11")]" \
			s12.bugs s22.bugs s11.bugs
}

# camp_baseline_fails: segv crashes without any fault: the campaign refuses
# with exit 2 and one line, and leaves no work directory.
camp_baseline_fails() {
	need_bin segv
	camp camp -q --seeds 1-10 -j 2 -o out -- "$BIN/segv"
	want_rc 2 "campaign -q of a program that crashes by itself" camp
	one_line "campaign -q of a program that crashes by itself" camp
	grep -q 'without any fault' "$M/camp.err" || fail "the line does not say the program fails without any fault" camp
	camp loud --seeds 1-10 -j 2 -o out2 -- "$BIN/segv"
	want_rc 2 "campaign of a program that crashes by itself" loud
	tail -n 1 "$M/loud.err" | grep -q '^fifuzz: .*without any fault' ||
		fail "the last line does not say the program fails without any fault" loud
	[ "$(grep -vc '^fifuzz: campaign over ' "$M/loud.err")" = 1 ] ||
		fail "more than the campaign's first line and the error on stderr" loud
	[ ! -e out/work ] && [ ! -e out2/work ] || fail "a work directory is left" loud
	# A range of 10^12 seeds (a shard of it too) is counted, not walked: the baseline comes at once.
	for sh in 1/1 2/3; do
		camp huge -q --seeds 0-1000000000000 --shard "$sh" -j 1 -o out3 -- "$BIN/segv" &
		pid=$!
		( sleep 20 && kill "$pid" ) 2>/dev/null &
		killer=$!
		wait "$pid"
		kill "$killer" 2>/dev/null
		grep -q 'without any fault' "$M/huge.err" || fail "--seeds 0-10^12 --shard $sh: no baseline within 20 s" huge
	done
	[ -z "$(ls out/failures 2>/dev/null)" ] || fail "a failure directory was filed" camp
}

# camp_nondeterministic_output: stamp writes the time to stamp.out. The two
# baselines differ: a warning, the corruption oracle off, no false bugs.
# With --ignore stamp.out the oracle stays on and still finds stamp
# careless's lost data.out records.
camp_nondeterministic_output() {
	need_bin stamp
	need_py
	# stamp.out holds the time: its content varies between fault-free runs, its size does not. The
	# oracle says so, compares it by size, and files the write error stamp ignores (stamp.out cut short).
	camp camp --seeds 1-40 --rate 0.3 -j 2 -o out -- "$BIN/stamp"
	want_rc 1 campaign camp
	grep -q 'two fault-free runs differ in stamp.out' "$M/camp.err" || fail "no warning that names stamp.out" camp
	camp_sum out camp
	[ "$oracle" = true ] && [ "$nbugs" -ge 1 ] || fail "corruption_oracle $oracle, distinct_bugs $nbugs: expected true, >= 1" camp
	! grep -qv '^corruption-exit0-write-stamp.out corruption ' "$M/camp.bugs" ||
		fail "expected only corruption bugs on stamp.out: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
	python3 - out/report.json <<'PY' || fail "report.json does not list stamp.out as compared by size" camp
import json, sys
r = json.load(open(sys.argv[1]))
assert {"path": "stamp.out", "compared": "size"} in r["varying_outputs"], r["varying_outputs"]
PY
	grep -q 'stamp.out: [0-9]* bytes, 21 without faults (its content varies by itself: size compared)' \
		out/failures/*/README || fail "the bug README does not show the first difference" camp
	camp ign --seeds 1-40 --rate 0.3 -j 2 --ignore stamp.out -o out2 -- "$BIN/stamp"
	want_rc 0 "campaign --ignore stamp.out" ign
	! grep -q 'fault-free runs differ' "$M/ign.err" || fail "--ignore stamp.out: still a warning" ign
	camp_sum out2 ign
	[ "$oracle" = true ] && [ "$nbugs" = 0 ] ||
		fail "--ignore stamp.out: corruption_oracle $oracle, distinct_bugs $nbugs: expected true, 0" ign.bugs
	camp care --seeds 1-40 --rate 0.3 -j 2 --ignore stamp.out -o out3 -- "$BIN/stamp" careless
	want_rc 1 "campaign --ignore stamp.out of stamp careless" care
	camp_sum out3 care
	[ "$oracle" = true ] && [ "$nbugs" -ge 1 ] || fail "stamp careless: corruption_oracle $oracle, distinct_bugs $nbugs" care
	! grep -qv '^corruption-exit0-write-data.out corruption ' "$M/care.bugs" ||
		fail "stamp careless: expected only corruption bugs on data.out: $(tr '\n' ';' <"$M/care.bugs")" care.bugs
	# It ignores every failed write of its loop: one bug, whichever round failed.
	[ "$nbugs" = 1 ] || fail "stamp careless: $nbugs bugs, expected 1 for its one loop" care.bugs
}

# catalogue_open_flags: open(2) fails with EROFS only when write access was
# requested, with ENOSPC and EDQUOT only for a file to be created: a
# read-only open gets none of them under the realistic profile.
catalogue_open_flags() {
	echo hi >a
	ff ro --seed 1 --rate 1 -e openat --path a --faults error --errno EROFS,ENOSPC,EDQUOT --no-trace -- /bin/cat a
	want_rc 0 "cat a under --errno EROFS,ENOSPC,EDQUOT" ro
	grep -q ' 0 faults;' "$M/ro.err" || fail "a read-only open got EROFS, ENOSPC or EDQUOT" ro
	ff rw --seed 1 --rate 1 -e openat --path b --faults error --errno EROFS --no-trace -- /bin/sh -c 'echo x >b'
	grep -q 'openat b #0: error EROFS' "$M/rw.err" || fail "an open for writing did not get EROFS" rw
}

# camp_messages: a check's message is normalized by words (numbers, hex
# ids and addresses become '#', "sqlite3" stays), and a campaign whose runs
# make no eligible call says so.
camp_messages() {
	need_bin third
	need_py
	camp camp --seeds 1-20 --rate 0.5 -j 2 \
		--check 'test "$FIFUZZ_FAULTS" = 0 || { echo "sqlite3 at 0x7ffd12ab: line 42 of 9 (deadbeef1)"; exit 1; }' \
		-o out -- "$BIN/third"
	want_rc 1 campaign camp
	python3 - out/report.json <<'PY' || fail "report.json: the check message is not normalized by words" camp
import json, sys
r = json.load(open(sys.argv[1]))
msgs = {b["check_message"] for b in r["bugs"] if b["verdict"] == "check"}
assert msgs == {"sqlite3 at #: line # of # (#)"}, msgs
PY
	camp none --runs 3 -o out2 -- /bin/sh -c 'echo hi'
	want_rc 0 "campaign of a program with no eligible call" none
	grep -q 'no run made an eligible call' "$M/none.err" || fail "no warning that nothing was eligible" none
}

# path_absolute: --path with an absolute name inside the start directory
# matches its relative site; a glob that matches no call is said.
path_absolute() {
	need_bin seed_c
	ff abs --seed 1 --rate 1 --path "$W/test.txt" --no-trace -- "$BIN/seed_c"
	want_rc 0 "--path $W/test.txt" abs
	grep -q '^fifuzz: write test.txt #0 ' "$M/abs.err" || fail "--path $W/test.txt faulted nothing" abs
	ff none --seed 1 --rate 1 --path nothing.txt --no-trace -- "$BIN/seed_c"
	want_rc 0 "--path nothing.txt" none
	grep -q 'warning: no call of the program matched --path' "$M/none.err" || fail "no warning for a glob that matched nothing" none
	# A file written only through fd 1 is not eligible: the run says so.
	ff std --seed 1 --rate 1 --path out --no-trace -- /bin/sh -c 'echo hi >out'
	grep -q 'note: out, which --path names, was used through fds 0-2' "$M/std.err" || fail "no note about fds 0-2" std
}

# camp_confirm_corruption: gen's output changes every third run by itself
# (its counter lives outside the run directory): the two baselines agree,
# later runs do not. gen handles every fault; the oracle confirms each
# difference with a fresh fault-free run, learns that out.txt varies, and
# files nothing.
camp_confirm_corruption() {
	need_bin gen
	need_py
	camp camp --seeds 1-30 --rate 0.5 -j 1 --path out.txt -o out -- "$BIN/gen" "$M/counter"
	want_rc 0 campaign camp
	grep -q 'confirm a corruption shows that .*out.txt' "$M/camp.err" || fail "no word that out.txt varies" camp
	camp_sum out camp
	[ "$oracle" = true ] && [ "$nbugs" = 0 ] || fail "corruption_oracle $oracle, distinct_bugs $nbugs: expected true, 0" camp.bugs
	echo "gen: $(cat "$M/counter") runs of gen in all, no bug filed"
}

# camp_template_attrs: a run directory is a faithful copy of the template:
# modification times (files, directories, symlinks), modes and symlinks.
# The --check fails where one is lost.
camp_template_attrs() {
	need_bin careful
	need_py
	mkdir -p tpl/sub
	echo data >tpl/in.txt
	chmod 600 tpl/in.txt
	ln -s in.txt tpl/link
	touch -h -d @978307200 tpl/in.txt tpl/link tpl/sub
	chk='test "$(stat -c %Y.%a in.txt)" = 978307200.600 && test "$(stat -c %Y sub)" = 978307200 &&
test "$(stat -c %Y link)" = 978307200 && test "$(readlink link)" = in.txt'
	camp camp --seeds 1-10 --rate 0.3 -j 2 --template tpl --check "$chk" -o out -- "$BIN/careful"
	want_rc 0 "campaign with --template and a check of its attributes" camp
	camp_sum out camp
	[ "$nbugs" = 0 ] || fail "distinct_bugs $nbugs: the copy lost an attribute" camp.bugs
}

# camp_check_writes: a --check that writes a file of its own (a lock file,
# here the time) must not feed the corruption oracle: its writes come after
# the output is read, so the oracle stays on and quiet.
camp_check_writes() {
	need_bin careful
	need_py
	camp camp --seeds 1-20 --rate 0.3 -j 2 --check 'date +%s%N >check-stamp' -o out -- "$BIN/careful"
	want_rc 0 "campaign with a writing check" camp
	! grep -q 'differ' "$M/camp.err" || fail "the check's own file made fault-free runs differ" camp
	camp_sum out camp
	[ "$oracle" = true ] && [ "$nbugs" = 0 ] || fail "corruption_oracle $oracle, distinct_bugs $nbugs: expected true, 0" camp.bugs
}

# catalogue_getdents: getdents64 is never faulted under the realistic
# profile (ENOENT reads as the end of the directory); --profile all does.
catalogue_getdents() {
	mkdir d && touch d/a d/b
	ff real --seed 1 --rate 1 -e getdents64 --no-trace -- /bin/ls d
	want_rc 0 "ls under -e getdents64" real
	grep -q ' 0 faults;' "$M/real.err" || fail "realistic: getdents64 was faulted" real
	ff all --seed 1 --rate 1 -e getdents64 --profile all --no-trace -- /bin/ls d
	grep -q 'getdents64 d #0: error ' "$M/all.err" || fail "--profile all: getdents64 was not faulted" all
	echo "realistic: $(grep -o '[0-9]* eligible calls*, 0 faults' "$M/real.err")"
}

# camp_drawn_names: drawn writes through a mkstemp name (drawn from the
# clock by glibc) and aborts when one of those writes fails. The baselines
# show the name is drawn: every crash is one bug at the site tmp_obj_*,
# minimized to one fault, and the minimized trace replays to the crash in a
# fresh directory. Its getrandom-named file has the same name in every run
# (fifuzz gives getrandom's bytes), and another with --real-random.
camp_drawn_names() {
	need_bin drawn
	need_py
	camp camp --seeds 1-60 --rate 0.3 -e write -j 2 -o out -- "$BIN/drawn"
	want_rc 1 campaign camp
	grep -q 'draws names at random: .* tmp_obj_\*' "$M/camp.err" || fail "no word of the drawn names" camp
	camp_sum out camp
	[ "$nbugs" = 1 ] || fail "distinct_bugs $nbugs, expected 1" camp.bugs
	read -r sig verdict count _ minf <"$M/camp.bugs"
	[ "$sig" = crash-SIGABRT-write-tmp_obj__ ] && [ "$minf" = 1 ] && [ "$count" -gt 1 ] ||
		fail "bug $sig, $count runs, $minf minimized faults: expected crash-SIGABRT-write-tmp_obj__, > 1, 1" camp.bugs
	mkdir rep
	cd rep && ff rep replay --report "$M/r.json" "$W/out/failures/$sig/minimized.trace" -- "$BIN/drawn"
	cd "$W"
	want_rc 1 "replay of minimized.trace" rep
	outcome_is "$M/r.json" "signaled 6 crash" "replay of minimized.trace" rep
	reproduced rep
	for i in 1 2 3; do
		mkdir "g$i" && (cd "g$i" && "$FIFUZZ" --seed 1 --rate 0 --no-trace -q -- "$BIN/drawn" >"$M/g$i.out") ||
			fail "run $i of drawn failed" "g$i.out"
	done
	mkdir real && (cd real && "$FIFUZZ" --seed 1 --rate 0 --no-trace -q --real-random -- "$BIN/drawn" >"$M/real.out") ||
		fail "drawn --real-random failed" real.out
	cmp -s "$M/g1.out" "$M/g2.out" && cmp -s "$M/g1.out" "$M/g3.out" ||
		fail "getrandom names differ: $(cat "$M"/g?.out | tr '\n' ' ')" g1.out
	! cmp -s "$M/g1.out" "$M/real.out" || fail "--real-random gave fifuzz's bytes: $(cat "$M/real.out")" real.out
	echo "getrandom name $(cat "$M/g1.out") three times; --real-random: $(cat "$M/real.out")"
}

# minimize_cases: dblog ignores its failed log writes but crashes when its
# third db.txt write fails. A failing run at rate 0.5 has many faults;
# minimize keeps exactly that one, and the result replays to the crash.
# A passing trace and bad command lines exit 2.
minimize_cases() {
	need_bin dblog
	need_py
	seed=
	for s in $(seq 1 100); do
		mkdir rec
		cd rec && ff rec --seed "$s" --rate 0.5 -o "$M/t.trace" -- "$BIN/dblog"
		cd "$W"
		rm -rf rec
		[ "$rc" = 1 ] && seed=$s && break
		[ "$rc" = 0 ] || fail "seed $s: fifuzz exited $rc" rec
	done
	[ -n "$seed" ] || fail "no seed of 1-100 makes dblog crash at rate 0.5" rec
	ff min minimize "$M/t.trace" -o "$M/m.trace" -- "$BIN/dblog"
	want_rc 0 minimize min
	grep -Eq '^fifuzz: [0-9]+ faults -> 1 \([0-9]+ replays\)' "$M/min.err" || fail "no line 'N faults -> 1 (K replays)'" min
	n=$(sed -n 's/^fifuzz: \([0-9]*\) faults -> .*/\1/p' "$M/min.err")
	[ "$n" -gt 1 ] || fail "the recorded run (seed $seed) had $n faults: nothing to minimize" min
	ff show show --json "$M/m.trace"
	want_rc 0 "show --json of the minimized trace" show
	check faults "$M/show.out" >"$M/faults" || fail "$(cat "$M/faults")" show.out
	[ "$(grep -c '' "$M/faults")" = 1 ] && grep -q '^write db.txt #2 ' "$M/faults" ||
		fail "the minimized trace holds [$(tr '\n' ';' <"$M/faults")], expected the one fault write db.txt #2" show.out
	mkdir rep
	cd rep && ff rep replay --report "$M/r.json" "$M/m.trace" -- "$BIN/dblog"
	cd "$W"
	want_rc 1 "replay of the minimized trace" rep
	outcome_is "$M/r.json" "signaled 11 crash" "replay of the minimized trace" rep
	reproduced rep
	# A budget too small for one replay: the search stops at once, says so, and keeps a trace that fails.
	ff minb minimize --min-time 0.001 "$M/t.trace" -o "$M/mb.trace" -- "$BIN/dblog"
	want_rc 0 "minimize --min-time 0.001" minb
	grep -q "^fifuzz: $n faults -> $n " "$M/minb.err" && grep -q 'stopped at its time budget' "$M/minb.err" ||
		fail "minimize --min-time 0.001: expected $n faults kept and the budget named" minb
	mkdir repb
	cd repb && ff repb replay --report "$M/rb.json" "$M/mb.trace" -- "$BIN/dblog"
	cd "$W"
	want_rc 1 "replay of the budget-stopped trace" repb
	reproduced repb
	mkdir pass
	cd pass && ff pass --seed 1 --rate 0 -o "$M/p.trace" -- "$BIN/dblog"
	cd "$W"
	want_rc 0 "a fault-free run" pass
	usage_error "minimize of a passing trace" minimize "$M/p.trace" -o "$M/m2.trace" -- "$BIN/dblog"
	[ ! -e "$M/m2.trace" ] || fail "minimize of a passing trace wrote its output" usage
	usage_error "minimize without -o" minimize "$M/t.trace" -- "$BIN/dblog"
	usage_error "minimize of a missing trace" minimize "$M/missing.trace" -o "$M/m3.trace" -- "$BIN/dblog"
	usage_error "minimize without a trace" minimize -o "$M/m3.trace"
	usage_error "minimize without a program" minimize "$M/t.trace" -o "$M/m3.trace"
	[ ! -e "$M/m3.trace" ] || fail "a bad minimize command line wrote its output" usage
	[ ! -e log.txt ] && [ ! -e db.txt ] || fail "a bad minimize command line ran the program here" usage
}

# ---------------------------------------------------------------- the fault catalogue

DEF=$ROOT/core/syscalls.def

# same_dir DIR1 DIR2: both trees hold the same names and bytes (directories too).
same_dir() {
	diff -r "$1" "$2" >/dev/null 2>&1 || {
		diff -rq "$1" "$2" 2>&1 | head -n 3 | tr '\n' ' '
		return 1
	}
}

# catalogue_errnos files|net: every errno cat_files (or cat_net) printed at
# rate 1 and at rate 0.5 is one the catalogue allows for that call and fd
# kind, under --profile realistic and under --profile all; see check.py
# cat_errnos for the realism rules (eintr, eagain, datagrams).
catalogue_errnos() {
	if [ "$1" = files ]; then
		prog=cat_files
		set -- -e %file,%desc,%sync,%read,%write
	else
		prog=cat_net
		set -- -e %net,read,write --fd-kind socket,pipe --faults error,eintr,eagain,short
	fi
	need_bin "$prog"
	need_py
	for profile in realistic all; do
		for s in 1 2 3 4 5 6; do
			r=0.5
			[ "$s" = 1 ] && r=1
			rm -rf run && mkdir run
			cd run && ff rec --seed "$s" --rate "$r" --profile "$profile" --timeout 60 "$@" -o "$M/t.trace" -- "$BIN/$prog"
			cd "$W"
			want_rc 0 "--profile $profile --seed $s --rate $r" rec
			ff show show --json "$M/t.trace"
			want_rc 0 "show --json" show
			msg=$(check cat_errnos "$DEF" "$M/show.out" "$M/rec.out" "$profile") ||
				fail "--profile $profile --seed $s --rate $r: $msg" rec.out
		done
	done
}

# catalogue_short: at rate 1 with --faults short, every short read and write
# of cat_files and cat_net returned exactly the n of its trace item.
catalogue_short() {
	need_bin cat_files cat_net
	need_py
	for prog in cat_files cat_net; do
		if [ $prog = cat_files ]; then
			# a read of a regular file is cut only under --profile all (docs/catalogue.md)
			set -- -e %read,%write --profile all
		else
			set -- -e %net,read,write --fd-kind socket,pipe
		fi
		rm -rf run && mkdir run
		cd run && ff "$prog" --seed 3 --rate 1 --faults short --timeout 60 "$@" -o "$M/t.trace" -- "$BIN/$prog"
		cd "$W"
		want_rc 0 "$prog" "$prog"
		ff show show --json "$M/t.trace"
		want_rc 0 "show --json" show
		msg=$(check cat_short "$M/show.out" "$M/$prog.out") || fail "$prog: $msg" "$prog.out"
	done
	# Under the realistic profile the same run cuts the writes and none of the file reads.
	rm -rf run && mkdir run
	cd run && ff real --seed 3 --rate 1 --faults short -e %read,%write -o "$M/r.trace" -- "$BIN/cat_files"
	cd "$W"
	want_rc 0 "cat_files, realistic" real
	ff rshow show "$M/r.trace"
	want_rc 0 show rshow
	grep -q '^[a-z_0-9]*write[v2]* .*: short ' "$M/rshow.out" || fail "realistic: no write was cut" rshow.out
	! grep -q '^p\{0,1\}readv\{0,1\}[2]\{0,1\}\(64\)\{0,1\} .*: short ' "$M/rshow.out" ||
		fail "realistic: a read of a regular file was cut" rshow.out
	echo "realistic: $(grep -c ': short ' "$M/rshow.out") cuts, none of them a read"
}

# catalogue_path_glob: with --path GLOB only matching files are faulted:
# every stream of the trace matches, and the files that do not match hold
# what a native run leaves.
catalogue_path_glob() {
	need_bin cat_files
	need_py
	mkdir nat
	(cd nat && "$BIN/cat_files" >"$M/nat.out") || fail "cat_files fails without fifuzz" nat.out
	for g in 'a*.dat:b.dat c.dat d.dat' 'sub/*:a1.dat a2.dat b.dat c.dat d.dat'; do
		glob=${g%%:*} keep=${g#*:}
		for s in 1 2; do
			r=1
			[ "$s" = 2 ] && r=0.5
			rm -rf run && mkdir run
			cd run && ff rec --seed "$s" --rate "$r" -e %file,%desc,%sync,%read,%write --path "$glob" \
				-o "$M/t.trace" -- "$BIN/cat_files"
			cd "$W"
			want_rc 0 "--path '$glob' --rate $r" rec
			ff show show --json "$M/t.trace"
			want_rc 0 "show --json" show
			msg=$(check glob_only "$M/show.out" "$glob") || fail "--path '$glob' --rate $r: $msg" rec.out
			for f in $keep; do
				cmp -s "nat/$f" "run/$f" || fail "--path '$glob' --rate $r: $f (not matching) differs from a native run" rec.out
			done
		done
	done
	# Two globs: the union.
	rm -rf run && mkdir run
	cd run && ff rec --seed 1 --rate 1 -e %file,%desc,%read,%write --path 'a1.*' --path 'sub/*' \
		-o "$M/t.trace" -- "$BIN/cat_files"
	cd "$W"
	want_rc 0 "two --path globs" rec
	ff show show --json "$M/t.trace"
	msg=$(check glob_only "$M/show.out" 'a1.*' 'sub/*') || fail "two --path globs: $msg" rec.out
	grep -q '"path":"a1.dat"' "$M/show.out" && grep -q '"path":"sub/' "$M/show.out" ||
		fail "two --path globs: the trace lacks a1.dat or sub/ streams" show.out
}

# catalogue_startup: faulting every file call (rate 1) of a program that only
# starts up: /bin/true exits 0, python -c pass and a Go hello world neither
# die by a signal nor fail to load; fifuzz exits 0 each time.
catalogue_startup() {
	need_py
	need_bin hello_go
	sel="-e %file,%desc,%read,%write,%sync --rate 1 --seed 1 --timeout 60 --no-trace"
	# shellcheck disable=SC2086 # sel is words
	ff true $sel --report "$M/true.json" -- /bin/true
	want_rc 0 /bin/true true
	outcome_is "$M/true.json" "exited 0 pass" /bin/true true
	for p in py go; do
		if [ $p = py ]; then
			set -- "$PY" -c pass
		else
			set -- "$BIN/hello_go"
		fi
		# shellcheck disable=SC2086
		ff "$p" $sel --report "$M/$p.json" -- "$@"
		want_rc 0 "$*" "$p"
		o=$(check outcome "$M/$p.json") || fail "$o" "$p"
		case $o in signaled* | "None"*) fail "$*: outcome '$o'" "$p" ;; esac
		! grep -q 'error while loading shared libraries' "$M/$p.err" || fail "$*: a loader error" "$p"
	done
}

# catalogue_kinds_roundtrip: each of the six kinds appears (short, error, torn
# and fsync on cat_files' files, eintr on its blocking and eagain on its
# non-blocking pipes and sockets in cat_net); show names it, show --json has
# it, and replay reproduces the program's output and files.
catalogue_kinds_roundtrip() {
	need_bin cat_files cat_net
	need_py
	for k in short:%write error:%write torn:%write fsync:%sync eintr eagain; do
		kind=${k%%:*}
		if [ "$kind" = eintr ] || [ "$kind" = eagain ]; then
			prog=cat_net
			set -- -e %net,read,write --fd-kind socket,pipe
		else
			prog=cat_files
			set -- -e "${k#*:}"
		fi
		mkdir "rec$kind" "rep$kind"
		cd "rec$kind" && ff "$kind" --seed 7 --rate 1 --faults "$kind" --timeout 60 "$@" -o "$M/$kind.trace" -- "$BIN/$prog"
		cd "$W"
		want_rc 0 "--faults $kind" "$kind"
		ff show show "$M/$kind.trace"
		want_rc 0 "show" show
		grep -q "#[0-9]* ([0-9]* bytes): $kind\b\|#[0-9]*: $kind\b" "$M/show.out" ||
			fail "--faults $kind: show prints no '$kind' item" show.out
		ff json show --json "$M/$kind.trace"
		msg=$(check kind_seen "$M/json.out" "$kind") || fail "--faults $kind: $msg" json.out
		cd "rep$kind" && ff "rep$kind" replay --timeout 60 "$M/$kind.trace" -- "$BIN/$prog"
		cd "$W"
		want_rc 0 "replay of --faults $kind" "rep$kind"
		reproduced "rep$kind"
		! grep -q diverged "$M/rep$kind.err" || fail "replay of --faults $kind diverged" "rep$kind"
		cmp -s "$M/$kind.out" "$M/rep$kind.out" ||
			fail "replay of --faults $kind: the program printed other results" "$kind.out" "rep$kind.out"
		d=$(same_dir "rec$kind" "rep$kind") || fail "replay of --faults $kind: other files: $d" "rep$kind"
	done
}

# catalogue_only_after_max: on cat_files (single-threaded; default -e
# %write,%sync), --only 3 faults exactly the third eligible call, --after 5
# --rate 1 lets the first five through and faults the rest, --max-faults 2
# --rate 1 faults exactly the first two.
catalogue_only_after_max() {
	need_bin cat_files
	need_py
	mkdir nat
	(cd nat && "$BIN/cat_files" >"$M/nat.out") || fail "cat_files fails without fifuzz" nat.out
	for c in only:3:--only:3 after:5:--after:5:--rate:1 max:2:--max-faults:2:--rate:1; do
		mode=${c%%:*} n=${c#*:}
		n=${n%%:*}
		opts=$(echo "${c#*:*:}" | tr ':' ' ')
		rm -rf run && mkdir run
		# shellcheck disable=SC2086 # opts are words
		cd run && ff "$mode" --seed 2 $opts -o "$M/$mode.trace" -- "$BIN/cat_files"
		cd "$W"
		want_rc 0 "$opts" "$mode"
		ff show show --json "$M/$mode.trace"
		want_rc 0 "show --json" show
		msg=$(check selection "$mode" "$n" "$M/show.out" "$M/$mode.out" "$M/nat.out") || fail "$opts: $msg" "$mode.out"
	done
}

# bad_word WORD WHAT ARGS...: fifuzz ARGS exits 2 with one stderr line that contains WORD.
bad_word() {
	bw_word=$1 bw_what=$2
	shift 2
	usage_error "$bw_what" "$@"
	grep -qF -- "$bw_word" "$M/usage.err" || fail "$bw_what: the message does not contain '$bw_word'" usage
}

# catalogue_bad_selection: each bad selection exits 2 with one line naming
# the bad word; EPIPE (documented, not realistic for write on files) points
# to --profile all and is accepted there.
catalogue_bad_selection() {
	need_bin seed_c
	p=$BIN/seed_c
	bad_word %foo "unknown class" -e %foo -- "$p"
	bad_word frobnicate "unknown syscall" -e write,frobnicate -- "$p"
	bad_word frobnicate "unknown excluded syscall" -e '%write,!frobnicate' -- "$p"
	bad_word EBOGUS "unknown errno" --errno EBOGUS -- "$p"
	bad_word EPIPE "EPIPE under realistic" -e write --errno EPIPE -- "$p"
	grep -qF -- '--profile all' "$M/usage.err" || fail "EPIPE under realistic: no hint to --profile all" usage
	bad_word EINTR "--errno EINTR" --errno EINTR -- "$p"
	grep -qF -- '--faults eintr' "$M/usage.err" || fail "--errno EINTR: no hint to --faults eintr" usage
	bad_word EAGAIN "--errno EAGAIN" --errno EAGAIN -- "$p"
	bad_word '[abc' "malformed glob" --path '[abc' -- "$p"
	bad_word bogus "unknown profile" --profile bogus -- "$p"
	bad_word "'0'" "--only 0" --only 0 -- "$p"
	bad_word "-1" "--after -1" --after -1 -- "$p"
	bad_word "-1" "--max-faults -1" --max-faults -1 -- "$p"
	bad_word frob "unknown fault kind in a list" --faults short,frob -- "$p"
	[ ! -e test.txt ] || fail "a bad selection ran the program"
	ff ok -e write --errno EPIPE --profile all --no-trace -- "$p"
	want_rc 0 "--errno EPIPE --profile all" ok
}

# catalogue_list: `fifuzz list` has one row per FF_SYSCALL line of
# core/syscalls.def; `fifuzz list --roff` is a tbl table.
catalogue_list() {
	need_py
	ff list list
	want_rc 0 "fifuzz list" list
	msg=$(check list_rows "$DEF" "$M/list.out") || fail "$msg" list.out
	ff roff list --roff
	want_rc 0 "fifuzz list --roff" roff
	[ "$(head -n 1 "$M/roff.out")" = .TS ] || fail "fifuzz list --roff does not start with .TS" roff.out
	grep -q '^\.TE' "$M/roff.out" || fail "fifuzz list --roff has no .TE" roff.out
}

# ---------------------------------------------------------------- AFL++ schedules

# schedule_grammar: --schedule decodes its bytes as core/decide/decide.h says. On
# multi's regular-file writes (realistic kinds: short, error, torn; errnos: EIO,
# ENOSPC, EDQUOT) 0x00 and '0' pass, running out of bytes passes (a missing E or
# C byte reads as 0), K picks the ((K-1) mod n)-th kind in the fixed order
# whatever the order of --faults, E the errno, C0 C1 the cut; check.py decodes
# each file by the grammar and compares every call in `show --json` of the -o
# trace and what multi saw. --split-input feeds the input through '@@', through
# an argument naming the file and through stdin, and removes its temporary file.
schedule_grammar() {
	need_bin multi splitin
	need_py
	kinds=short,error,torn errnos=EIO,ENOSPC,EDQUOT
	i=0
	for s in '' '\0000\0000\0000' '0000000000' '\002' '\001\005' '\003' '1\000\000' \
		'\001\007\000\002\004\003\001\011\000\004\005\000\005\002\006\001\002\003' \
		'\377\377\377\377\376\376\376\375\375\375\375\374\374\374\374\373\373\373\373' \
		'\000\000\000\000\000\002\002' '0\002\001'; do
		i=$((i + 1))
		# shellcheck disable=SC2059 # $s is the schedule as a printf format
		printf "$s" >"$M/s$i"
		for faults in short,error,torn,eintr,eagain,fsync torn,short; do
			k=$kinds
			[ "$faults" = torn,short ] && k=short,torn
			mkdir run
			cd run && ff "rec$i" --faults "$faults" --schedule "$M/s$i" -o "$M/t$i.trace" -- "$BIN/multi" 6
			cd "$W"
			want_rc 0 "schedule '$s' (--faults $faults)" "rec$i"
			[ -s "$M/t$i.trace" ] || fail "schedule '$s': -o wrote no trace" "rec$i"
			ff "show$i" show --json "$M/t$i.trace"
			want_rc 0 "show --json" "show$i"
			msg=$(check schedule "$M/s$i" "$M/show$i.out" "$M/rec$i.out" "$k" "$errnos") ||
				fail "schedule '$s' (--faults $faults): $msg" "rec$i" "show$i"
			rm -rf run
		done
	done
	# No -o: no trace at all.
	mkdir run
	cd run && ff notrace --schedule "$M/s4" -- "$BIN/multi" 6
	cd "$W"
	want_rc 0 "schedule without -o" notrace
	[ "$(find run -type f | sort | tr '\n' ' ')" = "run/a.out run/b.out run/c.out " ] ||
		fail "--schedule without -o left [$(find run -type f | tr '\n' ' ')]" notrace
	rm -rf run
	# --split-input: [u16 LE 3][01 04 00: short, n = 1 + 4 % 10 = 5]["hello world"].
	printf '\003\000\001\004\000hello world' >"$M/split"
	mkdir "$M/tmp"
	for how in @@ path stdin; do
		mkdir "$how"
		cd "$how"
		case $how in
		@@) TMPDIR=$M/tmp ff "split$how" --split-input --schedule "$M/split" -o "$M/split.trace" -- "$BIN/splitin" @@ ;;
		path) TMPDIR=$M/tmp ff "split$how" --split-input --schedule "$M/split" -o "$M/split.trace" -- "$BIN/splitin" "$M/split" ;;
		stdin) TMPDIR=$M/tmp ff "split$how" --split-input --schedule "$M/split" -o "$M/split.trace" -- "$BIN/splitin" ;;
		esac
		cd "$W"
		want_rc 0 "--split-input ($how)" "split$how"
		printf 'read 11 bytes: hello world\nwrite 11 returned 5\n' >"$M/split.want"
		cmp -s "$M/split.want" "$M/split$how.out" ||
			fail "--split-input ($how): the program printed [$(tr '\n' ';' <"$M/split$how.out")], expected [$(tr '\n' ';' <"$M/split.want")]" "split$how"
		[ "$(cat "$how/in.out")" = hello ] || fail "--split-input ($how): in.out holds '$(cat "$how/in.out")', expected 'hello'" "split$how"
		[ -z "$(find "$M/tmp" -mindepth 1)" ] || fail "--split-input ($how): left [$(find "$M/tmp" -mindepth 1 | tr '\n' ' ')] in TMPDIR" "split$how"
	done
}

# afl_finds_crash: afl-fuzz (no forkserver yet) fuzzing the schedules of
# examples/afl/bug.c, built with afl-cc, from corpus/schedules/ finds a crash
# within 30 s; that crash file under `fifuzz --schedule -o` kills fifuzz by the
# signal AFL++ recorded (exit 128+N, the report says "signaled N crash") and
# its trace replays in a fresh directory to the same crash (exit 1). Nothing of
# the campaign is left running.
afl_finds_crash() {
	command -v afl-fuzz >/dev/null 2>&1 || skip "afl-fuzz is not installed (Debian package afl++)"
	command -v afl-cc >/dev/null 2>&1 || skip "afl-cc is not installed (Debian package afl++)"
	need_py
	bug=$M/bug
	AFL_QUIET=1 afl-cc -o "$bug" "$ROOT/examples/afl/bug.c" >"$M/cc.out" 2>"$M/cc.err" ||
		fail "afl-cc could not build examples/afl/bug.c" cc
	v=
	afl-fuzz -h 2>&1 | grep -q '^ *-V ' && v="-V 30"
	mkdir fz
	# AFL_BENCH_UNTIL_CRASH ends the run at the first crash; a piped core_pattern
	# or busy CPUs must not stop the case.
	# shellcheck disable=SC2086 # $v is an option and its value
	# MODE "forkserver": afl-fuzz's own checks and forkserver, fifuzz riding the
	# target's; "standalone": AFL_NO_FORKSRV, fifuzz dies by the target's signal.
	extra=""
	[ "${1:-forkserver}" = standalone ] && extra="AFL_NO_FORKSRV=1 AFL_SKIP_BIN_CHECK=1"
	(cd fz && env $extra AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 \
		AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		timeout -k 5 40 afl-fuzz $v -i "$ROOT/corpus/schedules" -o out -- "$FIFUZZ" -q --schedule @@ -- "$bug") \
		>"$M/afl.out" 2>"$M/afl.err" </dev/null
	st=$?
	no_survivors "$bug" "afl-fuzz" afl
	[ $st -eq 0 ] || fail "afl-fuzz exited $st" afl
	crash=
	for c in fz/out/default/crashes/id:*; do
		[ -f "$c" ] && crash=$c && break
	done
	[ -n "$crash" ] || fail "afl-fuzz found no crash in 30 s" afl
	sig=$(printf '%s\n' "$crash" | sed -n 's/.*,sig:0*\([0-9][0-9]*\),.*/\1/p')
	[ -n "$sig" ] || fail "no sig:N in the crash file's name $crash"
	mkdir rec
	cd rec && ff rec --schedule "$W/$crash" -o "$M/t.trace" --report "$M/r.json" -- "$bug"
	cd "$W"
	want_rc $((128 + sig)) "the crash file under fifuzz (must die by signal $sig like AFL++ saw)" rec
	outcome_is "$M/r.json" "signaled $sig crash" "the crash file under fifuzz" rec
	mkdir rep
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$bug"
	cd "$W"
	want_rc 1 replay rep
	outcome_is "$M/r2.json" "signaled $sig crash" replay rep
	reproduced rep
	no_survivors "$bug" "the end" rec
}

# afl-showmap and afl-tmin work on a fifuzz-wrapped target: showmap sees the
# target's coverage; tmin shrinks a crashing schedule that still crashes.
afl_tools() {
	command -v afl-showmap >/dev/null 2>&1 || skip "afl-showmap is not installed (Debian package afl++)"
	command -v afl-tmin >/dev/null 2>&1 || skip "afl-tmin is not installed (Debian package afl++)"
	command -v afl-cc >/dev/null 2>&1 || skip "afl-cc is not installed (Debian package afl++)"
	bug=$M/bug
	AFL_QUIET=1 afl-cc -o "$bug" "$ROOT/examples/afl/bug.c" >"$M/cc.out" 2>"$M/cc.err" ||
		fail "afl-cc could not build examples/afl/bug.c" cc
	# Pass, pass, then an error (kind 2 of short,error,torn) with errno byte 0: EIO on the third write.
	printf '00\002\000padding' >crash.sched
	afl-showmap -q -o map.txt -- "$FIFUZZ" -q --schedule crash.sched -- "$bug" >/dev/null 2>&1
	[ -s map.txt ] || fail "afl-showmap wrote no coverage for the wrapped target"
	AFL_SKIP_CPUFREQ=1 timeout -k 5 60 afl-tmin -i crash.sched -o min.sched -- "$FIFUZZ" -q --schedule @@ -- "$bug" \
		>tmin.out 2>&1 || fail "afl-tmin failed" tmin.out
	[ "$(wc -c <min.sched)" -le "$(wc -c <crash.sched)" ] || fail "afl-tmin did not shrink the schedule"
	"$FIFUZZ" -q --schedule min.sched -o t.trace -- "$bug" >/dev/null 2>&1
	st=$?
	[ $st -gt 128 ] || fail "the minimized schedule no longer crashes the target (fifuzz exited $st)"
	no_survivors "$bug" "afl-tmin"
}

# ---------------------------------------------------------------- power loss (--crash)

# A template directory with data.txt = "old", and the checks the power-loss
# cases use: chk.sh, data.txt holds the old or the new text, never anything
# else (atomicity); strict.sh, also the new one once the saver said it saved
# (exited 0) before the cut (durability).
crash_setup() {
	need_bin saver
	mkdir -p "$M/tmpl"
	printf old >"$M/tmpl/data.txt"
	cat >"$M/chk.sh" <<-'EOF2'
		f=$(cat data.txt 2>/dev/null) || { echo "check: data.txt is missing"; exit 1; }
		case $f in old | new) ;; *) echo "check: data.txt holds '$f'"; exit 1 ;; esac
	EOF2
	cat >"$M/strict.sh" <<-'EOF2'
		sh "$(dirname "$0")/chk.sh" || exit 1
		f=$(cat data.txt)
		if [ "$FIFUZZ_CUT" = end ] && [ "$FIFUZZ_EXIT" = 0 ] && [ "$f" != new ]; then
			echo "check: the saver said saved, but data.txt holds '$f' after the cut"
			exit 1
		fi
		exit 0
	EOF2
}

# crash_naive: the saver that renames an unsynced temporary file over the
# original. Under torn, a campaign finds cuts after which data.txt is empty
# (the rename reached the disk, the data did not); the failure is of kind
# crash-consistency and its minimized trace replays to the same state.
crash_naive() {
	need_py
	crash_setup
	camp camp --seeds 1-200 --rate 0 --crash-mode torn --crash-rate 0.2 -j 2 --template "$M/tmpl" \
		--check "sh $M/chk.sh" -o out -- "$BIN/saver" naive data.txt new
	want_rc 1 campaign camp
	camp_sum out camp
	echo "naive saver, torn: $runs runs, $failures failing; bugs: $(tr '\n' ';' <"$M/camp.bugs")"
	[ "$failures" -ge 1 ] || fail "200 seeds found no failure of the naive saver" camp
	! grep -qv ' crash-consistency ' "$M/camp.bugs" || fail "bugs of another kind than crash-consistency" camp.bugs
	# The check's words stay in the bug's directory, and name the bug.
	grep -q "data.txt holds ''" out/failures/*/check || fail "no check said data.txt was empty" camp
	! grep -q "data.txt holds" "$M/camp.out" "$M/camp.err" || fail "the check's output reached the terminal" camp
	python3 - out/report.json <<'PY' || fail "report.json: no bug named by the check's message" camp
import json, sys
r = json.load(open(sys.argv[1]))
assert any(b["check_message"] == "check: data.txt holds ''" for b in r["bugs"]), [b["check_message"] for b in r["bugs"]]
PY
	read -r sig _ <"$M/camp.bugs"
	mkdir rep
	cp "$M/tmpl/data.txt" rep/
	cd rep && ff rep replay --check "sh $M/chk.sh" --report "$M/r.json" "$W/out/failures/$sig/minimized.trace" -- \
		"$BIN/saver" naive data.txt new
	cd "$W"
	want_rc 1 "replay of the minimized trace" rep
	reproduced rep
	[ -f rep/data.txt ] && [ ! -s rep/data.txt ] || fail "after the replay data.txt is not the empty file" rep
	check power_loss "$M/r.json" mode=torn complete=true >"$M/pl" || fail "$(cat "$M/pl")" rep
	echo "replay: $(cat "$M/pl")"
}

# crash_after_exit_named: the naive saver with error faults too, judged
# durably: what fails is the power cut after it said saved, whatever error
# came before. Minimization removes every error fault (it tries none at all)
# and names the bug after the cut.
crash_after_exit_named() {
	need_py
	crash_setup
	camp camp --seeds 1-60 --rate 0.3 --crash-mode lose-all -j 2 --template "$M/tmpl" --check "sh $M/strict.sh" \
		-o out -- "$BIN/saver" naive data.txt new
	want_rc 1 campaign camp
	camp_sum out camp
	grep -q '^crash-consistency-exit0-power-cut-check_-the-saver-said-saved' "$M/camp.bugs" ||
		fail "no bug named after the cut after the run: $(tr '\n' ';' <"$M/camp.bugs")" camp.bugs
	sig=$(grep '^crash-consistency-exit0-power-cut-' "$M/camp.bugs" | head -n 1 | cut -d' ' -f1)
	grep -q '^faults: .* 0 after minimization' "out/failures/$sig/README" ||
		fail "the bug after the run kept an error fault" camp.bugs
}

# crash_careful: write, fsync, rename, fsync the directory: no cut in 300
# seeds leaves anything but the old or the new file, under torn and lose-all.
crash_careful() {
	need_py
	crash_setup
	for mode in torn lose-all; do
		camp "camp-$mode" --seeds 1-300 --rate 0 --crash-mode "$mode" --crash-rate 0.15 -j 2 --template "$M/tmpl" \
			--check "sh $M/strict.sh" -o "out-$mode" -- "$BIN/saver" careful data.txt new
		want_rc 0 "campaign ($mode)" "camp-$mode"
		camp_sum "out-$mode" "camp-$mode"
		echo "careful saver, $mode: $runs runs, $failures failing, oracle $oracle"
		[ "$runs" = 300 ] && [ "$failures" = 0 ] || fail "$mode: runs $runs, failures $failures; expected 300, 0" "camp-$mode"
		[ "$oracle" = false ] || fail "$mode: the corruption oracle is on after power cuts" "camp-$mode"
	done
	# Without --crash-rate the campaign takes 1/(the baseline's eligible calls + 1).
	camp camp-auto --seeds 1-50 --rate 0 --crash -j 2 --template "$M/tmpl" --check "sh $M/strict.sh" -o out-auto -- \
		"$BIN/saver" careful data.txt new
	want_rc 0 "campaign (automatic crash rate)" camp-auto
	grep -q 'power cut: probability 1/[0-9]* before each call that changes or syncs a file' "$M/camp-auto.err" ||
		fail "the campaign did not say which crash rate it took" camp-auto
	echo "automatic rate: $(grep -o 'probability 1/[0-9]*' "$M/camp-auto.err")"
}

# crash_fsync_retry: the saver retries a failed fsync and trusts the retry.
# With --fsync-failure=drop (Linux) the first failure lost the data and the
# check finds it; with keep the retry saves it.
crash_fsync_retry() {
	need_py
	crash_setup
	for how in drop keep; do
		mkdir "$how"
		cp "$M/tmpl/data.txt" "$how/"
		cd "$how" && ff "$how" --seed 1 -e fsync --rate 1 --max-faults 1 --crash --crash-rate 0 --fsync-failure "$how" \
			--check "sh $M/strict.sh" --report "$M/$how.json" -- "$BIN/saver" retry data.txt new
		cd "$W"
		grep -q 'retrying' "$M/$how.err" || fail "$how: the saver did not see an fsync failure" "$how"
		echo "fsync failure $how: exit $rc, data.txt '$(cat "$how/data.txt")'"
	done
	rc=$(check outcome "$M/drop.json")
	[ "$rc" = "exited 0 crash-consistency" ] || fail "drop: outcome '$rc', expected 'exited 0 crash-consistency'" drop
	check power_loss "$M/drop.json" cut=end fsync_failure=drop dropped_by_fsync_failure=1 >"$M/pl" || fail "$(cat "$M/pl")" drop
	rc=$(check outcome "$M/keep.json")
	[ "$rc" = "exited 0 pass" ] || fail "keep: outcome '$rc', expected 'exited 0 pass'" keep
	[ "$(cat keep/data.txt)" = new ] || fail "keep: data.txt holds '$(cat keep/data.txt)'" keep
}

# crash_replay_state: 20 seeds of the naive saver under torn with cuts
# anywhere: each replay in a fresh copy of the template leaves the same files,
# byte for byte, and the same post-cut state hash.
crash_replay_state() {
	need_py
	crash_setup
	same=0
	for s in $(seq 1 20); do
		mkdir "a$s" "b$s"
		cp "$M/tmpl/data.txt" "a$s/"
		cp "$M/tmpl/data.txt" "b$s/"
		cd "a$s" && ff "rec$s" --seed "$s" --rate 0.2 --crash-mode torn --crash-rate 0.25 -o "$M/t$s.trace" -- \
			"$BIN/saver" naive data.txt new
		cd "$W/b$s" && ff "rep$s" replay --report "$M/r$s.json" "$M/t$s.trace" -- "$BIN/saver" naive data.txt new
		cd "$W"
		reproduced "rep$s"
		msg=$(same_tree "a$s" "b$s") || fail "seed $s: the replay left other files: $msg" "rec$s" "rep$s"
		h1=$(sed -n 's/.*post-cut state \([0-9a-f]*\).*/\1/p' "$M/rec$s.err")
		h2=$(sed -n 's/.*post-cut state \([0-9a-f]*\).*/\1/p' "$M/rep$s.err")
		[ -n "$h1" ] && [ "$h1" = "$h2" ] || fail "seed $s: post-cut state '$h1' recorded, '$h2' replayed" "rec$s" "rep$s"
		same=$((same + 1))
	done
	echo "$same of 20 replays left the recorded post-cut state"
	# A replay that reaches another state says so (a cut after the run: data.txt is in the state).
	mkdir c d
	cp "$M/tmpl/data.txt" d/
	cd d && ff recd --seed 1 --rate 0 --crash-at 1000 -o "$M/td.trace" -- "$BIN/saver" naive data.txt new
	cd "$W"
	printf older >c/data.txt
	cd c && ff repc replay "$M/td.trace" -- "$BIN/saver" naive data.txt new
	cd "$W"
	grep -q 'diverged at the post-cut file state' "$M/repc.err" && grep -q 'did not reproduce' "$M/repc.err" ||
		fail "a replay from another start state did not report the state divergence" repc
}

# crash_keep_all: only the processes die: the files are those of a run
# without --crash; lose-all of a run that never syncs leaves the template.
crash_keep_all() {
	crash_setup
	mkdir plain keep lose
	for d in plain keep lose; do cp "$M/tmpl/data.txt" "$d/"; done
	cd plain && ff plain --seed 2 --rate 0 --no-trace -- "$BIN/saver" naive data.txt new
	cd "$W/keep" && ff keep --seed 2 --rate 0 --no-trace --crash-mode keep-all --crash-rate 0 -- "$BIN/saver" naive data.txt new
	cd "$W/lose" && ff lose --seed 2 --rate 0 --no-trace --crash-mode lose-all --crash-rate 0 -- "$BIN/saver" naive data.txt new
	cd "$W"
	msg=$(same_tree plain keep) || fail "keep-all changed the files: $msg" keep
	[ "$(ls -A lose)" = data.txt ] && [ "$(cat lose/data.txt)" = old ] ||
		fail "lose-all left [$(ls -A lose | tr '\n' ' ')] with data.txt '$(cat lose/data.txt)'" lose
}

# crash_usage: bad power-loss options get one line and exit 2.
crash_usage() {
	need_bin saver
	usage_error "--crash-mode bogus" --crash-mode bogus -- "$BIN/saver"
	usage_error "--fsync-failure without --crash" --fsync-failure drop -- "$BIN/saver"
	usage_error "--fsync-failure bogus" --crash --fsync-failure maybe -- "$BIN/saver"
	usage_error "--crash-at 0" --crash-at 0 -- "$BIN/saver"
	usage_error "--crash-rate 2" --crash-rate 2 -- "$BIN/saver"
	usage_error "--faults cut" --faults cut -- "$BIN/saver"
	usage_error "replay --crash" replay --crash x.trace -- "$BIN/saver"
	usage_error "--crash --pid" --crash --pid 1
	usage_error "--crash --no-follow" --crash --no-follow -- "$BIN/saver"
}

# crash_tree: forkw's 4 children each write their own file; the cut at a
# seeded call kills the whole tree (nothing survives fifuzz), lose-all puts
# back every unsynced file, and each run replays to its post-cut state.
crash_tree() {
	need_bin forkw
	for s in 1 2 3 4 5 6 7 8; do
		mkdir "a$s" "b$s"
		cd "a$s" && ff "rec$s" --seed "$s" --rate 0.1 --crash --crash-rate 0.03 -o "$M/t$s.trace" -- "$BIN/forkw" 4 20
		cd "$W"
		no_survivors "$BIN/forkw" "seed $s" "rec$s"
		grep -q 'power cut' "$M/rec$s.err" || fail "seed $s: no power cut reported" "rec$s"
		[ -z "$(ls -A "a$s")" ] || fail "seed $s: lose-all left [$(ls -A "a$s" | tr '\n' ' ')]; nothing was synced" "rec$s"
		cd "b$s" && ff "rep$s" replay "$M/t$s.trace" -- "$BIN/forkw" 4 20
		cd "$W"
		reproduced "rep$s"
	done
	echo "8 seeds: $(grep -l 'power cut at a call' "$M"/rec*.err | wc -l) cut at a call, the rest after the run"
}

# crash_threads_torn PROG ARGS...: under torn, a cut while several tasks
# write leaves a state the replay reaches byte for byte: in the replay, tasks
# that get further than they had when the power went wait for the cut, and
# the cut waits for tasks that are behind.
crash_threads_torn() {
	need_bin "$1"
	atcall=0
	for s in 1 2 3 4 5 6 7 8 9 10; do
		mkdir "a$s" "b$s"
		cd "a$s" && ff "rec$s" --seed "$s" --rate 0.05 --crash-mode torn --crash-rate 0.02 -o "$M/t$s.trace" -- "$BIN/$@"
		cd "$W/b$s" && ff "rep$s" replay "$M/t$s.trace" -- "$BIN/$@"
		cd "$W"
		reproduced "rep$s"
		msg=$(same_tree "a$s" "b$s") || fail "seed $s: the replay left other files: $msg" "rec$s" "rep$s"
		grep -q 'power cut at a call' "$M/rec$s.err" && atcall=$((atcall + 1))
	done
	echo "10 seeds of $*: $atcall cut at a call; every replay left the recorded files"
	[ "$atcall" -ge 3 ] || fail "only $atcall of 10 seeds cut at a call" rec1
}

# crash_schedule: under AFL++ a schedule byte can choose the cut like a fault
# kind; a failed check after the cut reaches afl-fuzz as SIGABRT; the
# forkserver mode refuses --crash (a cut would kill the forkserver).
crash_schedule() {
	need_py
	crash_setup
	# openat: pass; write: pass; rename: kinds (error, cut), byte 2 picks the cut.
	printf '\000\000\002' >"$M/cut.sched"
	mkdir a
	cp "$M/tmpl/data.txt" a/
	cd a && ff a --schedule "$M/cut.sched" --crash -o "$M/a.trace" --report "$M/a.json" -- "$BIN/saver" naive data.txt new
	cd "$W"
	want_rc 0 "a schedule that cuts at the rename" a
	grep -q '^rename data.txt.tmp #0: cut' "$M/a.err" 2>/dev/null || "$FIFUZZ" show "$M/a.trace" | grep -q '^rename data.txt.tmp #0: cut' ||
		fail "the schedule's third byte did not cut at the rename" a
	[ "$(ls -A a)" = data.txt ] && [ "$(cat a/data.txt)" = old ] || fail "lose-all after the cut left [$(ls -A a | tr '\n' ' ')]" a
	# All passes, the cut after the run: the saver said saved, the data is gone; afl-fuzz sees SIGABRT.
	printf '\000\000\000' >"$M/end.sched"
	mkdir b
	cp "$M/tmpl/data.txt" b/
	cd b && __AFL_SHM_ID=1 AFL_NO_FORKSRV=1 "$FIFUZZ" -q --schedule "$M/end.sched" --crash --check "sh $M/strict.sh" -- \
		"$BIN/saver" naive data.txt new >"$M/b.out" 2>"$M/b.err" </dev/null
	rc=$?
	cd "$W"
	[ "$rc" = 134 ] || fail "a crash-consistency failure under afl-fuzz exited $rc, expected 134 (SIGABRT)" b
	echo "schedule: cut at the rename, lose-all left data.txt 'old'; under afl-fuzz the failed check died by SIGABRT"
	# The forkserver pipes open and no AFL_NO_FORKSRV: refused.
	# (dash redirects fds 0-9 only: python opens 198 and 199)
	__AFL_SHM_ID=1 "$PY" -c 'import os, sys
for fd in (198, 199):
    os.dup2(os.open("/dev/null", os.O_RDWR), fd)
os.execv(sys.argv[1], sys.argv[1:])' "$FIFUZZ" --schedule "$M/end.sched" --crash -- "$BIN/saver" naive data.txt new \
		>"$M/c.out" 2>"$M/c.err" </dev/null
	rc=$?
	[ "$rc" = 2 ] && grep -q 'AFL_NO_FORKSRV=1' "$M/c.err" || fail "--crash with a forkserver: exit $rc" c
}

# camp_hang_minimize: hangerr hangs only when a write fails. A campaign with
# --timeout files the hangs under the failing write's site (every run judged
# on its own: a timeout in one run must not end the next), and the minimized
# trace keeps the one fault that makes the hang.
camp_hang_minimize() {
	need_bin hangerr
	need_py
	camp camp --seeds 1-12 --rate 0.3 --faults error --timeout 0.5 -j 2 -o out -- "$BIN/hangerr"
	want_rc 1 campaign camp
	camp_sum out camp
	echo "hangerr: $runs runs, $failures hangs; bugs: $(tr '\n' ';' <"$M/camp.bugs")"
	[ "$failures" -ge 2 ] || fail "only $failures of 12 runs hung" camp
	! grep -q 'nofault' "$M/camp.bugs" || fail "a hang filed without its fault (a timeout leaked into later runs)" camp.bugs
	! grep -qv '^hang-hang-write-hangerr.out hang [0-9]* [0-9]* 1$' "$M/camp.bugs" ||
		fail "expected hang bugs at a write of hangerr.out, minimized to 1 fault" camp.bugs
}

# reader_corpus: every trace of corpus/traces/ (seeds, the reader fuzzer's
# minimized queue and the inputs that once broke a reader, docs/fuzzing.md)
# through show, show --json, replay and minimize (on /bin/true, which makes
# the few valid failing traces end at minimize's first replay). Each command
# must exit 0, 1 or 2 (replay also 4: not reproduced) within 10 seconds, never die by a signal nor print a
# sanitizer report, and a refusal (2) is one line. Then the plain build of
# the fuzz harness (build/fuzz-reader) checks the same files with its
# invariants (round trip, canonical bytes, safe output). Prints the counts.
reader_corpus() {
	harness=$ROOT/build/fuzz-reader
	[ -x "$harness" ] || fail "$harness is missing: run make build/fuzz-reader"
	for d in seeds regress queue; do
		for t in "$ROOT/corpus/traces/$d"/*; do
			[ -f "$t" ] && echo "$t"
		done
	done >"$M/files"
	n=$(grep -c '' "$M/files")
	[ "$n" -ge 20 ] || fail "only $n files under corpus/traces/"
	: >"$M/codes"
	while read -r t; do
		for cmd in show json replay minimize; do
			case $cmd in
			show) set -- show "$t" ;;
			json) set -- show --json "$t" ;;
			replay) set -- replay -q --no-trace "$t" -- /bin/true ;;
			minimize) set -- minimize "$t" -o "$M/min.trace" -- /bin/true ;;
			esac
			timeout -k 2 10 "$FIFUZZ" "$@" >"$M/r.out" 2>"$M/r.err" </dev/null
			rc=$?
			echo "$cmd $rc" >>"$M/codes"
			what="$cmd of ${t#"$ROOT"/}"
			case $rc in
			0 | 1) ;;
			4) [ "$cmd" = replay ] || fail "$what: fifuzz exited 4" r ;; # another program: not reproduced
			2) one_line "$what (exit 2)" r ;;
			124 | 137) fail "$what: still running after 10 s" r ;;
			*) fail "$what: fifuzz exited $rc" r ;;
			esac
			! grep -q 'Sanitizer\|runtime error:' "$M/r.err" || fail "$what: a sanitizer report" r
		done
	done <"$M/files"
	tr '\n' '\0' <"$M/files" | xargs -0 "$harness" >"$M/h.out" 2>"$M/h.err" ||
		fail "the fuzz harness failed on the corpus" h
	! grep -q 'Sanitizer\|runtime error:' "$M/h.err" || fail "the fuzz harness: a sanitizer report" h
	# One line for run.sh: the files, then "COMMAND EXIT:COUNT" pairs.
	{
		printf '%s files; exit statuses' "$n"
		sort "$M/codes" | uniq -c | awk '{ printf " %s %s:%s", $2, $3, $1 }'
		printf '; harness: %s\n' "$(tail -n 1 "$M/h.out" | sed 's/^harness: //')"
	} >"$M/.note"
}

# ---------------------------------------------------------------- power-loss fidelity (issue 12)

# crash_stdio_redirect: a shell's `cat new > tmp && mv tmp data.txt` writes
# the data through fd 1, which the model follows: a torn campaign finds the
# empty data.txt (the rename survived, the data did not). The campaign's own
# capture of the program's stdout is never rolled back (the check finds the
# program's first line in it), nor is fifuzz's own stdout in a single run.
crash_stdio_redirect() {
	mkdir tmpl
	printf old >tmpl/data.txt
	printf new >tmpl/new
	cat >"$M/chk.sh" <<-'EOF2'
		grep -q marker "$FIFUZZ_STDOUT" || { echo "check: the capture lost the marker"; exit 1; }
		f=$(cat data.txt 2>/dev/null) || { echo "check: data.txt is missing"; exit 1; }
		case $f in old | new) ;; *) echo "check: data.txt holds '$f'"; exit 1 ;; esac
	EOF2
	camp camp --seeds 1-60 --crash-mode torn --crash-rate 0.3 -j 1 --template tmpl --check "sh $M/chk.sh" -o out -- \
		sh -c 'echo marker; cat new > tmp && mv tmp data.txt'
	want_rc 1 campaign camp
	# bugs are named after the check's message
	grep -q "data.txt-holds-__" "$M/camp.err" || fail "no check said data.txt was empty" camp
	! grep -q "capture-lost" "$M/camp.err" || fail "the campaign's capture was rolled back" camp
	cp -r tmpl one
	cd one && ff one --seed 1 --crash --crash-rate 0 --no-trace -- sh -c 'echo marker; cat new > tmp && mv tmp data.txt'
	cd "$W"
	want_rc 0 "single run" one
	grep -q '^marker$' "$M/one.out" || fail "fifuzz's own stdout was rolled back" one
	[ "$(cat one/data.txt)" = old ] && [ ! -e one/tmp ] || fail "lose-all kept the unsynced redirect or rename" one
}

# crash_no_faults: --crash alone cuts the power and injects no error fault;
# --rate P adds them.
crash_no_faults() {
	need_bin saver
	printf old >data.txt
	n=0
	for s in 1 2 3 4 5 6 7 8 9 10; do
		ff "r$s" -v --seed "$s" --crash --crash-rate 0.1 --no-trace -- "$BIN/saver" naive data.txt new
		! grep -Eq -- '-> (error|short|torn|fsync)' "$M/r$s.err" || fail "seed $s: --crash alone injected a fault" "r$s"
		printf old >data.txt
		ff "f$s" -v --seed "$s" --crash --crash-rate 0.1 --rate 0.5 --no-trace -- "$BIN/saver" naive data.txt new
		grep -Eq -- '-> (error|short|torn)' "$M/f$s.err" && n=$((n + 1))
		printf old >data.txt
	done
	[ "$n" -ge 1 ] || fail "--rate 0.5 with --crash injected no fault in 10 seeds" f1
	echo "--rate 0.5: faults in $n of 10 runs; --crash alone: none"
}

# crash_cut_points: cuts fall on calls that change state (never a read-only
# open), --path narrows them, sync and msync are cut points and `-e sync`
# is accepted.
crash_cut_points() {
	need_bin durprof
	printf new >new
	for s in 1 2 3 4 5 6 7 8; do
		printf old >data.txt
		rm -f tmp
		ff "r$s" -v --seed "$s" --crash --crash-rate 0.4 -o "$M/r$s.trace" -- sh -c 'cat new > tmp && mv tmp data.txt'
		c=$(grep -- '-> cut' "$M/r$s.err")
		case $c in '' | *'openat("tmp")'* | *rename*) ;; *) fail "seed $s: cut at $c" "r$s" ;; esac
	done
	printf old >data.txt
	ff p --seed 1 --crash --crash-rate 1 --path 'data.*' -o "$M/p.trace" -- sh -c 'cat new > tmp && mv tmp data.txt'
	grep -q 'power cut after the run' "$M/p.err" || fail "--path 'data.*' let a cut fall on tmp" p
	printf old >data.txt
	ff s -v --crash --crash-rate 1 -e sync --no-trace -- "$BIN/durprof" sync
	want_rc 0 "-e sync" s
	grep -q 'sync("/") #0 -> cut' "$M/s.err" || fail "no cut at sync" s
	[ "$(cat data.txt)" = old ] || fail "the cut before sync kept the unsynced write" s
	for m in msync nomsync; do
		printf old >data.txt
		ff "$m" --crash --crash-rate 0 --no-trace -- "$BIN/durprof" "$m"
		[ "$(head -c 3 data.txt)" = "$([ $m = msync ] && echo new || echo old)" ] ||
			fail "$m: data.txt starts with '$(head -c 3 data.txt)'" "$m"
	done
	printf old >data.txt
	ff m -v --crash --crash-rate 1 -e msync,pwrite64 --path data.txt --no-trace -- "$BIN/durprof" msync
	grep -q 'msync(.*-> cut' "$M/m.err" || grep -q 'pwrite64(.*-> cut' "$M/m.err" || fail "no cut at msync" m
	echo "cuts only at state changes; --path narrows; sync and msync cut"
}

# crash_fs_profiles: small C programs pin what each file-system profile
# keeps after a cut at the end of the run (lose-all: only what the
# profile's fsync rules made durable), and what torn can and cannot leave.
# camp_fs_all: `campaign --fs all` runs the same seeds under every profile and
# says where each bug fails: two renames, each fsynced through the file only,
# survive on ext4, xfs and btrfs but not under the strict POSIX rules.
camp_fs_all() {
	need_bin durprof
	cat >"$M/chk.sh" <<-'EOF2'
		# After the program's end, a and b must both hold what it wrote.
		[ "$FIFUZZ_CUT" != end ] && exit 0
		[ "$(cat a 2>/dev/null)" = A ] && [ "$(cat b 2>/dev/null)" = B ] && exit 0
		echo "check: a or b lost"; exit 1
	EOF2
	camp camp --fs all --crash-rate 0 --seeds 1-4 -j 2 --check "sh $M/chk.sh" -o out -- "$BIN/durprof" tworenames
	want_rc 1 "campaign --fs all" camp
	for fs in posix ext4 xfs btrfs; do
		[ -f "out/fs-$fs/report.json" ] || fail "no report of the $fs campaign" camp
	done
	grep -q 'fails on posix only' "$M/camp.err" || fail "the campaign does not say the bug fails on posix only" camp
	python3 - out/report.json <<'PY' || fail "report.json of --fs all is not what the runs did" camp
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r["fs"] == "all" and r["distinct_bugs"] == 1, r
b = r["bugs"][0]
assert b["fails_on"] == ["posix"] and b["passes_on"] == ["ext4", "xfs", "btrfs"], b
p = b["by_profile"]["posix"]
assert p["count"] == 4 and os.path.isdir(os.path.join(os.path.dirname(sys.argv[1]), p["dir"])), p
assert [x["failures"] for x in r["profiles"]] == [4, 0, 0, 0], r["profiles"]
print("--fs all:", b["signature"], "fails on", b["fails_on"], "passes on", b["passes_on"])
PY
	# The posix bug's trace replays to the same loss.
	sig=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bugs"][0]["by_profile"]["posix"]["dir"])' out/report.json)
	mkdir rep && cd rep && ff rep replay --check "sh $M/chk.sh" "$W/out/$sig/trace" -- "$BIN/durprof" tworenames
	cd "$W"
	want_rc 1 "replay of the posix bug" rep
	reproduced rep
	usage_error "--fs all on one run" --fs all -- "$BIN/durprof" tworenames
	usage_error "--fs bogus in a campaign" campaign --fs zfs -o o2 -- "$BIN/durprof" tworenames
}

# crash_sqlite_matrix: SQLite's documented durability, journal mode by
# synchronous level, as fifuzz's power cuts find it (lose-all and torn, 100
# seeds each, posix profile). A transaction is acknowledged when sqlite3
# prints "committed" after its COMMIT (line-buffered by stdbuf); the check
# wants integrity_check ok, whole transactions and every acknowledged one.
# Expected (https://www.sqlite.org/pragma.html#pragma_synchronous): OFF loses
# or corrupts in every mode; NORMAL is not durable in DELETE, TRUNCATE and
# WAL; DELETE+FULL can roll back the last commit (the journal's unlink is not
# synced; EXTRA syncs the directory); the rest never lose a commit.
crash_sqlite_matrix() {
	[ -x /usr/bin/sqlite3 ] || skip "sqlite3 is not installed (apt-get install sqlite3)"
	[ -x /usr/bin/stdbuf ] || skip "stdbuf (coreutils) is not installed"
	cat >"$M/chk.sh" <<-'EOF2'
		d=$(mktemp -d) || exit 2
		trap 'rm -rf "$d"' EXIT
		for f in db db-journal db-wal; do
			if [ -e "$f" ]; then cp "$f" "$d/" || exit 2; fi
		done
		got=$(/usr/bin/sqlite3 "$d/db" 'pragma integrity_check; select count(*) from t' 2>&1)
		case $got in
		"ok
		"[1234]00) ;;
		*) printf 'the database is malformed or holds part of a transaction\n%s\n' "$got" | head -n 3; exit 1 ;;
		esac
		acked=$(grep -c '^committed$' "$FIFUZZ_STDOUT")
		rows=${got#ok?}
		[ "$rows" -ge $((100 + 100 * acked)) ] && exit 0
		printf 'a committed transaction was lost\n%s acknowledged, %s rows\n' "$acked" "$rows"
		exit 1
	EOF2
	rows() { echo "BEGIN; INSERT INTO t SELECT x, printf('%0500d', x) FROM (WITH RECURSIVE c(x) AS (SELECT $1 UNION ALL SELECT x + 1 FROM c WHERE x < $2) SELECT x FROM c); COMMIT; SELECT 'committed';"; }
	bad=
	while read -r mode sync want; do
		rm -rf tmpl && mkdir tmpl
		(cd tmpl && /usr/bin/sqlite3 db "PRAGMA journal_mode=$mode; CREATE TABLE t (x INTEGER PRIMARY KEY, v TEXT); $(rows 1 100)" >/dev/null) ||
			fail "cannot make the $mode database"
		sql="PRAGMA journal_mode=$mode; PRAGMA synchronous=$sync; $(rows 101 200) $(rows 201 300) $(rows 301 400)"
		got=
		for cm in lose-all torn; do
			# A configuration expected to fail stops at its first failure.
			stop=; [ "$want" = fail ] && stop="--stop-after 1"
			rm -rf out
			# shellcheck disable=SC2086 # $stop is one option or none
			camp "$mode-$sync-$cm" --seeds 1-100 --rate 0 --crash-mode "$cm" -j 2 --timeout 30 --no-minimize $stop \
				--template tmpl --check "sh $M/chk.sh" -o out -- /usr/bin/stdbuf -oL /usr/bin/sqlite3 -bail db "$sql"
			case $rc in 0) r=pass ;; 1) r=fail ;; *) fail "$mode $sync $cm: fifuzz exited $rc" "$mode-$sync-$cm" ;; esac
			f=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["failures"], "of", r["runs"])' out/report.json)
			got="$got $cm $r ($f)"
			[ "$r" = "$want" ] || bad="$bad; $mode+$sync under $cm: $r, expected $want"
		done
		echo "$mode $sync (expected $want):$got"
	done <<-'EOF2'
		delete off fail
		delete normal fail
		delete full fail
		delete extra pass
		truncate off fail
		truncate normal fail
		truncate full pass
		truncate extra pass
		persist off fail
		persist normal pass
		persist full pass
		persist extra pass
		wal off fail
		wal normal fail
		wal full pass
		wal extra pass
	EOF2
	[ -z "$bad" ] || fail "SQLite's matrix differs${bad}"
	echo "16 journal mode x synchronous configurations, lose-all and torn: as SQLite documents" >"$M/.note"
}

# check_leftovers: what a --check starts is killed when it ends (a daemon
# that double-forks and calls setsid too), and a check that outlives
# --timeout is killed and reported as the check's fault, not a hang.
check_leftovers() {
	need_bin careful
	tag=$$
	cat >"$M/daemon.sh" <<-EOF2
		sleep 97$tag &
		setsid sh -c 'sleep 98$tag & exit 0' &
		( setsid sleep 99$tag & )
		exit 1
	EOF2
	ff run --seed 1 --no-trace --check "sh $M/daemon.sh" -- "$BIN/careful" data.txt x
	want_rc 1 "a failing check" run
	sleep 0.3
	left=$(pgrep -f "sleep 9[789]$tag" | tr '\n' ' ')
	[ -z "$left" ] || { pkill -f "sleep 9[789]$tag"; fail "the check left processes running: $left" run; }
	camp camp --seeds 1-3 -j 2 --rate 0 --check "sh $M/daemon.sh" -o out -- "$BIN/careful" data.txt x
	sleep 0.3
	left=$(pgrep -f "sleep 9[789]$tag" | tr '\n' ' ')
	[ -z "$left" ] || { pkill -f "sleep 9[789]$tag"; fail "a campaign's checks left processes running: $left" camp; }
	ff slow --seed 1 --no-trace --timeout 1 --check "sleep 96$tag" -- "$BIN/careful" data.txt x
	want_rc 3 "a check that outlives --timeout" slow
	grep -q 'the --check command did not finish within --timeout' "$M/slow.err" || fail "no word about the stalled check" slow
	! pgrep -f "sleep 96$tag" >/dev/null || fail "the stalled check is still running" slow
	camp camps --seeds 1-2 -j 1 --rate 0 --timeout 1 --check "sleep 96$tag" -o out2 -- "$BIN/careful" data.txt x
	want_rc 3 "a campaign whose check stalls" camps
	grep -q 'did not finish within --timeout' "$M/camps.err" || fail "the campaign does not blame the check" camps
	! grep -q 'hang' out2/report.json 2>/dev/null || ! grep -q '"verdict":"hang"' out2/report.json || fail "filed as a hang" camps
	echo "check leftovers killed; a stalled check: $(tail -n 1 "$M/camps.err")" >"$M/.note"
}

crash_fs_profiles() {
	need_bin durprof
	# scenario, then the expected state under posix, ext4, xfs, btrfs ('-' missing)
	while read -r sc files want; do
		for fs in posix ext4 xfs btrfs; do
			rm -rf "r-$sc-$fs" && mkdir "r-$sc-$fs" && printf old >"r-$sc-$fs/data.txt"
			cd "r-$sc-$fs" && ff "$sc-$fs" --fs "$fs" --crash-rate 0 --no-trace -- "$BIN/durprof" "$sc"
			cd "$W"
			want_rc 0 "$sc --fs $fs" "$sc-$fs"
			got=
			for f in $(echo "$files" | tr , ' '); do
				v=$(cat "r-$sc-$fs/$f" 2>/dev/null) || v=-
				got="$got${got:+,}${v:-empty}"
			done
			set -- $(echo "$want" | tr '|' ' ')
			case $fs in posix) w=$1 ;; ext4) w=$2 ;; xfs) w=$3 ;; btrfs) w=$4 ;; esac
			[ "$got" = "$w" ] || fail "$sc under --fs $fs left $files = $got, expected $w" "$sc-$fs"
		done
		echo "$sc: $files = $want (posix|ext4|xfs|btrfs)"
	done <<-'EOF2'
		newfile f -|new|new|new
		rename data.txt,other old,-|new,other|new,other|old,other
		tworenames a,b -,-|A,B|A,B|A,B
		maponly data.txt old|old|old|old
		mapsync data.txt new|new|new|new
	EOF2
	# torn: a replace via rename and a truncate-then-write never leave the
	# empty file on ext4 and btrfs (auto_da_alloc), can on xfs and posix.
	for sc in replace trunc; do
		for fs in posix ext4 xfs btrfs; do
			empty=0
			for s in $(seq 1 30); do
				rm -rf t && mkdir t && printf old >t/data.txt
				cd t && ff "t-$sc-$fs" --seed "$s" --fs "$fs" --crash-mode torn --crash-rate 0 --no-trace -- \
					"$BIN/durprof" "$sc"
				cd "$W"
				f=$(cat t/data.txt)
				case $f in old | new) ;; '') empty=$((empty + 1)) ;; *) fail "$sc --fs $fs seed $s: '$f'" "t-$sc-$fs" ;; esac
			done
			case $fs in
			ext4 | btrfs) [ "$empty" = 0 ] || fail "$sc --fs $fs: $empty of 30 torn cuts left data.txt empty" "t-$sc-$fs" ;;
			*) [ "$empty" -gt 0 ] || fail "$sc --fs $fs: no torn cut left data.txt empty in 30 seeds" "t-$sc-$fs" ;;
			esac
			printf '%s --fs %s torn: %s of 30 empty; ' "$sc" "$fs" "$empty"
		done
		echo
	done
	# The trace records the profile; the replay reaches the same post-cut state.
	for s in 1 2 3 4 5 6; do
		rm -rf a b && mkdir a b && printf old >a/data.txt && printf old >b/data.txt
		cd a && ff "rec$s" --seed "$s" --fs ext4 --crash-mode torn --crash-rate 0.3 -o "$M/t$s.trace" -- "$BIN/durprof" tworenames
		cd "$W/b" && ff "rep$s" replay "$M/t$s.trace" -- "$BIN/durprof" tworenames
		cd "$W"
		reproduced "rep$s"
		msg=$(same_tree a b) || fail "seed $s: the replay left other files: $msg" "rec$s" "rep$s"
	done
	ff show show "$M/t1.trace"
	grep -q 'power loss: .*fs: ext4' "$M/show.out" || fail "show does not name the profile" show
	ff showj show --json "$M/t1.trace"
	grep -q '"fs":"ext4"' "$M/showj.out" || fail "show --json does not name the profile" showj
	usage_error "--fs bogus" --fs zfs -- "$BIN/durprof" newfile
}

# crash_show_changes: show and show --json of a cut trace list what the cut
# did: each unsynced change, whether it survived, under which rule; and a
# replay writes the same list.
crash_show_changes() {
	need_bin saver
	need_py
	printf old >data.txt
	ff rec --seed 3 --fs xfs --crash-mode torn --crash-rate 0 -o "$M/t.trace" -- "$BIN/saver" naive data.txt new
	want_rc 0 record rec
	ff show show "$M/t.trace"
	grep -q '^cut changes: 3 unsynced' "$M/show.out" || fail "show lists no cut changes" show
	for c in 'create data.txt.tmp: ' 'write data.txt.tmp @0 +3: ' 'rename data.txt <- data.txt.tmp: '; do
		grep -q "^  $c\(lost\|survived\|partly survived\) (" "$M/show.out" || fail "show lacks '$c'" show
	done
	ff json show --json "$M/t.trace"
	"$PY" - "$M/json.out" <<-'EOF2' || fail "show --json: bad changes" json
		import json, sys
		p = json.load(open(sys.argv[1]))["power_loss"]
		assert p["fs"] == "xfs" and p["changes_total"] == 3, p
		kinds = [c["change"] for c in p["changes"]]
		assert kinds == ["create", "write", "rename"], kinds
		for c in p["changes"]:
		    assert c["fate"] in ("lost", "survived", "partly survived") and c["rule"] in ("journal-prefix", "pages", "flushed", "unreachable"), c
	EOF2
	mkdir b && printf old >b/data.txt
	cd b && ff rep replay -o "$M/r.trace" "$M/t.trace" -- "$BIN/saver" naive data.txt new
	cd "$W"
	reproduced rep
	ff show2 show "$M/r.trace"
	[ "$(grep '^  ' "$M/show.out")" = "$(grep '^  ' "$M/show2.out")" ] || fail "the replay's cut changes differ" show show2
	# lose-all under posix: every change lost, by the lose-all rule
	printf old >data.txt
	ff lose --seed 3 --crash-rate 0 -o "$M/l.trace" -- "$BIN/saver" naive data.txt new
	ff show3 show "$M/l.trace"
	[ "$(grep -c '^  .*: lost (lose-all' "$M/show3.out")" = 3 ] || fail "lose-all: not 3 changes lost by lose-all" show3
}

# ---------------------------------------------------------------- sweep, coverage, merge (issue 14)

# note LINE: says LINE, and run.sh shows the first such line beside PASS.
note() {
	echo "$*"
	echo "$*" >>"$M/.note"
}

# sweep_json OUTDIR: prints "runs failures bugs pairs pairs_tried sweep_pairs
# sweep_tried first_seed_of_bugs" from OUTDIR/report.json.
sweep_json() {
	python3 - "$1/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r.get("sweep", {})
print(r["runs"], r["failures"], r["distinct_bugs"], r["coverage"]["pairs"], r["coverage"]["pairs_tried"],
      s.get("pairs", "-"), s.get("pairs_tried", "-"), ",".join(str(b["first_seed"]) for b in r["bugs"]))
PY
}

# same_report A B: the two report.json agree but for timing and the output directory.
same_report() {
	python3 - "$1/report.json" "$2/report.json" "$1" "$2" <<'PY'
import json, os, sys
def norm(p, d):
    r = json.load(open(p))
    for k in ("elapsed_s", "runs_per_s"):
        r.pop(k, None)
    for b in r["bugs"]:
        b["dir"] = os.path.relpath(b["dir"], os.path.realpath(d))
    return r
a, b = norm(sys.argv[1], sys.argv[3]), norm(sys.argv[2], sys.argv[4])
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("report.json differs in %s: %r vs %r" % (k, a.get(k), b.get(k)))
            break
    sys.exit(1)
PY
}

# sweep_fourth: fourth aborts only when its fourth write comes back short.
# A sweep (no seeds) finds it in the runs its baseline gives, files one bug,
# minimized to that one fault, whose trace replays to the abort; the same
# sweep again gives the same report.
sweep_fourth() {
	need_bin fourth
	need_py
	camp camp --sweep -j 2 -o out -- "$BIN/fourth"
	want_rc 1 "sweep" camp
	camp_sum out camp
	set -- $(sweep_json out)
	note "sweep of fourth: $1 runs, $2 failing, $3 bug(s); (call, kind) pairs $7 of $6; bugs: $(tr '\n' ';' <"$M/camp.bugs")"
	[ "$1" -ge 15 ] && [ "$1" -le 200 ] || fail "sweep made $1 runs, expected one per call, kind, errno and cut" camp
	[ "$3" = 1 ] || fail "expected 1 bug, found $3" camp.bugs
	grep -q '^crash-SIGABRT-write-fourth.out crash ' "$M/camp.bugs" || fail "the bug is not the abort at the write" camp.bugs
	grep -q 'write fourth.out #3: short' out/failures/*/README || fail "the minimized fault is not the short 4th write" camp
	[ "$6" = "$7" ] || fail "sweep tried $7 of its $6 (call, kind) pairs" camp
	sig=$(cut -d' ' -f1 "$M/camp.bugs")
	mkdir rep && cd rep && ff rep replay "$W/out/failures/$sig/minimized.trace" -- "$BIN/fourth"
	cd "$W"
	want_rc 1 "replay of the minimized trace" rep
	reproduced rep
	mkdir again && cd again && camp camp2 --sweep -j 2 -o out -- "$BIN/fourth"
	cd "$W"
	want_rc 1 "second sweep" camp2
	msg=$(same_report out again/out) || fail "two sweeps differ: $msg" camp2
	note "second sweep: the same report"
}

# sweep_careful: careful retries and reports every failure: a sweep over
# every kind tries every (call, kind) pair of its baseline and finds nothing.
sweep_careful() {
	need_bin careful
	need_py
	camp camp --sweep --faults all -j 2 -o out -- "$BIN/careful"
	want_rc 0 "sweep" camp
	camp_sum out camp
	set -- $(sweep_json out)
	note "sweep of careful: $1 runs, $2 failing, $3 bugs; (call, kind) pairs $7 of $6; sites (site, kind) $5 of $4"
	[ "$2" = 0 ] && [ "$3" = 0 ] || fail "careful failed $2 runs, $3 bugs" camp
	[ "$6" -gt 0 ] && [ "$6" = "$7" ] || fail "sweep tried $7 of $6 (call, kind) pairs, expected all" camp
	grep -q "pairs of the baseline tried $7 of $6 (100%)" "$M/camp.err" || fail "no 100% line on stderr" camp
	ff show show-campaign out
	want_rc 0 show-campaign show
	grep -q '^write  *careful.out ' "$M/show.out" && grep -q '^fsync  *careful.out ' "$M/show.out" ||
		fail "show-campaign has no line for write and fsync of careful.out" show
}

# sweep_crash: --sweep --crash on the naive saver (write a temporary file,
# rename it, no fsync) finds the cut that leaves data.txt empty; on the
# careful saver, no cut point fails. Each torn subset keeps the rename and
# loses the data with probability about 1/8, so 16 subsets a point.
sweep_crash() {
	need_py
	crash_setup
	camp camp --sweep --crash-mode torn --sweep-subsets 16 -j 2 --template "$M/tmpl" --check "sh $M/chk.sh" \
		-o naive -- "$BIN/saver" naive data.txt new
	want_rc 1 "sweep of the naive saver" camp
	camp_sum naive camp
	set -- $(sweep_json naive)
	note "naive: $1 runs, $2 failing; bugs: $(tr '\n' ';' <"$M/camp.bugs")"
	grep -q "data.txt holds ''" naive/failures/*/check || fail "no cut left data.txt empty" camp
	camp camp2 --sweep --crash-mode torn --sweep-subsets 16 -j 2 --template "$M/tmpl" --check "sh $M/chk.sh" \
		-o careful -- "$BIN/saver" careful data.txt new
	want_rc 0 "sweep of the careful saver" camp2
	camp_sum careful camp2
	set -- $(sweep_json careful)
	note "careful: $1 runs over every cut point, $2 failing, $3 bugs; cut points $7 of $6"
	[ "$2" = 0 ] && [ "$6" = "$7" ] && [ "$6" -ge 2 ] || fail "careful: $2 failing, cut points $7 of $6" camp2
}

# sweep_options: --sweep-limit and --sweep-ordinals shrink the list as
# they say and the report says so; --sweep-errnos first; bad input exits 2.
# fourth makes 5 writes at one site: first,last,1 keeps ordinals 0, 2 and 4.
sweep_options() {
	need_bin fourth
	need_py
	for v in "all" "ord --sweep-ordinals first,last,1" "lim --sweep-limit 2"; do
		set -- $v
		d=$1
		shift
		camp "$d" --sweep --faults error --sweep-errnos first -j 2 "$@" -o "$d" -- "$BIN/fourth"
		want_rc 0 "sweep $d" "$d"
	done
	python3 - all/report.json ord/report.json lim/report.json <<'PY' >"$M/.note" || fail "the reports do not add up" all ord lim
import json, sys
a, o, l = (json.load(open(p)) for p in sys.argv[1:])
sa, so, sl = a["sweep"], o["sweep"], l["sweep"]
print("fourth, error, first errno: %d runs; first,last,1: %d (left out %d); limit 2: %d (left out %d)" % (
    a["runs"], o["runs"], so["left_out"]["ordinals"], l["runs"], sl["left_out"]["limit"]))
assert a["runs"] == sa["baseline_calls"] == 5, sa          # one errno, one kind: one run a call
assert o["runs"] == 3 and so["left_out"]["ordinals"] == 2 and so["pairs_planned"] == 3 and so["pairs"] == 5, so
assert l["runs"] == 2 and sl["left_out"]["limit"] == 3, sl
assert a["sites"][0]["injected"] == {"error": 5}, a["sites"]
PY
	grep -q 'left out by --sweep-ordinals/--sweep-limit' "$M/ord.err" || fail "the closing lines do not say what was left out" ord
	usage_error "--sweep with --seeds" campaign --sweep --seeds 1-5 -o x -- "$BIN/fourth"
	usage_error "--sweep-limit without --sweep" campaign --sweep-limit 5 -o x -- "$BIN/fourth"
	usage_error "bad --sweep-ordinals" campaign --sweep --sweep-ordinals first,middle -o x -- "$BIN/fourth"
	usage_error "bad --sweep-errnos" campaign --sweep --sweep-errnos some -o x -- "$BIN/fourth"
	usage_error "--sweep-limit 0" campaign --sweep --sweep-limit 0 -o x -- "$BIN/fourth"
	usage_error "--sweep with --only" campaign --sweep --only 3 -o x -- "$BIN/fourth"
}

# camp_coverage: a seeded campaign's report.json has sites and a coverage
# summary; the closing lines say it; show-campaign prints one line a site.
camp_coverage() {
	need_bin twobugs
	need_py
	camp camp --seeds 1-40 --rate 0.3 -j 2 -o out -- "$BIN/twobugs"
	camp_sum out camp
	python3 - out/report.json <<'PY' >"$M/.note" || fail "report.json coverage is wrong" camp
import json, sys
r = json.load(open(sys.argv[1]))
c, s = r["coverage"], r["sites"]
print("twobugs, 40 seeds: %d sites, %d faulted, pairs %d of %d" % (c["sites"], c["sites_faulted"], c["pairs_tried"], c["pairs"]))
assert c["sites"] == len(s) >= 1 and 1 <= c["sites_faulted"] <= c["sites"] and 1 <= c["pairs_tried"] <= c["pairs"], c
assert sum(x["failures"] for x in s) >= r["failures"] > 0, (r["failures"], s)
assert sum(sum(x["injected"].values()) for x in s) >= r["runs"] // 2
PY
	grep -q '^fifuzz: coverage: ' "$M/camp.err" || fail "no coverage line at the end" camp
	ff show show-campaign out
	want_rc 0 show-campaign show
	n=$(grep -c ' #0-' "$M/show.out")
	sites=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["sites"]))' out/report.json)
	[ "$n" = "$sites" ] || fail "show-campaign printed $n site lines, report.json has $sites" show
	usage_error "show-campaign of a non-campaign" show-campaign "$M"
	ff plot plot out
	want_rc 0 plot plot
	python3 - out/plot.svg out/progress.tsv <<'PY' || fail "plot.svg or progress.tsv is wrong" plot
import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1])
lines = d.getElementsByTagName("polyline")
assert len(lines) == 3, len(lines)
rows = [l.split() for l in open(sys.argv[2])]
assert len(rows) == 40 and [int(r[0]) for r in rows] == list(range(1, 41)), rows[:3]
assert all(len(l.getAttribute("points").split()) == 41 for l in lines)
PY
	usage_error "plot of a non-campaign" plot "$M"
}

# merge_shards: three shards of a seeded campaign and of a sweep, merged,
# give the unsharded campaign's bugs (signature, count, first seed) and
# coverage; merging campaigns of different programs exits 2.
merge_shards() {
	need_bin twobugs fourth
	need_py
	for i in 1 2 3; do
		camp s$i --seeds 1-30 --rate 0.3 -j 2 --shard $i/3 -o s$i -- "$BIN/twobugs"
		camp w$i --sweep -j 2 --shard $i/3 -o w$i -- "$BIN/fourth"
	done
	camp all --seeds 1-30 --rate 0.3 -j 2 -o all -- "$BIN/twobugs"
	camp wall --sweep -j 2 -o wall -- "$BIN/fourth"
	ff merge merge s1 s2 s3 -o m
	want_rc 1 "merge of the seeded shards" merge
	ff merge2 merge w1 w2 w3 -o wm
	want_rc 1 "merge of the sweep shards" merge2
	for pair in "m all" "wm wall"; do
		set -- $pair
		cmp -s "$1/coverage.tsv" "$2/coverage.tsv" || fail "$1: merged coverage differs from the unsharded one" merge
		python3 - "$1/report.json" "$2/report.json" <<'PY' >>"$M/.note" || fail "$1: merged bugs differ from the unsharded campaign's" merge
import json, sys
m, a = (json.load(open(p)) for p in sys.argv[1:])
key = lambda r: sorted((b["signature"], b["count"], b["first_seed"]) for b in r["bugs"])
assert m["runs"] == a["runs"] and m["failures"] == a["failures"], (m["runs"], a["runs"])
assert key(m) == key(a), (key(m), key(a))
assert m["coverage"] == a["coverage"] and m["sites"] == a["sites"]
print("%s: %d runs, %d bugs, coverage %s: as unsharded" % (sys.argv[1].split("/")[0], m["runs"], len(m["bugs"]), m["coverage"]))
PY
		for d in "$1"/failures/*/; do
			[ -f "$d/README" ] && [ -f "$d/trace" ] || fail "$d lacks its files" merge
		done
	done
	usage_error "merge of different programs" merge s1 w1 -o x
	usage_error "merge into a campaign" merge s1 -o all
	usage_error "merge of a non-campaign" merge "$M" -o y
}

# shard_auto: --shard auto takes I/N from Slurm, Kubernetes and GNU parallel
# variables; with none set, or without N where the engine gives none, exit 2.
shard_auto() {
	need_bin fourth
	need_py
	shard_of() {
		python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seeds"]["shard"])' "$1/report.json"
	}
	SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=4 \
		"$FIFUZZ" campaign -q --seeds 1-8 --rate 0.3 -j 1 --shard auto -o slurm -- "$BIN/fourth" 2>"$M/slurm.err"
	JOB_COMPLETION_INDEX=0 "$FIFUZZ" campaign -q --seeds 1-8 --rate 0.3 -j 1 --shard auto/2 -o k8s -- "$BIN/fourth" 2>"$M/k8s.err"
	PARALLEL_SEQ=3 "$FIFUZZ" campaign -q --sweep -j 1 --shard auto/3 -o par -- "$BIN/fourth" 2>"$M/par.err"
	got="$(shard_of slurm) $(shard_of k8s) $(shard_of par)"
	note "slurm task 7 of 5..8, k8s index 0 of 2, parallel seq 3 of 3: shards $got"
	[ "$got" = "3/4 1/2 3/3" ] || fail "shards $got, expected 3/4 1/2 3/3" slurm k8s par
	env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u PARALLEL_SEQ "$FIFUZZ" campaign --shard auto -o n -- \
		"$BIN/fourth" >/dev/null 2>"$M/none.err"
	[ $? = 2 ] || fail "no engine: accepted, or not exit 2" none
	grep -q 'SLURM_ARRAY_TASK_ID' "$M/none.err" || fail "no engine: the message does not name the variables" none
	JOB_COMPLETION_INDEX=0 "$FIFUZZ" campaign --shard auto -o n -- "$BIN/fourth" >/dev/null 2>"$M/k8sn.err" && fail "k8s without N was accepted"
	grep -q 'auto/N' "$M/k8sn.err" || fail "k8s without N: the message does not say auto/N" k8sn
	PARALLEL_SEQ=4 "$FIFUZZ" campaign --shard auto/3 -o n -- "$BIN/fourth" >/dev/null 2>"$M/p4.err"
	[ $? = 2 ] || fail "parallel job 4 of 3 shards was accepted" p4
}

# ---------------------------------------------------------------- corrupted reads (--faults corrupt)

# corrupt_sum HOW: sumfile sums a file read by HOW (read, pread, readv)
# without checking it. Seeds are tried until one damages a byte the sum
# sees: the output differs from a clean run, show names the damage
# (mode, offset), and a replay in a fresh directory writes the same sum.
corrupt_sum() {
	need_bin sumfile
	head -c 20000 "$BIN/sumfile" >in.bin
	"$BIN/sumfile" in.bin "$M/clean" "$1" || fail "sumfile failed without faults"
	s=1
	while [ $s -le 10 ]; do
		ff "rec$s" --seed $s --rate 0.5 --faults corrupt -o "$M/t$s.trace" -- "$BIN/sumfile" in.bin out "$1"
		want_rc 0 "recording with seed $s" "rec$s"
		cmp -s out "$M/clean" || break
		s=$((s + 1))
	done
	[ $s -le 10 ] || fail "10 seeds at rate 0.5 left the sum alone" "rec10"
	cp out "$M/damaged"
	ff show show "$M/t$s.trace"
	want_rc 0 show show
	grep -Eq ' corrupt (flip @[0-9]+ bit [0-7]|zero @[0-9]+ \+[0-9]+|garbage @[0-9]+ \+[0-9]+ key [0-9a-f]{16})$' \
		"$M/show.out" || fail "show does not print the damage" show.out
	grep -q '(format 4, complete)' "$M/show.out" || fail "a corrupt trace is not format 4" show.out
	mkdir rep && cp in.bin rep/ && cd rep
	ff rep replay "$M/t$s.trace" -- "$BIN/sumfile" in.bin out "$1"
	want_rc 0 replay rep
	cmp -s out "$M/damaged" || fail "the replay's sum differs from the recording's" rep
	reproduced rep
}

# corrupt_modes: --corrupt-mode zero damages only whole 512-byte blocks of
# the file (pread at offsets 0, 4096 ...: every block is whole), flip one
# bit, garbage a block; a bad mode is refused.
corrupt_modes() {
	need_bin sumfile
	seq 1 5000 | head -c 20480 >in.bin # 40 whole sectors, read 4096 at a time
	for m in flip zero garbage; do
		ff "$m" --seed 4 --rate 1 --faults corrupt --corrupt-mode "$m" -o "$M/$m.trace" -- \
			"$BIN/sumfile" in.bin out pread
		want_rc 0 "--corrupt-mode $m" "$m"
		ff "show_$m" show "$M/$m.trace"
		n=$(grep -c "): corrupt $m @" "$M/show_$m.out")
		[ "$n" = 5 ] || fail "--corrupt-mode $m at rate 1: $n damaged reads of 5" "show_$m.out"
		! grep '): corrupt ' "$M/show_$m.out" | grep -v "): corrupt $m " | grep -q . ||
			fail "--corrupt-mode $m chose another mode" "show_$m.out"
	done
	! grep ': corrupt zero @' "$M/show_zero.out" | grep -Ev '@(0|[0-9]*(0|2|4|6|8)) \+512$' | grep -q . ||
		fail "a zeroed block that is not a whole sector" show_zero.out
	usage_error "--corrupt-mode bad" --corrupt-mode bad --faults corrupt -- "$BIN/sumfile" in.bin out
}

# corrupt_crc: crcfile checks a CRC-32 over its data and exits 3 on a
# mismatch: a campaign of corrupted reads finds no bug (the damage is
# reported); sumfile, which checks nothing, gives a corruption bug whose
# minimized trace holds one corrupt read.
corrupt_crc() {
	need_bin crcfile sumfile
	need_py
	mkdir tpl
	"$BIN/crcfile" tpl/data.crc 30000 gen || fail "crcfile could not make its input"
	head -c 20000 "$BIN/sumfile" >tpl/in.bin
	ff one --seed 2 --rate 0.3 --faults corrupt --no-trace -- "$BIN/crcfile" tpl/data.crc out
	grep -q 'checksum mismatch' "$M/one.err" && grep -q 'exited with status 3' "$M/one.err" ||
		fail "crcfile did not notice the damage of seed 2" one
	camp crc --faults corrupt --rate 0.3 --seeds 1-20 -j 1 --template tpl -o crc -- "$BIN/crcfile" data.crc out
	want_rc 0 "campaign on crcfile" crc
	camp_sum crc crc
	[ "$runs" = 20 ] && [ "$nbugs" = 0 ] || fail "crcfile: runs $runs, bugs $nbugs: expected 20, 0" crc crc.bugs
	camp sum --faults corrupt --rate 0.3 --seeds 1-20 -j 1 --template tpl -o sum -- "$BIN/sumfile" in.bin out
	want_rc 1 "campaign on sumfile" sum
	camp_sum sum sum
	read -r sig verdict _ _ minf <"$M/sum.bugs"
	[ "$sig" = corruption-exit0-read-in.bin ] && [ "$minf" = 1 ] ||
		fail "sumfile: bug $sig with $minf faults, expected corruption-exit0-read-in.bin with 1" sum.bugs
}

# corrupt_gzip: gzip -t checks a real archive's CRC: a campaign of
# corrupted reads files no bug, and some runs exit non-zero (the damage
# reported); skips without /bin/gzip.
corrupt_gzip() {
	[ -x /bin/gzip ] || skip "/bin/gzip is not installed"
	need_py
	mkdir tpl
	head -c 200000 "$FIFUZZ" | /bin/gzip -c >tpl/a.gz
	camp gz --faults corrupt --rate 0.5 --seeds 1-16 -j 1 --template tpl -o gz -- /bin/gzip -t a.gz
	want_rc 0 "campaign on gzip -t" gz
	camp_sum gz gz
	[ "$runs" = 16 ] && [ "$nbugs" = 0 ] || fail "gzip -t: runs $runs, bugs $nbugs: expected 16, 0" gz gz.bugs
	python3 - gz/report.json <<'PY' || fail "gzip -t never reported the damage" gz
import json, sys
o = json.load(open(sys.argv[1]))["outcomes"]["exit"]
assert sum(v for k, v in o.items() if k != "0") >= 1, o
PY
}

# corrupt_read_traces: a trace with corrupt items, cut short at every
# length and with each byte inverted: show refuses each with one line.
corrupt_read_traces() {
	need_bin sumfile
	need_py
	head -c 20000 "$BIN/sumfile" >in.bin
	ff rec --seed 2 --rate 0.5 --faults corrupt -o "$M/t.trace" -- "$BIN/sumfile" in.bin out readv
	want_rc 0 recording rec
	mutants_refused "$M/t.trace"
}

# ---------------------------------------------------------------- stack sites (--site stack)

# stack_two_sites: hdrrec writes data.db through a header writer and a
# record writer that share one write(2) helper. Path sites see one site;
# stack sites see two, and show names their frames. A campaign with stack
# sites finds the crash (the header's write failing), minimized to that one
# fault, and its minimized trace replays to the crash.
stack_two_sites() {
	need_bin hdrrec
	need_py
	ff path --seed 1 --rate 0 -o "$M/path.trace" -- "$BIN/hdrrec" 5
	want_rc 0 "path sites" path
	ff stack --seed 1 --rate 0 --site stack -o "$M/stack.trace" -- "$BIN/hdrrec" 5
	want_rc 0 "stack sites" stack
	ff showp show "$M/path.trace"
	[ "$(grep -c '^write data.db ' "$M/showp.out")" = 1 ] || fail "path sites: not one site" showp.out
	ff shows show "$M/stack.trace"
	grep -q '^write data.db @ put<-write_header<-main.* #0: pass (1 call)$' "$M/shows.out" &&
		grep -q '^write data.db @ put<-write_record<-main.* #0-#4: pass (5 calls)$' "$M/shows.out" ||
		fail "stack sites: show does not name the header's and the records' contexts" shows.out
	grep -q '^sites: stack (calling contexts of at most 16 frames; 2 contexts)$' "$M/shows.out" ||
		fail "stack sites: no sites line" shows.out
	camp camp --site stack --faults error --rate 0.3 --seeds 1-30 -j 1 -o out -- "$BIN/hdrrec" 20
	want_rc 1 campaign camp
	camp_sum out camp
	[ "$nbugs" = 1 ] || fail "distinct_bugs $nbugs, expected 1" camp.bugs
	read -r sig verdict _ _ minf <"$M/camp.bugs"
	[ "$verdict" = crash ] && [ "$minf" = 1 ] || fail "bug $sig: $verdict with $minf faults" camp.bugs
	ff mshow show "out/failures/$sig/minimized.trace"
	grep -q '^write data.db @ put<-write_header<-main.* #0 (13 bytes): error ' "$M/mshow.out" ||
		fail "the minimized fault is not the header's write" mshow.out
	mkdir rep && cd rep
	ff rep replay "$W/out/failures/$sig/minimized.trace" -- "$BIN/hdrrec" 20
	want_rc 1 "replay of the minimized trace" rep
	reproduced rep
}

# stack_identical PROG RUNS FIFUZZ-OPTION... -- ARG...: with --site stack
# and seed 7, RUNS recordings (each in a fresh directory, ASLR on) give
# byte-identical traces, and a replay of the first in another directory
# reproduces it without divergence.
stack_identical() {
	prog=$1 runs=$2
	shift 2
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	[ $# -gt 0 ] && shift
	need_bin "$prog"
	[ "$(cat /proc/sys/kernel/randomize_va_space 2>/dev/null)" != 0 ] || skip "ASLR is off on this machine"
	i=1
	while [ $i -le "$runs" ]; do
		mkdir "r$i" && cd "r$i"
		# shellcheck disable=SC2086 # opts are words from cases.txt
		ff "rec$i" --seed 7 --site stack $opts -o "$M/t$i.trace" -- "$BIN/$prog" "$@"
		cd "$W"
		want_rc 0 "run $i" "rec$i"
		cmp -s "$M/t1.trace" "$M/t$i.trace" || fail "run $i gave another trace than run 1" rec1 "rec$i"
		i=$((i + 1))
	done
	ff show show "$M/t1.trace"
	grep -q '^sites: stack ' "$M/show.out" || fail "the trace is not of stack sites" show.out
	grep -q ' @ [^ ]' "$M/show.out" || fail "no stack site with frames" show.out
	mkdir -p rep/sub && cd rep/sub
	ff rep replay "$M/t1.trace" -- "$BIN/$prog" "$@"
	want_rc 0 replay rep
	reproduced rep
	! grep -q 'diverged' "$M/rep.err" || fail "the replay diverged" rep
}

# stack_bad_usage: --site and --site-depth refuse bad values with one line.
stack_bad_usage() {
	need_bin hdrrec
	usage_error "--site bad" --site bad -- "$BIN/hdrrec"
	usage_error "--site-depth 0" --site stack --site-depth 0 -- "$BIN/hdrrec"
	usage_error "--site-depth 65" --site stack --site-depth 65 -- "$BIN/hdrrec"
	usage_error "--site-depth x" --site stack --site-depth x -- "$BIN/hdrrec"
}

# stack_sweep: a sweep over calling contexts (--site stack, one run per
# context and kind: --sweep-ordinals first) finds hdrrec's crash in 2 runs;
# the per-ordinal sweep of path sites needs a run for each of its 21 writes.
stack_sweep() {
	need_bin hdrrec
	need_py
	camp ctx --sweep --site stack --sweep-ordinals first --faults error --sweep-errnos first -j 1 -o ctx -- \
		"$BIN/hdrrec" 20
	want_rc 1 "context sweep" ctx
	camp_sum ctx ctx
	[ "$runs" = 2 ] && [ "$nbugs" = 1 ] || fail "context sweep: $runs runs, $nbugs bugs (expected 2 and 1)" ctx
	camp ord --sweep --faults error --sweep-errnos first -j 1 -o ord -- "$BIN/hdrrec" 20
	want_rc 1 "per-ordinal sweep" ord
	ctx_runs=$runs
	camp_sum ord ord
	[ "$runs" = 21 ] && [ "$nbugs" = 1 ] || fail "per-ordinal sweep: $runs runs, $nbugs bugs (expected 21 and 1)" ord
	echo "hdrrec 20: contexts $ctx_runs runs, ordinals $runs runs; 1 bug each" >"$M/.note"
}

# crash_fast_same: --crash follows a lone task's extending writes without an
# exit stop and copies what they landed lazily (core/durable/durable_track.c,
# try_defer, settle_lazy); FIFUZZ_CRASH_NO_FAST=1 gives every write its exit
# stop and copy as before. Same seeds, same traces (decisions, cut, post-cut
# state hash and changes) and the same files after the cut, with cuts early,
# late and at the end (appender's later parts: lseeks, O_APPEND flips, a
# long run, a shared mapping), under posix and ext4 (a rename's flush).
crash_fast_same() {
	need_bin appender
	for cr in 0.05:posix 0.003:ext4 0:posix 0:ext4; do
		fs=${cr#*:} cr=${cr%:*}
		for mode in torn lose-all; do
			for s in 1 2 3 4 5 6 7 8 9 10; do
				for v in fast slow; do
					rm -rf "$v" && mkdir "$v" && cd "$v" || return
					if [ $v = slow ]; then
						FIFUZZ_CRASH_NO_FAST=1 ff "$v$s" --seed "$s" --rate 0.1 --crash-mode "$mode" --fs "$fs" \
							--crash-rate "$cr" -o "$M/$v.trace" -- "$BIN/appender"
					else
						ff "$v$s" --seed "$s" --rate 0.1 --crash-mode "$mode" --crash-rate "$cr" --fs "$fs" \
							-o "$M/$v.trace" -- "$BIN/appender"
					fi
					cd "$W" || return
					# the trace's own name aside, the same JSON
					"$FIFUZZ" show --json "$M/$v.trace" 2>&1 | sed 's/^{"trace":"[^"]*",//' >"$M/$v.json" ||
						fail "show $v $mode $s" "$v$s"
				done
				cmp -s "$M/fast.json" "$M/slow.json" ||
					fail "$mode seed $s crash rate $cr $fs: the traces differ" "fast$s"
				for f in log.txt data.bin seek.bin flip.bin run.bin run.tmp map.bin; do
					if [ -e "slow/$f" ] || [ -e "fast/$f" ]; then
						cmp -s "slow/$f" "fast/$f" ||
							fail "$mode seed $s crash rate $cr $fs: $f differs after the cut" "fast$s"
					fi
				done
			done
		done
	done
	echo "the same traces and files with and without the fast path, 80 runs"
}

# ---------------------------------------------------------------- snapshots

# snap_pair LOG ARGS... -- PROG...: the same campaign (ARGS) run twice, its
# runs forked from a snapshot and then exec'd (--no-snapshot), into
# out-snap and out-exec; both must report the same runs, outcomes, bugs and
# coverage and keep the same failing traces (fifuzz show --json of each,
# minimized ones too). Sets forked to the snapshot campaign's forked runs.
snap_pair() {
	sp_log=$1
	shift
	camp "$sp_log.snap" -o out-snap "$@"
	sp_rc=$rc
	camp "$sp_log.exec" --no-snapshot -o out-exec "$@"
	[ "$rc" = "$sp_rc" ] || fail "exit status $sp_rc with a snapshot, $rc without" "$sp_log.snap" "$sp_log.exec"
	[ "$rc" -le 1 ] || fail "the campaign failed (exit $rc)" "$sp_log.snap" "$sp_log.exec"
	for d in out-snap out-exec; do
		for t in "$d"/failures/*/trace "$d"/failures/*/minimized.trace; do
			[ -f "$t" ] || continue
			(cd "$(dirname "$t")" && "$FIFUZZ" show --json "$(basename "$t")") >"$t.json" ||
				fail "fifuzz show --json $t failed" "$sp_log.snap"
		done
	done
	forked=$(python3 - out-snap out-exec <<'PY'
import json, os, sys
def load(d):
    r = json.load(open(os.path.join(d, "report.json")))
    launch = r.pop("launch")
    for k in ("elapsed_s", "runs_per_s"):
        r.pop(k)
    for b in r["bugs"]:
        b["dir"] = os.path.basename(b["dir"])
    traces = {}
    for root, _, files in os.walk(os.path.join(d, "failures")):
        for f in files:
            if f.endswith(".trace.json") or f == "trace.json":
                traces[os.path.relpath(os.path.join(root, f), d)] = open(os.path.join(root, f)).read()
    return r, launch, traces
rs, ls, ts = load(sys.argv[1])
re_, le, te = load(sys.argv[2])
for k in sorted(set(rs) | set(re_)):
    if rs.get(k) != re_.get(k):
        sys.exit("report.json differs at %s: snapshot %s, exec %s" % (k, str(rs.get(k))[:300], str(re_.get(k))[:300]))
if ts != te:
    diff = sorted(k for k in set(ts) | set(te) if ts.get(k) != te.get(k))
    sys.exit("failing traces differ: %s" % diff)
assert le["snapshot"] == 0 and le["exec"] == re_["runs"] and le["exec_why"] == "--no-snapshot", le
assert ls["snapshot"] + ls["exec"] == rs["runs"], ls
print(ls["snapshot"])
PY
) || fail "$forked" "$sp_log.snap"
	echo "$sp_log: $forked of the runs forked from a snapshot; reports and $(find out-snap -name '*.json' -path '*failures*' | wc -l) failing traces equal without it"
	rm -rf out-snap out-exec
}

# snap_left PATTERN: no process whose command line holds PATTERN is left.
snap_left() {
	sleep 0.2
	left=$(pgrep -f "$1" | wc -l)
	[ "$left" = 0 ] || fail "$left processes of $1 left behind: $(pgrep -af "$1" | head -3 | tr '\n' ';')"
}

# snap_same: campaigns forked from a snapshot give what exec'd ones give,
# on a dynamic C program (third), a static one (seed_c_static), a Go one
# (seed_go), a threaded one (threads), one that forks (forkw), one that
# aborts (snapctor: abort signals glibc's cached thread id) and under --crash
# (appender); every run of each is forked (its template is safe), and no
# process is left behind. Each campaign runs with -j 1: with two slots,
# which of several one-fault reproducers a bug keeps depends on which
# minimization ends first, with or without a snapshot.
snap_same() {
	need_bin third seed_c_static threads forkw snapctor appender
	need_py
	cp "$BIN/third" "$W/snapthird"
	snap_pair third --seeds 1-60 --rate 0.3 -j 1 -- "$W/snapthird"
	[ "$forked" = 60 ] || fail "$forked of 60 runs of third forked from its snapshot"
	snap_left "$W/snapthird"
	snap_pair static --seeds 1-40 --rate 0.3 -j 1 -- "$BIN/seed_c_static"
	[ "$forked" = 40 ] || fail "$forked of 40 runs of seed_c_static forked from its snapshot"
	snap_pair threads --seeds 1-30 --rate 0.3 -j 1 -- "$BIN/threads" 3 20
	[ "$forked" = 30 ] || fail "$forked of 30 runs of threads forked from its snapshot"
	snap_pair forkw --seeds 1-30 --rate 0.3 -j 1 -- "$BIN/forkw" 3 10
	[ "$forked" = 30 ] || fail "$forked of 30 runs of forkw forked from its snapshot"
	snap_pair abort --seeds 1-40 --rate 0.3 -j 1 -- "$BIN/snapctor"
	[ "$forked" = 40 ] || fail "$forked of 40 runs of snapctor forked from its snapshot"
	grep -q 'crash-SIGABRT-write-snap.out' "$M/abort.snap.err" ||
		fail "no SIGABRT bug: a forked run's abort() did not kill it" abort.snap
	snap_pair crash --seeds 1-30 --crash --crash-mode torn -j 1 -- "$BIN/appender"
	[ "$forked" = 30 ] || fail "$forked of 30 runs of appender forked from its snapshot"
	progs="third, seed_c_static, threads, forkw, snapctor, appender --crash"
	if [ -x "$BIN/seed_go" ]; then
		snap_pair go --seeds 1-30 --rate 0.3 -j 1 -- "$BIN/seed_go"
		[ "$forked" = 30 ] || fail "$forked of 30 runs of seed_go forked from its snapshot"
		progs="$progs, seed_go"
	fi
	echo "$progs: every run forked; reports and failing traces as with --no-snapshot" >"$M/.note"
}

# snap_python: a Python one-liner, forked after its interpreter's loader.
snap_python() {
	need_py
	snap_pair py --seeds 1-20 --rate 0.3 -j 1 -- /usr/bin/python3 -c "f = open('p.out', 'w'); f.write('x' * 100); f.close()"
	[ "$forked" = 20 ] || fail "$forked of 20 runs of python3 forked from its snapshot"
}

# snap_refused: a library constructor that starts a thread, keeps an fd,
# maps shared memory or makes a file in its working directory before the
# entry point makes the snapshot unsafe; the
# campaign then execs every run, says why once, and finds the same bug.
snap_refused() {
	need_bin snapctor
	need_py
	for what in thread:tasks fd:fd shm:shared file:directory; do
		SNAP_CTOR=${what%%:*}
		export SNAP_CTOR
		camp "ctor_$SNAP_CTOR" --seeds 1-20 --rate 0.3 -j 2 -o "out-$SNAP_CTOR" -- "$BIN/snapctor"
		want_rc 1 "campaign with SNAP_CTOR=$SNAP_CTOR" "ctor_$SNAP_CTOR"
		n=$(grep -c 'runs started by exec, not from a snapshot' "$M/ctor_$SNAP_CTOR.err")
		[ "$n" = 1 ] || fail "SNAP_CTOR=$SNAP_CTOR: the exec fallback said $n times, expected once" "ctor_$SNAP_CTOR"
		grep 'runs started by exec' "$M/ctor_$SNAP_CTOR.err" | grep -q "${what#*:}" ||
			fail "SNAP_CTOR=$SNAP_CTOR: the reason does not name ${what#*:}" "ctor_$SNAP_CTOR"
		python3 - "out-$SNAP_CTOR/report.json" <<'PY' || fail "SNAP_CTOR=$SNAP_CTOR: report.json launch wrong" "ctor_$SNAP_CTOR"
import json, sys
r = json.load(open(sys.argv[1]))
l = r["launch"]
assert l["snapshot"] == 0 and l["exec"] == r["runs"] == 20 and l["exec_why"], l
assert [b["signature"] for b in r["bugs"]] == ["crash-SIGABRT-write-snap.out"], r["bugs"]
PY
		echo "SNAP_CTOR=$SNAP_CTOR: $(grep 'runs started by exec' "$M/ctor_$SNAP_CTOR.err")"
	done
	unset SNAP_CTOR
	snap_left "$BIN/snapctor"
}
