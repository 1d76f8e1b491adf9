#!/usr/bin/env bash
# Restores a dump made by pg-backup.sh into a NEW database (never over a live one): creates it,
# restores with several jobs, and runs ANALYZE so the planner has statistics at once.
#
#   pg-restore.sh <dump file> <target database URL>
#
# The target database must not exist; the URL's user needs CREATEDB.
set -euo pipefail

dump="${1:?usage: pg-restore.sh <dump> <target database URL>}"
target="${2:?usage: pg-restore.sh <dump> <target database URL>}"
db="$(basename "${target%%\?*}")"
admin="${target%/*}/postgres"

psql --quiet --no-psqlrc --set ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE \"$db\""
pg_restore --jobs="${RESTORE_JOBS:-2}" --no-owner --no-privileges --exit-on-error --dbname="$target" "$dump"
psql --quiet --no-psqlrc --set ON_ERROR_STOP=1 "$target" -c 'ANALYZE'
echo "restored $dump into $db"
