"""Fixtures of the hardware adapter tests, and the rule that ``@pytest.mark.hardware`` tests
need real devices (``ASIRIA_HARDWARE_TESTS=1``)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from asiria_desktop.domain.receipt import ReceiptDocument
from tests.desktop.no_network import _no_network  # noqa: F401

from .support import FakeNetworkPrinter, sample_doc

# python-escpos's cache folder: tests/conftest.py sets it for the whole run.


@pytest.fixture(autouse=True)
def _real_devices_only_when_asked(request: pytest.FixtureRequest) -> None:
    if (
        request.node.get_closest_marker("hardware")
        and os.environ.get("ASIRIA_HARDWARE_TESTS") != "1"
    ):
        pytest.skip("needs a real device: set ASIRIA_HARDWARE_TESTS=1")


@pytest.fixture
def doc() -> ReceiptDocument:
    return sample_doc()


@pytest.fixture
def network_printer() -> Iterator[FakeNetworkPrinter]:
    printer = FakeNetworkPrinter()
    yield printer
    printer.close()
