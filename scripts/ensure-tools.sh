#!/usr/bin/env bash
# Installs the Debian tools the checks in .ci/run consume when they are missing: Chromium for the
# browser tests, nginx (`nginx -t` and the proxy test), Prometheus (`promtool`, the scrape test),
# the node, PostgreSQL and Redis exporters (the scrape test feeds the dashboards' exporter panels),
# Alertmanager (`amtool`) and docker-compose (`docker-compose config`). Each is skipped when present.
set -euo pipefail

declare -A wanted=(
  [/usr/bin/chromium]=chromium
  [/usr/sbin/nginx]=nginx
  [/usr/bin/promtool]=prometheus
  [/usr/bin/prometheus-node-exporter]=prometheus-node-exporter
  [/usr/bin/prometheus-postgres-exporter]=prometheus-postgres-exporter
  [/usr/bin/prometheus-redis-exporter]=prometheus-redis-exporter
  [/usr/bin/amtool]=prometheus-alertmanager
  [/usr/bin/docker-compose]=docker-compose
)
missing=()
for binary in "${!wanted[@]}"; do
  [ -x "$binary" ] || missing+=("${wanted[$binary]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "tools present: ${wanted[*]}"
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian's packages start their services on install; the checks run their own instances.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
