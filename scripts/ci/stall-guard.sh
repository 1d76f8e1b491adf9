#!/usr/bin/env bash
# Runs a command (its output streamed as it comes); if it prints nothing for STALL_SECONDS
# (default 900), stops it and runs it once more. Exits with the command's code, or 124 when the
# second try stalls too.
#
# Why: vitest 3's fork pool stalled for good once on this machine mid-suite: the fork spawned for
# the next test file sat idle, the main process waited on it, no test ran and the load average
# fell to 0, and the run would have waited for CI's hard limit. A stall that long is never a slow
# test: every test has its own timeout (30 s, hooks 60 s; the drills' failover test 300 s), and
# vitest prints each file when it ends, the slowest (the drills) after about 140 s here. So a
# test that fails still fails, through vitest.
#
#   bash scripts/ci/stall-guard.sh npm test
set -uo pipefail
stall=${STALL_SECONDS:-900}

run_once() {
  local log pid shown=0 size last
  log=$(mktemp)
  # Its own process group, so a stop reaches vitest's forks too.
  setsid "$@" >"$log" 2>&1 &
  pid=$!
  last=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    size=$(stat -c %s "$log")
    if [ "$size" -gt "$shown" ]; then
      tail -c +"$((shown + 1))" "$log" | head -c "$((size - shown))"
      shown=$size
      last=$(date +%s)
    elif [ $(($(date +%s) - last)) -ge "$stall" ]; then
      echo "stall-guard: no output for ${stall} s from: $*; stopping it"
      kill -TERM -- "-$pid" 2>/dev/null
      sleep 5
      kill -KILL -- "-$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
      rm -f "$log"
      stalled=1
      return 124
    fi
  done
  wait "$pid"
  local code=$?
  tail -c +"$((shown + 1))" "$log"
  rm -f "$log"
  return "$code"
}

stalled=0
run_once "$@"
code=$?
if [ "$stalled" -eq 1 ]; then
  echo "stall-guard: running it once more"
  stalled=0
  run_once "$@"
  code=$?
fi
exit "$code"
