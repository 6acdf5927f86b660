#!/bin/sh
# The cloud's process commands, the same in the container image and on a plain checkout:
#   web      gunicorn (migrations first when ASIRIA_MIGRATE_ON_START=1)
#   worker   the Celery worker (notifications, exports, compaction)
#   beat     the Celery scheduler (one, and only one, per deployment)
#   migrate  apply database migrations, then exit (a release step)
#   cron     what beat schedules, run once (for hosts without Celery, e.g. cPanel's cron)
# Anything else runs as given (e.g. `asiria-cloud createsuperuser`).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
command="${1:-web}"
[ $# -gt 0 ] && shift
case "$command" in
    web)
        if [ "${ASIRIA_MIGRATE_ON_START:-0}" = "1" ]; then
            asiria-cloud migrate --noinput
        fi
        exec gunicorn -c "$HERE/gunicorn.conf.py" cloud_api.wsgi:application "$@"
        ;;
    worker)
        exec celery -A cloud_api worker --loglevel "${LOG_LEVEL:-INFO}" \
            --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
        ;;
    beat)
        exec celery -A cloud_api beat --loglevel "${LOG_LEVEL:-INFO}" \
            --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" "$@"
        ;;
    migrate)
        exec asiria-cloud migrate --noinput "$@"
        ;;
    cron)
        exec asiria-cloud compact_changes "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
