#!/usr/bin/env bash
# Daily logical backup of one PostgreSQL database: a custom-format pg_dump (compressed, restorable
# table by table), verified by reading its table of contents, then backups older than the retention
# are deleted. Run from cron (see crontab.example) or a Kubernetes CronJob.
#
#   DATABASE_URL      the database to dump (required)
#   BACKUP_DIR        where dumps go (default /var/backups/postgres)
#   RETENTION_DAYS    dumps older than this are pruned (default 30)
#
# Prints the path of the new dump on its last line.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/postgres}"
RETENTION_DAYS="${RETENTION_DAYS:-30}"

mkdir -p "$BACKUP_DIR"
name="$(basename "${DATABASE_URL%%\?*}")"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/$name-$stamp.dump"
partial="$target.partial"

# Written under a temporary name and renamed once complete, so a crash never leaves a dump that
# looks whole; the prune below only ever sees finished files.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" "$DATABASE_URL"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$target"

find "$BACKUP_DIR" -maxdepth 1 -name "$name-*.dump" -type f -mtime +"$RETENTION_DAYS" -print -delete |
  sed 's/^/pruned: /'
echo "$target"
