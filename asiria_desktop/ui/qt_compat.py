"""Work around a reference-count bug in PySide6's `SignalInstance.emit`.

PySide6 6.12 returns `True` from `emit()` without taking a new reference to it, so every emit made
from Python takes one reference away from the `True` singleton. Python 3.11 has about 600 of them
at start: after a few hundred signals the interpreter aborts with "bool_dealloc: deallocating True
or False". On import we measure whether the installed PySide6 has the bug, and `emit()` gives the
reference back when it does (a no-op on a fixed PySide6, or on Python 3.12+ where True is immortal).
Every signal the till's own code emits goes through `emit()`.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBES = 20
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _give_back(count: int) -> None:
    for _ in range(count):
        _incref(True)


def _emit_drops_a_reference_to_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:
        _give_back(lost)  # the probe's own losses
    return lost >= _PROBES // 2


_DROPS_TRUE = _emit_drops_a_reference_to_true()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, safe from the leak described above."""
    signal.emit(*args)
    if _DROPS_TRUE:
        _incref(True)
