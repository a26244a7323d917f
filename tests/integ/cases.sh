# The integration cases, one shell function each, and their helpers.
# Sourced by run.sh in a fresh `sh` per case, with the working directory $M/w
# (fresh and empty) and these set: M (the case's scratch directory, which
# holds logs, traces and reports), INTEG, FIFUZZ, BIN, PY.
# A case passes by returning; `fail` and `skip` end it.

# shellcheck disable=SC2015,SC2164 # A && B || fail is meant; cd "$W" cannot fail
W=$M/w

# ---------------------------------------------------------------- helpers

# fail MESSAGE [LOG...]: ends the case as failed; shows the tail of each LOG
# ($M/LOG, or $M/LOG.err).
fail() {
	{
		echo "$1"
		shift
		for l; do
			f=$M/$l
			[ -f "$f" ] || f=$M/$l.err
			[ -f "$f" ] || continue
			echo "--- $(basename "$f") (tail):"
			tail -n 12 "$f"
		done
	} >"$M/.why"
	exit 1
}

# skip REASON: ends the case as skipped.
skip() {
	echo "$1" >"$M/.why"
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
# line contains MARKER.
alive() {
	for al_p in $(pgrep -f "$1"); do
		al_s=$(proc_state "$al_p")
		[ -n "$al_s" ] && [ "$al_s" != Z ] && echo "$al_p"
	done
}

# no_survivors MARKER WHAT LOG: no process of the run is left; kills any that is.
no_survivors() {
	ns_left=$(alive "$1")
	if [ -n "$ns_left" ]; then
		ps -o pid,ppid,stat,args -p "$(echo "$ns_left" | paste -sd, -)" >"$M/ps.err" 2>&1
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
}

# seed_py: the Python version raises on the torn write and exits non-zero,
# which fifuzz does not count as a failure; replay repeats it.
seed_py() {
	need_py
	mkdir rec rep
	cd rec && ff rec --seed 1 --rate 1 --faults torn -o "$M/t.trace" --report "$M/r.json" -- "$PY" -B "$INTEG/targets/seed.py"
	cd "$W"
	want_rc 0 run rec
	o=$(check outcome "$M/r.json") || fail "run: $o" rec
	case $o in
	"exited 0 "*) fail "run: python exited 0 although its write failed (outcome '$o')" rec ;;
	"exited "*" pass") ;;
	*) fail "run: outcome '$o', expected 'exited N pass' with N > 0" rec ;;
	esac
	grep -Eq '(OSError|PermissionError).*\[Errno [0-9]+\]' "$M/rec.err" ||
		fail "run: python's stderr does not show the OSError" rec
	# Python retries the flush at close, so the file may hold two torn pieces.
	msg=$(check torn_only rec/test.txt) || fail "run: $msg" rec
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$PY" -B "$INTEG/targets/seed.py"
	cd "$W"
	want_rc 0 replay rep
	outcome_is "$M/r2.json" "$o" replay rep
	cmp -s rec/test.txt rep/test.txt ||
		fail "replay: test.txt holds '$(cat rep/test.txt)', recorded '$(cat rec/test.txt)'" rep
	reproduced rep
}

# determinism PROG SEEDS RATE TRACECMP ARGS...: for each seed 1..SEEDS,
# record twice (in the same directory) and replay the first trace in another
# directory; every output file, the program's stdout and its outcome must be
# the same in all three runs. TRACECMP=yes: the two traces must be identical.
determinism() {
	prog=$1 seeds=$2 rate=$3 tcmp=$4
	shift 4
	need_bin "$prog"
	need_py
	for s in $(seq 1 "$seeds"); do
		for i in 1 2; do
			mkdir run
			cd run && ff "rec$i" --seed "$s" --rate "$rate" -o "$M/t$i.trace" --report "$M/r$i.json" -- "$BIN/$prog" "$@"
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
		if [ "$tcmp" = yes ]; then
			cmp -s "$M/t1.trace" "$M/t2.trace" || fail "seed $s: two recordings gave different traces" rec1 rec2
		fi
		rm -rf o1 o2 o3 rep
	done
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
}

# crash: a write error makes crash.c dereference NULL: exit 1, verdict crash,
# and replay finds the same crash.
crash() {
	need_bin crash
	need_py
	ff rec --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/crash"
	want_rc 1 run rec
	outcome_is "$M/r.json" "signaled 11 crash" run rec
	grep -q SIGSEGV "$M/rec.err" || fail "run: stderr does not name SIGSEGV" rec
	mkdir rep
	cd rep && ff rep replay --report "$M/r2.json" "$M/t.trace" -- "$BIN/crash"
	cd "$W"
	want_rc 1 replay rep
	outcome_is "$M/r2.json" "signaled 11 crash" replay rep
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

# sigterm: SIGTERM to fifuzz kills the tree, exits 143 and leaves a trace
# marked incomplete.
sigterm() {
	need_bin hang
	mk=ffmark-$$-sigterm
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
	kill -TERM $pid
	i=0
	while [ "$(proc_state $pid)" != Z ] && [ -n "$(proc_state $pid)" ]; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			kill -KILL $pid
			wait $pid
			no_survivors "$mk" "after SIGTERM" bg
			fail "fifuzz still running 60s after SIGTERM" bg
		fi
		sleep 0.1
	done
	wait $pid
	rc=$?
	no_survivors "$mk" "after SIGTERM" bg
	want_rc 143 "after SIGTERM" bg
	ff show show "$M/t.trace"
	want_rc 0 "show of the interrupted trace" show
	grep -q INCOMPLETE "$M/show.out" || fail "show does not say INCOMPLETE" show.out
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
	size=$(wc -c <"$M/t.trace")
	rm -f test.txt
	n=0
	while [ "$n" -lt "$size" ]; do
		head -c "$n" "$M/t.trace" >"$M/x.trace"
		usage_error "show of the first $n of $size bytes" show "$M/x.trace"
		if [ $((n % 7)) -eq 0 ]; then
			usage_error "replay of the first $n of $size bytes" replay "$M/x.trace" -- "$BIN/multi" 3
			[ ! -e a.out ] || fail "replay of the first $n of $size bytes ran the program"
		fi
		n=$((n + 1))
	done
	mkdir "$M/flip"
	check flips "$M/t.trace" "$M/flip"
	n=0
	while [ "$n" -lt "$size" ]; do
		usage_error "show of the trace with byte $n inverted" show "$M/flip/$n.trace"
		n=$((n + 1))
	done
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
	usage_error "rate -0.5" --rate -0.5 -- "$p"
	usage_error "missing program" -- /nonexistent/prog
	usage_error "no program" --seed 1
	# Bare `fifuzz` may print the whole usage; it must still exit 2.
	ff usage
	want_rc 2 "no arguments at all" usage
	usage_error "unknown option" --frobnicate -- "$p"
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
}

# include_stdio: with --include-stdio, writes to fds 1 and 2 are faulted too
# (stdio.c exits 3 when they come back short or fail).
include_stdio() {
	need_bin stdio
	need_py
	ff rec -q --include-stdio --seed 1 --rate 1 -o "$M/t.trace" --report "$M/r.json" -- "$BIN/stdio"
	want_rc 0 run rec
	outcome_is "$M/r.json" "exited 3 pass" run rec
	printf 'hello\n' >"$M/hello"
	! cmp -s "$M/hello" "$M/rec.out" || fail "stdout holds an intact 'hello' although fd 1 was eligible" rec
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
}
