#!/usr/bin/env bash
# Mirrors the uploads bucket (MinIO or S3) to a backup bucket in another failure domain, with the
# MinIO client. Object versioning on the backup bucket keeps overwritten and deleted objects, so a
# mirror of a mistake can still be undone; its lifecycle rule expires old versions after 30 days.
#
#   SOURCE_ALIAS/SOURCE_BUCKET   e.g. prod/chat-uploads (an `mc alias` set up with its keys)
#   BACKUP_ALIAS/BACKUP_BUCKET   e.g. backup/chat-uploads
set -euo pipefail

: "${SOURCE_ALIAS:?}" "${SOURCE_BUCKET:?}" "${BACKUP_ALIAS:?}" "${BACKUP_BUCKET:?}"
mc version enable "$BACKUP_ALIAS/$BACKUP_BUCKET" >/dev/null
mc ilm rule add --noncurrent-expire-days 30 "$BACKUP_ALIAS/$BACKUP_BUCKET" >/dev/null 2>&1 || true
# --overwrite: a changed object replaces the old one (the old stays as a noncurrent version);
# no --remove: an object deleted at the source stays in the backup until the lifecycle rule.
mc mirror --overwrite --preserve "$SOURCE_ALIAS/$SOURCE_BUCKET" "$BACKUP_ALIAS/$BACKUP_BUCKET"
