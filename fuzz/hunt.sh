#!/bin/sh
# Runs the recipes of fuzz/targets/ (one campaign each) and writes one table.
# Usage: sh fuzz/hunt.sh [-o OUT] [NAME...]
#   NAME is a recipe (gzip, sqlite3/wal-full) or a program's directory (sqlite3: all its recipes).
#   Environment: RUNS (faulted runs per recipe, default: the recipe's own, else 200; a
#   recipe's RUNS_MAX caps it), JOBS (campaign -j, default: online CPUs), FIFUZZ (the
#   binary, default ./fifuzz), KEEP=1 (keep each campaign's failures/ from an earlier hunt).
# Writes OUT/<recipe>/{template,campaign,campaign.log,meta} and OUT/hunt.md, OUT/hunt.json (default OUT: hunt-out).
# A recipe is a file sourced by sh: fuzz/targets/PROGRAM/recipe, or PROGRAM/VARIANT.recipe for a
# program with several (named PROGRAM/VARIANT); see fuzz/targets/README.md.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=hunt-out
if [ "${1:-}" = -o ]; then out=$2; shift 2; fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
fifuzz=${FIFUZZ:-$top/fifuzz}
jobs=${JOBS:-$(nproc)}

# Installs the Debian packages a recipe names when one is missing (as root).
install_missing() {
	missing=""
	for p in $PACKAGES; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "hunt: installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "hunt: not root; as root run: apt-get install$missing" >&2
		return 1
	fi
	# Another apt-get may hold the lock (a shared machine): wait for it.
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
		--no-install-recommends $missing >/dev/null
}

# Prints its arguments quoted for sh, on one line.
quote() {
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./=:,%@+-]* | "") printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s ' "$a" ;;
		esac
	done
}

# Prints the milliseconds the command "$@" takes (the best of 5: the machine may be busy), run in a copy of
# the template with stdin from /dev/null, output thrown away.
time_ms() {
	best=""
	for _ in 1 2 3 4 5; do
		rm -rf "$dir/timing" && cp -a "$dir/template" "$dir/timing"
		t0=$(date +%s%N)
		(cd "$dir/timing" && env $ENV "$@" </dev/null >/dev/null 2>&1) || true
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
	done
	rm -rf "$dir/timing"
	echo "$best"
}

# Prints the file of recipe $1 (gzip or sqlite3/wal-full).
recipe_file() {
	case $1 in
	*/*) echo "$top/fuzz/targets/$1.recipe" ;;
	*) echo "$top/fuzz/targets/$1/recipe" ;;
	esac
}

# Prints every recipe's name.
all_recipes() {
	for d in "$top"/fuzz/targets/*/; do
		p=$(basename "$d")
		if [ -f "$d/recipe" ]; then echo "$p"; fi
		for r in "$d"*.recipe; do
			if [ -f "$r" ]; then echo "$p/$(basename "$r" .recipe)"; fi
		done
	done
}

# Runs one recipe. RECIPE, for the recipe's own use, is its directory.
run_recipe() {
	name=$1
	RECIPE=$top/fuzz/targets/${name%%/*}
	# The recipe's variables, with their defaults.
	PACKAGES="" CAREFUL=0 RUNS_DEFAULT=200 RUNS_MAX="" TIMEOUT=20 OPTS="" CHECK="" IGNORE="" ENV="" PROG=""
	setup() { :; }
	# shellcheck disable=SC1090
	. "$(recipe_file "$name")"
	runs=${RUNS:-$RUNS_DEFAULT}
	if [ -n "$RUNS_MAX" ] && [ "$runs" -gt "$RUNS_MAX" ]; then runs=$RUNS_MAX; fi
	dir=$out/$name
	mkdir -p "$dir"
	install_missing || { echo "hunt: $name: skipped (packages missing)"; return 0; }
	# The version of the recipe's first package (the program's own, as Debian built it).
	version=$(dpkg-query -W -f '${Package} ${Version}' "${PACKAGES%% *}" 2>/dev/null || echo unknown)

	rm -rf "$dir/template" && mkdir -p "$dir/template"
	(cd "$dir/template" && setup) || { echo "hunt: $name: setup failed" >&2; return 0; }

	eval "set -- $PROG"
	native=$(time_ms "$@")
	traced=$(time_ms "$fifuzz" -q --no-trace --rate 0 --timeout "$TIMEOUT" -- "$@")

	# The campaign, printed so that it can be copied.
	eval "set -- $OPTS"
	for g in $IGNORE; do set -- "$@" --ignore "$g"; done
	[ -n "$CHECK" ] && set -- "$@" --check "$CHECK"
	eval "set -- \"\$@\" -- $PROG"
	[ "${KEEP:-0}" = 1 ] || rm -rf "$dir/campaign"
	echo "hunt: $name ($version): $runs runs"
	echo "  ${ENV:+env $ENV }fifuzz campaign --runs $runs -j $jobs --timeout $TIMEOUT --template $dir/template -o $dir/campaign -q $(quote "$@")" |
		sed "s|$top/fuzz/targets/|fuzz/targets/|g"
	t0=$(date +%s)
	rc=0
	# The campaign's own messages and the checks' output go to campaign.log.
	env $ENV "$fifuzz" campaign --runs "$runs" -j "$jobs" --timeout "$TIMEOUT" --template "$dir/template" \
		-o "$dir/campaign" -q "$@" >"$dir/campaign.log" 2>&1 || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "hunt: $name: the campaign exited $rc; the end of $dir/campaign.log:"
		tail -n 5 "$dir/campaign.log"
	fi
	t1=$(date +%s)
	{
		echo "name=$name"
		echo "version=$version"
		echo "careful=$CAREFUL"
		case " $OPTS " in *" --crash"*) echo "crash=1" ;; *) echo "crash=0" ;; esac
		echo "native_ms=$native"
		echo "fifuzz_ms=$traced"
		echo "exit=$rc"
		echo "wall_s=$((t1 - t0))"
	} >"$dir/meta"
	/usr/bin/python3 "$top/fuzz/hunt-table.py" --one "$dir"
}

names=""
for arg in "$@"; do
	found=""
	for n in $(all_recipes); do
		case $n in "$arg" | "$arg"/*) names="$names $n" found=1 ;; esac
	done
	[ -n "$found" ] || { echo "hunt: no recipe $arg in fuzz/targets/" >&2; exit 2; }
done
[ $# -gt 0 ] || names=$(all_recipes)

[ -x "$fifuzz" ] || { echo "hunt: no $fifuzz: run make first" >&2; exit 2; }
for n in $names; do
	(run_recipe "$n")
done
# shellcheck disable=SC2086
/usr/bin/python3 "$top/fuzz/hunt-table.py" -o "$out" $(for n in $names; do echo "$out/$n"; done)
