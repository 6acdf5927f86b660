"""Fixtures every test gets, whatever its layer."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


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
