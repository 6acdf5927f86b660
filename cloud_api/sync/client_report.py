"""The optional ``client`` part of a push request: what a till says about itself.

``{"app_version": "0.1.0", "unsent_count": 12}``: both optional. It is advice for head office's
view of the till's health, never a reason to refuse a batch of sales: a value that does not
fit is dropped (and logged), the events are applied as usual.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger(__name__)

MAX_UNSENT = 10**9
# A version as packagers write it (0.1.0, 1.2.3rc1, 0+unknown): no spaces or control characters.
VERSION = re.compile(r"^[0-9A-Za-z.+_-]{1,40}$")


def client_report(raw: Any) -> dict[str, Any]:
    """The fields of ``raw`` that make sense, as Terminal column values (maybe empty)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        log.warning("push client report ignored: not an object")
        return {}
    report: dict[str, Any] = {}
    version = raw.get("app_version")
    if isinstance(version, str) and VERSION.match(version):
        report["app_version"] = version
    elif version is not None:
        log.warning("push client report: app_version ignored")
    unsent = raw.get("unsent_count")
    if isinstance(unsent, int) and not isinstance(unsent, bool) and 0 <= unsent <= MAX_UNSENT:
        report["unsent_count"] = unsent
    elif unsent is not None:
        log.warning("push client report: unsent_count ignored")
    return report
