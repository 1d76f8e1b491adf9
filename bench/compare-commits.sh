#!/usr/bin/env bash
# Is a change a regression, or is the machine just noisier today? Runs the same benchmark commands
# on an older commit and on this checkout, alternated ROUNDS times in one session, so both sides
# see the same background load; compare the ratios each run reports against its own peer.
#
#   bash bench/compare-commits.sh <base-commit> '<command run in bench/>' ['<command>' ...]
#   e.g. bash bench/compare-commits.sh 9c6684d^ \
#          'BENCH_SIZES=1000,5000 BENCH_SYSTEMS=ws,gateway BENCH_IDLE=0 npx tsx realtime/index.ts' \
#          'npx tsx chat-send.ts'
#
# The base commit is checked out in a temporary worktree sharing this checkout's node_modules
# (hard links), so it must build with today's dependencies. Output: bench/results/compare/
# <side>-<round>-<n>.log, one per run, plus the load average at each start in runs.log.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
base=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-2}
out="$root/bench/results/compare"
worktree=$(mktemp -d /tmp/bench-base-XXXXXX)
mkdir -p "$out"
git -C "$root" worktree add -q --detach "$worktree" "$base"
trap 'git -C "$root" worktree remove --force "$worktree"' EXIT
cp -al "$root/node_modules" "$worktree/node_modules"
: > "$out/runs.log"
for round in $(seq 1 "$rounds"); do
  for side in base head; do
    dir=$root
    [ "$side" = base ] && dir=$worktree
    n=0
    for command in "$@"; do
      n=$((n + 1))
      echo "round $round $side #$n at load $(cut -d' ' -f1 /proc/loadavg): $command" | tee -a "$out/runs.log"
      (cd "$dir/bench" && bash -c "$command") > "$out/$side-$round-$n.log" 2>&1
    done
  done
done
echo "logs in $out"
