# After git commit, in the run's directory: the repository is whole (git fsck), and after exit 0 HEAD is
# a second commit whose tree is what was staged.
git fsck --no-progress --no-dangling 2>&1 | head -n 5 | grep . && { echo "git fsck found errors"; exit 1; }
git fsck --no-progress --no-dangling >/dev/null 2>&1 || { echo "git fsck failed"; exit 1; }
[ "$FIFUZZ_EXIT" = 0 ] || exit 0
[ "$(git rev-list --count HEAD 2>&1)" = 2 ] || { echo "exit 0 but HEAD is not the second commit"; exit 1; }
git diff --cached --quiet HEAD || { echo "exit 0 but HEAD is not what was staged"; exit 1; }
