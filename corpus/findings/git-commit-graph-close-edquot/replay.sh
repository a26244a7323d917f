#!/bin/sh
# git 2.39.5 `git commit-graph write --reachable`: closing the new commit-graph (the lock file)
# fails with EDQUOT. git drops the file, prints nothing, and exits 0: no commit-graph was written.
# Exits 0 when the bug reproduces, 1 when it does not. FIFUZZ= overrides the fifuzz binary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fifuzz=${FIFUZZ:-$here/../../../fifuzz}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# The repository the trace was recorded with: one commit of a 1000-line file.
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
git init -q repo && cd repo && git config user.email a@b && git config user.name t &&
	seq 1 1000 > f && git add f &&
	GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z' git commit -qm one &&
	cd .. || exit 2
"$fifuzz" replay -q --timeout 60 --check 'test "$FIFUZZ_EXIT" != 0 || test -s repo/.git/objects/info/commit-graph' \
	--report report.json "$here/minimized.trace" -- /bin/sh -c 'cd repo && git commit-graph write --reachable' > stdout 2> stderr
rc=$?
# The trace was filed as "corruption", an oracle replay does not apply: fifuzz (after main 747dc07)
# exits 4 ("did not reproduce") although the --check verdict shows the missing file.
if grep -q '"verdict":"check"' report.json && grep -q '"faults_injected":1' report.json &&
	[ ! -s stderr ] && [ ! -e repo/.git/objects/info/commit-graph ]; then
	echo "reproduced: git commit-graph write exited 0 without a message and without writing the commit-graph"
	exit 0
fi
echo "did not reproduce (fifuzz replay exit status $rc)"; cat stderr
exit 1
