#!/usr/bin/env bash
# Standby start: on first boot, copy the primary with pg_basebackup -R, which writes
# `standby.signal` and `primary_conninfo` (PostgreSQL 12+; recovery.conf is gone) and streams
# through the primary's replication slot; then run postgres as a hot standby.
# Promote on failover: `docker compose exec postgres-standby pg_ctl promote` (docs/operations).
set -euo pipefail
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
: "${PRIMARY_HOST:?set PRIMARY_HOST}"
slot="${STANDBY_SLOT:-standby_1}"
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_isready -h "$PRIMARY_HOST" -U replicator; do sleep 2; done
  pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -S "$slot" -R \
    -d "application_name=$slot" --progress
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
