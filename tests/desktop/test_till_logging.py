"""The till's JSON log files: one object per line, rotated with limits, the last days extracted."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from asiria_desktop.till_logging import (
    HANDLER_NAME,
    add_json_file_log,
    log_files,
    recent_log_lines,
)


@pytest.fixture
def file_log(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "logs"
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)  # as the till runs (config log_level)
    yield directory
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_record_is_one_json_line_with_time_level_logger_and_traceback(
    file_log: Path,
) -> None:
    path = add_json_file_log(file_log)
    log = logging.getLogger("asiria_desktop.test")
    log.info("sale %s saved", "S01-T01-000017")
    try:
        raise ValueError("printer cover open")
    except ValueError:
        log.exception("printing failed")
    first, second = lines_of(path)[-2:]
    assert first["event"] == "sale S01-T01-000017 saved"
    assert first["level"] == "info"
    assert first["logger"] == "asiria_desktop.test"
    assert datetime.fromisoformat(first["timestamp"].replace("Z", "+00:00")).tzinfo is not None
    assert second["level"] == "error"
    assert "ValueError: printer cover open" in second["exception"]


def test_files_rotate_at_the_size_limit_and_only_so_many_are_kept(file_log: Path) -> None:
    add_json_file_log(file_log, max_bytes=2_000, files_kept=3)
    log = logging.getLogger("asiria_desktop.test")
    for n in range(400):
        log.info("line %d %s", n, "x" * 40)
    files = log_files(file_log)
    assert [p.name for p in files] == ["till.log.3", "till.log.2", "till.log.1", "till.log"]
    assert all(p.stat().st_size <= 2_000 for p in files)
    last = lines_of(files[-1])[-1]
    assert last["event"].startswith("line 399 ")


def test_a_second_setup_does_not_write_every_line_twice(file_log: Path) -> None:
    add_json_file_log(file_log)
    path = add_json_file_log(file_log)
    logging.getLogger("asiria_desktop.test").warning("only once")
    assert sum(1 for r in lines_of(path) if r["event"] == "only once") == 1


def write_lines(path: Path, stamps: list[datetime]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for n, stamp in enumerate(stamps):
            record = {"timestamp": stamp.isoformat(), "level": "info", "event": f"e{n} " + "y" * n}
            handle.write(json.dumps(record) + "\n")


NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_the_extract_holds_the_last_days_from_every_file_oldest_first(tmp_path: Path) -> None:
    directory = tmp_path / "logs"
    write_lines(directory / "till.log.2", [NOW - timedelta(days=9), NOW - timedelta(days=4)])
    write_lines(directory / "till.log.1", [NOW - timedelta(days=2, hours=1)])
    write_lines(directory / "till.log", [NOW - timedelta(hours=1)])
    (directory / "till.log").open("a").write('{"timestamp": "2026-12-05T11:5')  # cut off

    extract = recent_log_lines(directory, days=3, now=NOW, max_gzip_bytes=2 * 1024 * 1024)
    lines = [json.loads(x) for x in gzip.decompress(extract.gzipped).splitlines()]
    assert [x["timestamp"] for x in lines] == [
        (NOW - timedelta(days=2, hours=1)).isoformat(),
        (NOW - timedelta(hours=1)).isoformat(),
    ]
    assert extract.lines == 2 and not extract.truncated
    assert extract.first_at == (NOW - timedelta(days=2, hours=1)).isoformat()


def test_an_extract_over_the_limit_keeps_the_newest_lines(tmp_path: Path) -> None:
    import random

    directory = tmp_path / "logs"
    rng = random.Random(7)
    directory.mkdir()
    with (directory / "till.log").open("a") as handle:
        for n in range(3000):
            stamp = NOW - timedelta(seconds=3000 - n)
            noise = "".join(rng.choice("abcdefghij0123456789") for _ in range(200))
            handle.write(json.dumps({"timestamp": stamp.isoformat(), "event": noise}) + "\n")

    extract = recent_log_lines(directory, days=1, now=NOW, max_gzip_bytes=50_000)
    assert extract.truncated
    assert len(extract.gzipped) <= 50_000
    lines = gzip.decompress(extract.gzipped).splitlines()
    assert 0 < len(lines) == extract.lines < 3000
    assert json.loads(lines[-1])["timestamp"] == (NOW - timedelta(seconds=1)).isoformat()
