#!/usr/bin/env bash
# The DEX web app's checks: its unit tests run with `npm test`; this builds it and runs the browser
# test (Playwright with Debian Chromium) against a real dex-server on its embedded chain.
# Screenshots go to packages/dex-web/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "== dex-web: build"
npm run build -w @soba/dex-web
echo "== dex-web: browser test"
npm run test:e2e -w @soba/dex-web
