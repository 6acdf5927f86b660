"""Keyboard-wedge scanners told apart from people by keystroke timing (explicit timestamps)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.services.sale.wedge import WedgeDetector


def type_keys(detector: WedgeDetector, text: str, start_ms: float, gaps_ms: list[float]) -> float:
    """Feed ``text`` with the given gaps before each key after the first; returns the last time."""
    t = start_ms
    for index, char in enumerate(text):
        if index:
            t += gaps_ms[(index - 1) % len(gaps_ms)]
        assert detector.feed(char, t) is None
    return t


def test_a_scanner_burst_ending_with_enter_is_a_scan():
    detector = WedgeDetector()
    last = type_keys(detector, "5901234123457", 1000, [8, 12, 9, 15])  # 8-15 ms per key
    assert detector.feed_terminator(last + 10) == "5901234123457"
    assert detector.pending == ""


def test_a_person_typing_digits_and_enter_is_never_a_scan():
    detector = WedgeDetector()
    last = type_keys(detector, "1234", 0, [140, 95, 180])  # a quick typist: 95-180 ms
    assert detector.feed_terminator(last + 120) is None


def test_a_fast_typist_with_one_quick_pair_is_still_not_a_scan():
    detector = WedgeDetector()
    last = type_keys(detector, "2500", 0, [90, 20, 110])  # two keys rolled over, 20 ms apart
    assert detector.feed_terminator(last + 25) is None


def test_enter_pressed_by_hand_after_a_burst_is_not_a_scan():
    detector = WedgeDetector()
    last = type_keys(detector, "96385074", 0, [10])
    assert detector.feed_terminator(last + 300) is None  # the scanner sends Enter at once


def test_too_short_a_burst_is_not_a_scan():
    detector = WedgeDetector(min_length=4)
    last = type_keys(detector, "123", 0, [10])
    assert detector.feed_terminator(last + 10) is None


def test_a_scan_right_after_slow_typing_keeps_only_the_scanned_code():
    detector = WedgeDetector()
    last = type_keys(detector, "qty", 0, [150, 170])
    start = last + 400
    last = type_keys(detector, "6161002500401", start, [11])
    assert detector.feed_terminator(last + 9) == "6161002500401"


def test_two_scans_in_a_row():
    detector = WedgeDetector()
    last = type_keys(detector, "96385074", 0, [10])
    assert detector.feed_terminator(last + 10) == "96385074"
    last = type_keys(detector, "5449000000996", last + 600, [10])
    assert detector.feed_terminator(last + 10) == "5449000000996"


def test_letters_and_dashes_scan_too_code128():
    detector = WedgeDetector()
    last = type_keys(detector, "S01-T02-000123", 0, [6])
    assert detector.feed_terminator(last + 6) == "S01-T02-000123"


def test_a_control_key_breaks_the_burst():
    detector = WedgeDetector()
    t = type_keys(detector, "5901", 0, [10])
    detector.feed("\x08", t + 10)  # backspace
    t = type_keys(detector, "234", t + 20, [10])
    assert detector.feed_terminator(t + 10) is None


def test_in_burst_and_pending_let_the_ui_hold_keys_back():
    detector = WedgeDetector()
    detector.feed("5", 0)
    assert not detector.in_burst
    detector.feed("9", 8)
    assert detector.in_burst and detector.pending == "59"
    detector.feed("0", 300)
    assert not detector.in_burst and detector.pending == "0"


def test_scanners_without_a_terminator_finish_on_silence():
    detector = WedgeDetector(require_terminator=False)
    last = type_keys(detector, "96385074", 0, [10])
    assert detector.flush(last + 20) is None  # still within the burst
    assert detector.flush(last + 50) == "96385074"
    last = type_keys(detector, "5449000000996", 1000, [10])
    assert detector.feed("x", last + 500) == "5449000000996"  # the next key closes it


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        WedgeDetector(max_interval_ms=0)
    with pytest.raises(ValueError):
        WedgeDetector(min_length=10, max_length=5)


@given(
    text=st.text(alphabet="0123456789", min_size=4, max_size=20),
    gaps=st.lists(st.floats(min_value=60, max_value=400), min_size=1, max_size=20),
    enter_gap=st.floats(min_value=0, max_value=400),
)
def test_human_paced_typing_is_never_a_scan(text, gaps, enter_gap):
    detector = WedgeDetector()
    last = type_keys(detector, text, 0, gaps)
    assert detector.feed_terminator(last + enter_gap) is None


@given(
    text=st.text(alphabet="0123456789ABCDEF-", min_size=4, max_size=40),
    gaps=st.lists(st.floats(min_value=1, max_value=35), min_size=1, max_size=40),
    enter_gap=st.floats(min_value=1, max_value=35),
)
def test_any_fast_burst_with_enter_is_the_scanned_code(text, gaps, enter_gap):
    detector = WedgeDetector()
    last = type_keys(detector, text, 5000, gaps)
    assert detector.feed_terminator(last + enter_gap) == text
