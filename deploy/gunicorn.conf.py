"""gunicorn settings for the cloud: ``gunicorn -c deploy/gunicorn.conf.py cloud_api.wsgi``.

Every value can be changed from the environment, so the container image, a VM and a PaaS use
this one file. Access lines come from Django's request middleware (JSON, with the request id),
so gunicorn's own access log stays off.
"""

import multiprocessing
import os

# In a container gunicorn listens on every interface (nginx reaches it over the compose
# network); on a VM with nginx beside it, set ASIRIA_BIND=127.0.0.1:8000.
bind = os.environ.get("ASIRIA_BIND", "0.0.0.0:8000")
# Sync workers: a push is CPU- and database-bound. 2 per core keeps a core busy while the
# other waits on MySQL (docs/operations.md, "Capacity").
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("ASIRIA_WORKER_TIMEOUT", "60"))  # a 500-sale push takes < 1 s
graceful_timeout = 30
keepalive = 5
# Load the app once before forking: wsgi.py freezes the long-lived objects out of the GC.
preload_app = True
# Recycle workers now and then, so a slow leak in any library never grows without bound.
max_requests = int(os.environ.get("ASIRIA_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# nginx in front sets X-Forwarded-Proto; trust it from the addresses it comes from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory: a container's overlay /tmp can stall workers (gunicorn docs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
