#!/usr/bin/env bash
# Runs once, when the primary's data directory is initialised (docker-entrypoint-initdb.d):
# a replication role, its pg_hba entry and a physical replication slot for the standby, so the
# primary keeps the WAL the standby has not received yet (PostgreSQL 15+ streaming replication).
set -euo pipefail
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
slot="${STANDBY_SLOT:-standby_1}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" -v slot="$slot" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
