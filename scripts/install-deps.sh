#!/bin/sh
# Installs the Debian packages fifuzz needs to build, test and run its demo,
# when they are missing. Quiet when everything is already there.
# Usage: sh scripts/install-deps.sh   (as root, or a user who may sudo)
set -eu

PACKAGES="build-essential pkg-config libseccomp-dev libxxhash-dev libdw-dev libcriterion-dev golang-go python3 strace afl++"

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no dpkg/apt-get here; install these (Debian names) by hand: $PACKAGES" >&2
	exit 1
fi

missing=""
for p in $PACKAGES; do
	# dpkg -s also succeeds for removed packages whose config files remain.
	if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "install-deps: not root and no sudo; as root run: apt-get install$missing" >&2
	exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq update
# shellcheck disable=SC2086 # $missing is a list of package names
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
