#!/bin/sh
# es-setup (soba-dex.production.yml): installs the 30-day ILM policy and the index template the
# servers' daily `{service}-logs-YYYY.MM.DD` indices match (packages/service-kit/src/logging), and
# sets the kibana_system password. Idempotent: PUT replaces what is there.
set -eu
es="${ELASTICSEARCH_HOSTS:-http://elasticsearch:9200}"
auth="elastic:${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}"
put() {
  curl -fsS -u "$auth" -X "$1" -H 'content-type: application/json' "$es$2" --data-binary "$3"
  echo
}
put PUT /_ilm/policy/service-logs-30d @/setup/ilm-policy.json
put PUT /_index_template/service-logs @/setup/index-template.json
put POST /_security/user/kibana_system/_password "{\"password\":\"${ELASTICSEARCH_PASSWORD:?set ELASTICSEARCH_PASSWORD}\"}"
echo "es-setup: ILM policy service-logs-30d and index template service-logs installed"
