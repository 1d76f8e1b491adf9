#!/usr/bin/env bash
# The demo chat app's browser test: builds @chatsdk/web, starts a real chat-server (embedded mode,
# its own data directory) serving it, and drives two Chromium contexts (alice and bob) through it.
# Screenshots land in packages/chat-web/test-artifacts/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "== chat-web: build"
npm run build -w @chatsdk/web
echo "== chat-web: browser test"
npm run test:e2e -w @chatsdk/web
