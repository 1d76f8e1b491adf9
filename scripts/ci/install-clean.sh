#!/usr/bin/env bash
# First-hour check (issue 14): installing on Node 20 prints no engine warning (EBADENGINE: a
# package that declares a newer Node) and no install-scripts warning (a dependency's install
# script not reviewed in package.json's `allowScripts`). Called by scripts/ci/ops.sh.
#  - NPM_CI_LOG: the output of the real `npm ci` (.ci/run tees it there), checked when present;
#  - always: the lock as `npm ci` reads it (a dry run, nothing installed) and the scripts policy
#    over the installed tree (`npm install-scripts ls`), so the check also runs on its own.
set -euo pipefail
cd "$(dirname "$0")/../.."

failed=0
report() {
  echo "install-clean: $1" >&2
  sed 's/^/  /' >&2
  failed=1
}

if [ -n "${NPM_CI_LOG:-}" ] && [ -f "$NPM_CI_LOG" ]; then
  warnings=$(grep -E 'npm warn (EBADENGINE|install-scripts)' "$NPM_CI_LOG" || true)
  [ -z "$warnings" ] || report "npm ci printed warnings ($NPM_CI_LOG)" <<<"$warnings"
fi

engines=$(npm ci --dry-run --ignore-scripts --no-audit --no-fund 2>&1 | grep -A3 'EBADENGINE' || true)
[ -z "$engines" ] || report "packages in package-lock.json that do not support Node $(node -v); pin versions that do (root overrides)" <<<"$engines"

pending=$(npm install-scripts ls 2>&1)
grep -q '^No packages with unreviewed install scripts' <<<"$pending" ||
  report "install scripts not reviewed in package.json allowScripts (approve the needed ones, deny the rest)" <<<"$pending"

[ "$failed" -eq 0 ] && echo "install-clean: no engine or install-script warnings on Node $(node -v)"
exit "$failed"
