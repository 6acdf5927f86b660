"""Django settings, configured the twelve-factor way (ARCHITECTURE.md 3).

Every value comes from an environment variable; the defaults are the safe production ones
(DEBUG off, secure cookies, strict MySQL mode). SQLite is accepted only for the one-command demo.
Each module of this package configures one concern; this one gathers them for Django, which
reads the upper-case names of ``cloud_api.settings``.
"""

from __future__ import annotations

from cloud_api.settings.api import *  # noqa: F403
from cloud_api.settings.app_limits import *  # noqa: F403
from cloud_api.settings.application import *  # noqa: F403
from cloud_api.settings.auth import *  # noqa: F403
from cloud_api.settings.cache_and_celery import *  # noqa: F403
from cloud_api.settings.databases import *  # noqa: F403
from cloud_api.settings.environment import *  # noqa: F403
from cloud_api.settings.integrations import *  # noqa: F403
from cloud_api.settings.schedule import *  # noqa: F403
from cloud_api.settings.security import *  # noqa: F403
