"""Fixtures every test gets, whatever its layer."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

# python-escpos caches its printer database as a pickle in ESCPOS_CAPABILITIES_PICKLE_DIR (a
# new temporary folder per process unless set), rewritten on the first import after an
# install. One folder for the whole run, set before pytest-xdist starts its workers (they
# inherit the environment).
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(tempfile.gettempdir()) / "asiria-test-escpos")
)


def pytest_configure(config: pytest.Config) -> None:
    """In the one process that starts the pytest-xdist workers, before it starts them: write
    python-escpos's pickle once, so no worker reads half of it while another writes it."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(ImportError):  # a checkout with only the cloud installed
            import escpos.capabilities  # noqa: F401


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Two tests with one node id are one test to pytest-xdist, which then runs only one of
    them: refuse such a collection rather than lose tests in silence."""
    twice = [nodeid for nodeid, n in Counter(item.nodeid for item in items).items() if n > 1]
    if twice:
        raise pytest.UsageError(f"tests sharing a node id: {', '.join(twice[:5])}")


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """``asiria`` (cli.main) sets up the root logger for the process, with a handler on the
    stderr of the moment: in a test that is pytest's capture, closed once the test ends.
    Put the root logger back after each test so no later test logs into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
