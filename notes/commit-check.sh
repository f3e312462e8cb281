#!/usr/bin/env bash
# Build and test exactly what is staged, in a scratch worktree (helpers keep editing the main tree).
set -euo pipefail
top=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d /tmp/osiris-check.XXXX)
git -C "$top" diff --cached --binary > "$tmp/staged.patch"
git -C "$top" worktree add -q --detach "$tmp/wt" HEAD
cd "$tmp/wt"
[ -s "$tmp/staged.patch" ] && git apply --index "$tmp/staged.patch"
ln -s "$top/node_modules" node_modules
npm run build >"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log"; echo BUILD FAILED; exit 1; }
node --test dist/test/ >"$tmp/test.log" 2>&1 || { grep -E "^not ok|^# (pass|fail)" "$tmp/test.log"; echo TESTS FAILED; exit 1; }
grep -E "^# (tests|pass|fail)" "$tmp/test.log"
node bin/osiris-fi suite | tail -1 || true
cd "$top"; git worktree remove --force "$tmp/wt"
echo STAGED OK
