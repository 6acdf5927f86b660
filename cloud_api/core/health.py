"""Liveness (/healthz: the process answers) and readiness (/readyz: MySQL and Redis answer)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django_redis import get_redis_connection


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ok() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # readiness reports, it does not raise
        return f"error: {type(exc).__name__}"


def _redis_ok() -> str:
    try:
        get_redis_connection("default").ping()
        return "ok"
    except NotImplementedError:
        return "ok (no redis: local memory cache)"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    ready = all(value.startswith("ok") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
