#!/usr/bin/env bash
# The demo chat app's browser test: builds @chatsdk/web, starts a real chat-server (embedded mode,
# its own data directory) serving it, and drives two Chromium contexts (alice and bob) through it.
# Screenshots land in packages/chat-web/test-artifacts/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian's Chromium is not on a fresh machine of this kind: the project installs it (as root)
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "== chat-web: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "== chat-web: build"
npm run build -w @chatsdk/web
echo "== chat-web: browser test"
npm run test:e2e -w @chatsdk/web
