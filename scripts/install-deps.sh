#!/bin/sh
# Installs the Debian packages fifuzz needs to build, test and run its demo,
# when they are missing. Quiet when everything is already there.
# Usage: sh scripts/install-deps.sh   (as root, or a user who may sudo)
#
# Without root or sudo it installs nothing: missing build packages are an
# error (with the apt-get line to run), missing test-only packages a note
# (the integration cases that need them skip, saying so).
set -eu

# To build fifuzz and its unit tests.
BUILD="build-essential pkg-config libseccomp-dev libxxhash-dev libdw-dev libcriterion-dev"
# Only to build or run some test targets and benchmarks (Go and Python
# targets, strace's -e inject as an anchor, AFL++ mode).
TESTS="golang-go python3 strace afl++"

installed() {
	# dpkg -s also succeeds for removed packages whose config files remain.
	dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	# Not Debian: the build says what it lacks (pkg-config names the libraries).
	if pkg-config --exists libseccomp libxxhash libdw criterion 2>/dev/null; then
		exit 0
	fi
	echo "install-deps: no dpkg/apt-get here; install these (Debian names) by hand: $BUILD $TESTS" >&2
	exit 1
fi

missing="" missing_build=""
for p in $BUILD $TESTS; do
	if ! installed "$p"; then
		missing="$missing $p"
		case " $BUILD " in *" $p "*) missing_build="$missing_build $p" ;; esac
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1 && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
	as_root="sudo"
elif [ -n "$missing_build" ]; then
	echo "install-deps: not root and no sudo; to build fifuzz, as root run: apt-get install$missing" >&2
	exit 1
else
	echo "install-deps: not installed:$missing (the cases that need them skip; as root: apt-get install$missing)" >&2
	exit 0
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq update
# shellcheck disable=SC2086 # $missing is a list of package names
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
