#!/usr/bin/env bash
# Operations checks (issue 14): every deploy/ artifact checked by the tool that consumes it.
# Called by .ci/run after scripts/ensure-tools.sh; needs PostgreSQL at DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

echo "== ops: install on Node 20 without engine or install-script warnings"
bash scripts/ci/install-clean.sh

echo "== ops: deploy tests (production tree, nginx, Prometheus)"
npx vitest run --config deploy/vitest.config.ts
