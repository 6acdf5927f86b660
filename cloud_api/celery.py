"""Celery app: background jobs (notifications, exports, forecasts) on the Redis broker.

Start a worker with ``celery -A cloud_api worker``. Tests run tasks eagerly
(``CELERY_TASK_ALWAYS_EAGER``), so no worker is needed there.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud_api.settings")

app = Celery("cloud_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
