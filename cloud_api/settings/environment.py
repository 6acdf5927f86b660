"""What the environment says this process is: debug or not, the demo or not, and the helpers
that read flags and lists from environment variables."""

from __future__ import annotations

import os


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

DATABASE_URL = os.environ.get("DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria")
DEMO_MODE = DATABASE_URL.startswith("sqlite:")

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
