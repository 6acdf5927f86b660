"""gunicorn settings for the demo cloud only (``scripts/demo.py`` passes them through
``GUNICORN_CMD_ARGS``): serve the admin's CSS/JS from the installed apps, as ``runserver``
does, so ``/admin/`` looks right without nginx or ``collectstatic``. Needs ``DEBUG=1``."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    worker.wsgi = StaticFilesHandler(worker.wsgi)
