"""Barcodes: what the scanner sends becomes one lookup code, and bad scans say so plainly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.barcodes import (
    BarcodeKind,
    VariableMeasureLayout,
    expand_upce,
    gs1_check_digit,
    is_valid_gs1,
    normalise_barcode,
    parse_code,
)
from asiria_desktop.domain.errors import InvalidBarcode


def with_check(body: str) -> str:
    return body + str(gs1_check_digit(body))


@pytest.mark.parametrize(
    "code", ["5449000000996", "6161002500401", "4006381333931", "96385074", "036000291452"]
)
def test_real_product_codes_are_valid(code: str) -> None:
    assert is_valid_gs1(code)


@given(st.text(alphabet="0123456789", min_size=7, max_size=17))
def test_check_digit_round_trips(body: str) -> None:
    code = with_check(body)
    assert is_valid_gs1(code)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not is_valid_gs1(wrong)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11))
def test_a_single_mistyped_digit_is_caught(body: str, position: int) -> None:
    code = with_check(body)
    digit = (int(code[position]) + 1) % 10
    typo = code[:position] + str(digit) + code[position + 1 :]
    assert not is_valid_gs1(typo)


@pytest.mark.parametrize(
    ("upce", "upca"),
    [
        ("04252614", "042100005264"),  # last digit 1: manufacturer 42 1 00
        ("01234565", "012345000065"),  # last digit 5..9
        ("01234531", "012300000451"),  # last digit 3
        ("01234543", "012340000053"),  # last digit 4
        ("0425261", "042100005264"),  # no check digit
        ("425261", "042100005264"),  # number system 0 assumed
    ],
)
def test_upce_expands_to_upca(upce: str, upca: str) -> None:
    assert expand_upce(upce) == upca
    assert is_valid_gs1(upca)


def test_upce_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidBarcode, match="Scan it again"):
        expand_upce("04252615")


def test_ean13_scan_with_trailing_enter_is_one_clean_code() -> None:
    parsed = parse_code("5449000000996\r\n")
    assert parsed.kind is BarcodeKind.EAN13
    assert parsed.raw == "5449000000996"
    assert parsed.lookup_code == "5449000000996"
    assert parse_code("\t5449000000996\n") == parsed


def test_all_gs1_codes_are_looked_up_as_13_digits() -> None:
    assert parse_code("036000291452").kind is BarcodeKind.UPCA
    assert parse_code("036000291452").lookup_code == "0036000291452"
    assert parse_code("96385074").kind is BarcodeKind.EAN8
    assert parse_code("96385074").lookup_code == "0000096385074"
    upce = parse_code("04252614")
    assert upce.kind is BarcodeKind.UPCE
    assert upce.lookup_code == "0042100005264"
    # A UPC-A and the EAN-13 printed on the same product find the same catalog row.
    assert normalise_barcode("0036000291452") == normalise_barcode("036000291452")


def test_bad_check_digit_is_a_plain_message_not_a_crash() -> None:
    with pytest.raises(InvalidBarcode) as error:
        parse_code("5449000000997")
    assert "didn't scan correctly" in error.value.message
    assert "search by name" in error.value.message


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "Nothing was scanned"),
        ("   \r\n", "Nothing was scanned"),
        ("x" * 65, "too long"),
        ("12\x0034", "unreadable"),
    ],
)
def test_unusable_input_raises_invalid_barcode(raw: str, hint: str) -> None:
    with pytest.raises(InvalidBarcode, match=hint):
        parse_code(raw)


@given(st.text(max_size=80))
def test_parse_code_never_crashes(raw: str) -> None:
    try:
        parsed = parse_code(raw)
    except InvalidBarcode as error:
        assert error.message
    else:
        assert parsed.lookup_code
        assert parsed.lookup_code == parsed.lookup_code.strip()


def test_skus_and_free_text_codes() -> None:
    assert parse_code("SKU-001").kind is BarcodeKind.SKU
    assert parse_code("12345").kind is BarcodeKind.SKU  # a short internal PLU
    assert parse_code("12345").lookup_code == "12345"
    code128 = parse_code("ABC 123+XYZ")
    assert code128.kind is BarcodeKind.CODE128
    assert code128.lookup_code == "ABC 123+XYZ"


def test_variable_measure_price_label() -> None:
    label = with_check("20" + "12345" + "01503")  # item 12345, price 15.03
    parsed = parse_code(label)
    assert parsed.kind is BarcodeKind.VARIABLE_MEASURE
    assert parsed.embedded_price_cents == 1503
    assert parsed.embedded_qty_milli is None
    layout = VariableMeasureLayout.default()
    assert parsed.lookup_code == layout.base_code("20", "12345") == "2012345000001"
    # Two labels of the same item with different prices find the same product.
    other = parse_code(with_check("2012345" + "99999"))
    assert other.lookup_code == parsed.lookup_code


def test_variable_measure_weight_label_and_whole_shilling_prices() -> None:
    weight = VariableMeasureLayout(value_kind="weight")
    parsed = parse_code(with_check("21" + "00042" + "01250"), weight)
    assert parsed.embedded_qty_milli == 1250
    assert parsed.embedded_price_cents is None
    shillings = VariableMeasureLayout(price_unit_cents=100)
    assert parse_code(with_check("2200042" + "01250"), shillings).embedded_price_cents == 125000


def test_variable_measure_layout_is_configurable() -> None:
    layout = VariableMeasureLayout(prefixes=("2",), item_digits=6, value_digits=5)
    parsed = parse_code(with_check("2" + "123456" + "00750"), layout)
    assert parsed.embedded_price_cents == 750
    assert parsed.lookup_code == layout.base_code("2", "123456")
    # Outside the prefixes, a 2x code is an ordinary EAN-13 for the default layout.
    assert parse_code(with_check("200000000001"), VariableMeasureLayout(prefixes=("29",))).kind is (
        BarcodeKind.EAN13
    )
    with pytest.raises(ValueError, match="must be 12"):
        VariableMeasureLayout(item_digits=4)


def test_a_label_with_no_value_asks_to_weigh_again() -> None:
    with pytest.raises(InvalidBarcode, match="Weigh the item again"):
        parse_code(with_check("2012345" + "00000"))


@given(
    st.sampled_from(["20", "21", "25", "29"]),
    st.text(alphabet="0123456789", min_size=5, max_size=5),
    st.integers(1, 99999),
)
def test_variable_measure_parsing_round_trips(prefix: str, item: str, value: int) -> None:
    parsed = parse_code(with_check(f"{prefix}{item}{value:05d}"))
    assert parsed.embedded_price_cents == value
    assert parsed.lookup_code.startswith(prefix + item)
    assert is_valid_gs1(parsed.lookup_code)


def test_weighed_products_are_stored_under_their_base_code() -> None:
    layout = VariableMeasureLayout.default()
    base = layout.base_code("20", "00042")
    assert normalise_barcode(base) == base
    assert normalise_barcode(with_check("2000042" + "01503")) == base
    assert parse_code(with_check("2000042" + "01503")).lookup_code == base
    assert normalise_barcode(" 036000291452\n") == "0036000291452"
