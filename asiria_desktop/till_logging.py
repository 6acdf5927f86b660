"""The till's own logs: one JSON object per line in ``<data dir>/logs/till.log``, rotated.

structlog's ``ProcessorFormatter`` renders every stdlib record (the till logs with ``logging``)
as JSON with an ISO-8601 UTC ``timestamp``, ``level``, ``logger`` and ``event``; a traceback goes
in ``exception``. The file rotates at ``LOG_FILE_BYTES`` and keeps ``LOG_FILES_KEPT`` old files,
so the logs never take more than about 50 MB of disk whatever goes wrong. Support reads the last
days of them from the files (``recent_log_lines``); stderr keeps the human-readable lines.
"""

from __future__ import annotations

import gzip
import json
import logging
import logging.handlers
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import structlog

from asiria_desktop.ports.support_logs import LogBundle

LOG_FILE_NAME = "till.log"
LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILES_KEPT = 9
HANDLER_NAME = "asiria-json-file"

_PRE_CHAIN: list[object] = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=_PRE_CHAIN,  # type: ignore[arg-type]
    )


def add_json_file_log(
    directory: Path,
    level: int | str = logging.INFO,
    *,
    max_bytes: int = LOG_FILE_BYTES,
    files_kept: int = LOG_FILES_KEPT,
) -> Path:
    """Add the rotating JSON file to the root logger (once: a second call replaces the first)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=files_kept, encoding="utf-8", delay=True
    )
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(json_formatter())
    handler.setLevel(level)
    root.addHandler(handler)
    return path


def log_files(directory: Path) -> list[Path]:
    """The log files, oldest first (``till.log.9`` ... ``till.log.1``, ``till.log``)."""
    if not directory.is_dir():
        return []
    rotated = [p for p in directory.glob(f"{LOG_FILE_NAME}.*") if p.suffix[1:].isdigit()]
    rotated.sort(key=lambda p: int(p.suffix[1:]), reverse=True)
    current = directory / LOG_FILE_NAME
    return rotated + ([current] if current.exists() else [])


@dataclass(frozen=True)
class LogExtract:
    """The lines of the last days, gzip-compressed, with what they cover."""

    gzipped: bytes
    lines: int
    first_at: str | None
    last_at: str | None
    truncated: bool  # the oldest lines were left out to stay under the size limit


def recent_log_lines(
    directory: Path, *, days: int, now: datetime, max_gzip_bytes: int
) -> LogExtract:
    """Every JSON line logged in the last ``days`` days (by its ``timestamp``), gzip-compressed.

    When the result would be larger than ``max_gzip_bytes``, the oldest lines are dropped
    (the newest are what support needs) and ``truncated`` says so."""
    since = now - timedelta(days=days)
    kept: list[tuple[str, bytes]] = []
    for path in log_files(directory):
        with path.open("rb") as handle:
            for raw in handle:
                stamp = _timestamp(raw)
                if stamp is not None and stamp >= since:
                    kept.append((stamp.isoformat(), raw if raw.endswith(b"\n") else raw + b"\n"))
    truncated = False
    body = gzip.compress(b"".join(line for _, line in kept), mtime=0)
    while len(body) > max_gzip_bytes and kept:
        truncated = True
        ratio = max_gzip_bytes / len(body)
        kept = kept[len(kept) - int(len(kept) * ratio * 0.9) :]
        body = gzip.compress(b"".join(line for _, line in kept), mtime=0)
    return LogExtract(
        gzipped=body,
        lines=len(kept),
        first_at=kept[0][0] if kept else None,
        last_at=kept[-1][0] if kept else None,
        truncated=truncated,
    )


def _timestamp(raw: bytes) -> datetime | None:
    try:
        record = json.loads(raw)
        stamp = datetime.fromisoformat(str(record["timestamp"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        return None  # a line cut by a power failure, or not ours: skipped
    return stamp if stamp.tzinfo is not None else None


# Room for the JSON and base64 around the file in a request the cloud takes (2 MiB bodies).
SEND_MAX_GZIP_BYTES = 1024 * 1024


class FileLogSource:
    """``ports.support_logs.LogSource`` over this till's log folder."""

    def __init__(self, directory: Path, max_gzip_bytes: int = SEND_MAX_GZIP_BYTES) -> None:
        self._directory = directory
        self._max = max_gzip_bytes

    def recent(self, days: int) -> LogBundle:
        from datetime import UTC

        for handler in logging.getLogger().handlers:  # what was just logged is in the file
            handler.flush()
        extract = recent_log_lines(
            self._directory, days=days, now=datetime.now(UTC), max_gzip_bytes=self._max
        )
        return LogBundle(
            extract.gzipped, extract.lines, extract.first_at, extract.last_at, extract.truncated
        )
