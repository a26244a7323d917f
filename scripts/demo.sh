#!/bin/sh
# The seed post's example, end to end: build its Go and C programs, make their
# one write torn (a prefix lands, then EIO), show that both programs still exit
# 0, print the trace, and replay it in another directory.
# Run by `make demo` after the build. Exits non-zero if the short write was not
# seen or did not replay, so it is a real check. Works in a new directory under
# /tmp and leaves it there; writes nothing in the repository.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIFUZZ="$ROOT/fifuzz"
SRC="$ROOT/examples/seed-post"
TEXT="some great stuff"

say() { printf '==> %s\n' "$*"; }
fail() { printf 'demo: FAILED: %s\n' "$*" >&2; [ -n "${DEMO:-}" ] && printf 'demo: files in %s\n' "$DEMO" >&2; exit 1; }

[ -x "$FIFUZZ" ] || fail "$FIFUZZ not built; run make first"
command -v go >/dev/null 2>&1 || fail "go not found; run sh scripts/install-deps.sh"
command -v cc >/dev/null 2>&1 || fail "cc not found; run sh scripts/install-deps.sh"

DEMO=$(mktemp -d /tmp/fifuzz-demo.XXXXXX)

say "building the seed post's programs in $DEMO/build"
mkdir "$DEMO/build"
GOCACHE="$DEMO/build/gocache" GOPATH="$DEMO/build/gopath" GO111MODULE=off GOFLAGS='' \
	go build -o "$DEMO/build/main_go" "$SRC/main.go" || fail "go build"
rm -rf "$DEMO/build/gocache" "$DEMO/build/gopath"
cc -O2 -o "$DEMO/build/main_c" "$SRC/main.c" || fail "cc"

# check_prefix FILE: FILE must hold a strict, non-empty prefix of $TEXT, as a
# torn write leaves it (1 to 15 of the 16 bytes).
check_prefix() {
	got=$(cat "$1")
	if [ -z "$got" ] || [ "$got" = "$TEXT" ]; then
		fail "$1 holds '$got': expected a strict non-empty prefix of '$TEXT'"
	fi
	case "$TEXT" in
	"$got"*) ;;
	*) fail "$1 holds '$got', which is not a prefix of '$TEXT'" ;;
	esac
}

# demo LANG: records, shows (Go only) and replays ./main_LANG.
demo() {
	lang=$1
	prog="main_$lang"
	rec="$DEMO/$lang-record"
	rep="$DEMO/$lang-replay"
	mkdir "$rec" "$rep"
	cp "$DEMO/build/$prog" "$rec/"
	cp "$DEMO/build/$prog" "$rep/"

	say "cd $rec && fifuzz --seed 1 --rate 1 --faults torn -o seed.trace -- ./$prog"
	rc=0
	(cd "$rec" && "$FIFUZZ" --seed 1 --rate 1 --faults torn -o seed.trace -- "./$prog") 2>"$rec/fifuzz.err" || rc=$?
	cat "$rec/fifuzz.err"
	[ "$rc" -eq 0 ] || fail "fifuzz exited with status $rc"
	grep -q 'program exited with status 0' "$rec/fifuzz.err" ||
		fail "fifuzz did not report that ./$prog exited with status 0"

	say "cat test.txt   (the program wrote '$TEXT' and exited 0)"
	cat "$rec/test.txt"
	echo
	check_prefix "$rec/test.txt"
	say "test.txt holds $(wc -c <"$rec/test.txt") of ${#TEXT} bytes, and ./$prog exited 0: a silent short write"

	if [ "$lang" = go ]; then
		say "fifuzz show seed.trace"
		(cd "$rec" && "$FIFUZZ" show seed.trace) || fail "fifuzz show exited with status $?"
	fi

	cp "$rec/seed.trace" "$rep/"
	say "cd $rep && fifuzz replay seed.trace -- ./$prog   (a new, empty directory)"
	rc=0
	(cd "$rep" && "$FIFUZZ" replay seed.trace -- "./$prog") 2>"$rep/fifuzz.err" || rc=$?
	cat "$rep/fifuzz.err"
	[ "$rc" -eq 0 ] || fail "fifuzz replay exited with status $rc"
	grep -q 'replay reproduced' "$rep/fifuzz.err" || fail "fifuzz replay did not report that it reproduced the run"

	say "cat test.txt   (after the replay)"
	cat "$rep/test.txt"
	echo
	cmp -s "$rec/test.txt" "$rep/test.txt" || fail "the replay wrote a different test.txt"
	say "the replay wrote the same $(wc -c <"$rep/test.txt") bytes"
}

say "Go: the seed post's program"
demo go
say "C: the same program with fopen/fputs/fclose"
demo c

# The seed post's next step: a power cut. The program never fsyncs test.txt or
# its directory, so after the cut the file it wrote and closed is gone.
say "Power loss: the program exits 0, then the power goes (--crash, cut after the run)"
pc="$DEMO/go-powercut"
mkdir "$pc"
cp "$DEMO/build/main_go" "$pc/"
say "cd $pc && fifuzz --seed 1 --rate 0 --crash --crash-rate 0 --check 'test -s test.txt' -- ./main_go"
rc=0
(cd "$pc" && "$FIFUZZ" --seed 1 --rate 0 --crash --crash-rate 0 --check 'test -s test.txt' -o cut.trace -- ./main_go) \
	2>"$pc/fifuzz.err" || rc=$?
cat "$pc/fifuzz.err"
[ "$rc" -eq 1 ] || fail "fifuzz --crash exited with status $rc, expected 1 (the check fails after the cut)"
grep -q 'verdict: crash-consistency' "$pc/fifuzz.err" || fail "fifuzz --crash did not report crash-consistency"
[ ! -e "$pc/test.txt" ] || fail "test.txt survived the power cut although it was never fsynced"
say "test.txt is gone: it was written and closed, but neither it nor its directory was fsynced"

say "demo passed; its files are in $DEMO"
