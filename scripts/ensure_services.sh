#!/usr/bin/env bash
# The cloud tests use the real MariaDB and Redis of this machine. Check them, try to start them
# when they are down, and fail with a clear message when they still cannot be reached.
set -uo pipefail
DB_HOST=${ASIRIA_TEST_DB_HOST:-127.0.0.1}; DB_PORT=${ASIRIA_TEST_DB_PORT:-3306}
REDIS_HOST=${ASIRIA_TEST_REDIS_HOST:-127.0.0.1}; REDIS_PORT=${ASIRIA_TEST_REDIS_PORT:-6379}

up() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_up() { for _ in $(seq 1 30); do up "$1" "$2" && return 0; sleep 1; done; return 1; }

if ! up "$DB_HOST" "$DB_PORT"; then
  echo "MariaDB is not answering on $DB_HOST:$DB_PORT; trying to start it..."
  if command -v start-stop-daemon >/dev/null && [[ -x /usr/sbin/mariadbd ]]; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  elif command -v service >/dev/null; then service mariadb start || service mysql start || true
  fi
  wait_up "$DB_HOST" "$DB_PORT" || {
    echo "ERROR: MariaDB/MySQL is not reachable on $DB_HOST:$DB_PORT and could not be started." >&2
    echo "       Install mariadb-server (or set ASIRIA_TEST_DB_HOST/PORT) and run again." >&2
    exit 1; }
fi
if ! up "$REDIS_HOST" "$REDIS_PORT"; then
  echo "Redis is not answering on $REDIS_HOST:$REDIS_PORT; trying to start it..."
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  wait_up "$REDIS_HOST" "$REDIS_PORT" || {
    echo "ERROR: Redis is not reachable on $REDIS_HOST:$REDIS_PORT and could not be started." >&2
    echo "       Install redis-server (or set ASIRIA_TEST_REDIS_HOST/PORT) and run again." >&2
    exit 1; }
fi
echo "MariaDB ($DB_HOST:$DB_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) are up."
