#!/usr/bin/env bash
# A consistent, compressed backup of the cloud's MySQL/MariaDB database, without stopping it:
#   DATABASE_URL=mysql://... deploy/backup/mysql_backup.sh [backup-folder]
# Writes <folder>/asiria-<name>-<UTC time>.sql.gz (folder: $ASIRIA_BACKUP_DIR or ./backups)
# and keeps the newest $ASIRIA_BACKUP_KEEP (14). InnoDB tables are read in one transaction
# (--single-transaction), so tills keep pushing while it runs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=_database_url.sh
. "$HERE/_database_url.sh"
DIR=${1:-${ASIRIA_BACKUP_DIR:-backups}}
KEEP=${ASIRIA_BACKUP_KEEP:-14}
DUMP=$(command -v mariadb-dump || command -v mysqldump) || { echo "no mariadb-dump/mysqldump" >&2; exit 2; }
mkdir -p "$DIR"
OUT="$DIR/asiria-$DB_NAME-$(date -u +%Y%m%dT%H%M%S.%3NZ).sql.gz"
"$DUMP" --defaults-extra-file="$DB_CNF" --single-transaction --quick --routines --triggers \
  --hex-blob --no-tablespaces --add-drop-table "$DB_NAME" | gzip -6 > "$OUT.partial"
mv "$OUT.partial" "$OUT"  # a backup that is there is a whole one
ls -1t "$DIR"/asiria-"$DB_NAME"-*.sql.gz | tail -n +$((KEEP + 1)) | xargs -r rm -f
echo "$OUT"
