#!/bin/sh
# git 2.39.5 `git config --list --local`: the reads of .git/config fail with EIO (three in a row, as a
# bad block read again fails again). git takes the file for empty: it lists nothing, says nothing, and
# exits 0. Every other git command in that repository runs with the configuration silently missing.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
git init -q repo && git -C repo config user.email a@b && git -C repo config user.name t || exit 2
i=1
while [ $i -le 300 ]; do git -C repo config --local "sect$i.key" "value-$i-padding-padding-padding"; i=$((i + 1)); done
git -C repo config --local user.name 'Last Name'
git -C repo config --list --local > expected || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || cmp -s out expected' \
	"$here/minimized.trace" -- /bin/sh -c 'cd repo && git config --list --local > ../out' > stdout 2> stderr
rc=$?
if [ "$rc" = 1 ] && [ ! -s stderr ] && [ ! -s out ]; then
	echo "reproduced: git config --list exited 0 without a message and listed 0 of $(wc -l < expected) settings"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
