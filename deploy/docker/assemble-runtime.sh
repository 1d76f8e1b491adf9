#!/usr/bin/env bash
# Assembles the production tree of one server into DEST: the root manifests, production
# dependencies only (`npm ci --omit=dev` for that workspace), and the compiled `dist/` plus SQL
# migrations of the server and of every workspace package it depends on. No TypeScript sources, no
# dev tools. The Dockerfiles run this in their `assemble` stage and deploy/docker/production-tree.test.ts
# runs it into a temp folder and starts the result, so the image and the test use the same tree.
#
# usage: assemble-runtime.sh chat-server|dex-server DEST   (run from the repo root after
#        `npm run build:servers`)
set -euo pipefail
server=${1:?usage: assemble-runtime.sh chat-server|dex-server DEST}
dest=${2:?usage: assemble-runtime.sh chat-server|dex-server DEST}
[ -d "packages/$server/dist" ] || { echo "packages/$server/dist missing: run npm run build:servers" >&2; exit 1; }

mkdir -p "$dest"
cp package.json package-lock.json "$dest/"
# npm ci needs every workspace's manifest to accept the lock, even the ones it will not install.
for manifest in packages/*/package.json bench/package.json; do
  mkdir -p "$dest/$(dirname "$manifest")"
  cp "$manifest" "$dest/$manifest"
done

# The server's workspace dependencies, transitively (e.g. dex-server -> service-kit, dex-contracts).
mapfile -t packages < <(node scripts/workspace-closure.mjs "packages/$server")

# Install scripts stay off: the dependencies that have them (sharp) ship prebuilt binaries as
# optional packages, and their scripts only check for those.
(cd "$dest" && npm ci --omit=dev --workspace="packages/$server" --ignore-scripts --no-audit --no-fund --loglevel=error)

# EDR 0.13 lists every platform's native build as a plain dependency (~25 MB each); keep this
# platform's glibc build, the one the Debian-based image loads.
own="edr-$(node -p 'process.platform + "-" + process.arch')-gnu"
for build in "$dest"/node_modules/@nomicfoundation/edr-*; do
  [ -e "$build" ] && [ "$(basename "$build")" != "$own" ] && rm -rf "$build"
done

for dir in "${packages[@]}"; do
  for part in dist migrations; do
    if [ -d "$dir/$part" ]; then
      rm -rf "${dest:?}/$dir/$part"
      cp -R "$dir/$part" "$dest/$dir/$part"
    fi
  done
done
# The web app the server serves at `/` (built into its dist/ by the build stage), when it exists.
case "$server" in
  chat-server) web=packages/chat-web ;;
  dex-server) web=packages/dex-web ;;
esac
if [ -d "$web/dist" ]; then
  mkdir -p "$dest/$web"
  rm -rf "${dest:?}/$web/dist"
  cp -R "$web/dist" "$dest/$web/dist"
fi
# Source maps are for debugging builds, not for the image.
find "$dest/packages" -name '*.js.map' -delete
echo "assembled $server into $dest"
