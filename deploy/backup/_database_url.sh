# Sourced by the backup scripts: DATABASE_URL (mysql://user:password@host:port/name) into a
# private client options file, so the password never shows on a command line (`ps`).
: "${DATABASE_URL:?DATABASE_URL is not set (mysql://user:password@host:port/name)}"
DB_CNF=$(mktemp)
chmod 600 "$DB_CNF"
trap 'rm -f "$DB_CNF"' EXIT
DB_NAME=$(python3 - "$DATABASE_URL" "$DB_CNF" <<'PY'
import sys
from urllib.parse import unquote, urlsplit

url = urlsplit(sys.argv[1])
if url.scheme not in {"mysql", "mysql2", "mariadb"} or not url.path.strip("/"):
    sys.exit("DATABASE_URL must look like mysql://user:password@host:port/name")
with open(sys.argv[2], "w", encoding="utf-8") as cnf:
    cnf.write("[client]\n")
    cnf.write(f"host={url.hostname or '127.0.0.1'}\nport={url.port or 3306}\n")
    cnf.write(f"user={unquote(url.username or 'root')}\n")
    if url.password:
        cnf.write(f"password=\"{unquote(url.password)}\"\n")
    cnf.write("default-character-set=utf8mb4\n")
print(url.path.strip("/"))
PY
)
