#!/usr/bin/env bash
# Restores a backup made by mysql_backup.sh into the database of DATABASE_URL:
#   DATABASE_URL=mysql://... deploy/backup/mysql_restore.sh backups/asiria-....sql.gz --yes
# Every table in the backup is replaced by its backed-up contents. Stop web, worker and beat
# first (tills keep their sales and send them again once the cloud is back).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BACKUP=${1:?usage: mysql_restore.sh BACKUP.sql.gz --yes}
[[ "${2:-}" == "--yes" ]] || { echo "This replaces the tables of \$DATABASE_URL's database with $BACKUP. Add --yes to go on." >&2; exit 2; }
[[ -s $BACKUP ]] || { echo "no backup at $BACKUP" >&2; exit 2; }
gzip -t "$BACKUP"  # a damaged file stops here, before any table is dropped
# shellcheck source=_database_url.sh
. "$HERE/_database_url.sh"
CLIENT=$(command -v mariadb || command -v mysql) || { echo "no mariadb/mysql client" >&2; exit 2; }
gunzip -c "$BACKUP" | "$CLIENT" --defaults-extra-file="$DB_CNF" "$DB_NAME"
echo "restored $BACKUP into $DB_NAME"
