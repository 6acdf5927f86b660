"""WSGI entry point: ``gunicorn cloud_api.wsgi:application``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud_api.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Import every view now (not on the first request), then take everything alive, which
    lives as long as the process, out of the garbage collector's walks: a 500-sale push makes
    about 100,000 short-lived objects, and each full collection also walked the whole app
    (about 8 % of a push; see docs/performance.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    gc.collect()
    gc.freeze()


_settle()
