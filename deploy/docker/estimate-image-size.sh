#!/usr/bin/env bash
# Estimates each server image's size from its final stage's contents, since no Docker engine runs
# here: the application layer is measured (the production tree assemble-runtime.sh builds, as the
# Dockerfile copies it), the base image (node:20-bookworm-slim) and the tini package are not.
# usage: bash deploy/docker/estimate-image-size.sh   (after npm run build:servers)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for server in chat-server dex-server; do
  bash deploy/docker/assemble-runtime.sh "$server" "$work/$server" >/dev/null
  total=$(du -sm "$work/$server" | cut -f1)
  modules=$(du -sm "$work/$server/node_modules" | cut -f1)
  echo "$server: application layer ${total} MB (node_modules ${modules} MB, compiled packages $((total - modules)) MB) + base image"
  du -sm "$work/$server"/node_modules/* "$work/$server"/node_modules/@*/* 2>/dev/null | sort -rn | head -5 |
    sed "s|$work/$server/node_modules/|    |"
done
