"""Refunds against an original receipt: partial, never more than was sold, pro-rata to what the
customer actually paid for each line (after every discount), tax included.

Amounts are cumulative: refunding ``k`` more of a line of ``n`` that paid ``T``, when ``r`` are
already refunded, gives ``round(T*(r+k)/n) - round(T*r/n)``. Whatever the sequence of partial
refunds, a line refunded in full gives back exactly ``T`` (and its tax exactly), never a cent more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .cart import PAYMENT_LABELS, PaymentMethod
from .errors import LineNotFound, RefundError
from .json_types import JsonObject
from .money import div_round_half_up, format_amount, format_weight
from .sale import CompletedSale, SaleLine, quantity_units
from .text import one_line
from .times import require_aware, rfc3339


@dataclass(frozen=True, slots=True)
class RefundLineRequest:
    sale_line_id: str
    qty: int | None = None
    qty_milli: int | None = None


@dataclass(frozen=True, slots=True)
class RefundLine:
    id: str
    sale_line_id: str
    product_id: str
    name: str
    qty: int | None
    qty_milli: int | None
    total_cents: int
    tax_cents: int

    @property
    def quantity_units(self) -> int:
        return quantity_units(self.qty, self.qty_milli)

    def to_payload(self) -> JsonObject:
        return {
            "id": self.id,
            "sale_line_id": self.sale_line_id,
            "product_id": self.product_id,
            "name": self.name,
            "qty": self.qty,
            "qty_milli": self.qty_milli,
            "total_cents": self.total_cents,
            "tax_cents": self.tax_cents,
        }


@dataclass(frozen=True, slots=True)
class Refund:
    id: str
    sale_id: str
    receipt_no: str
    lines: tuple[RefundLine, ...]
    method: PaymentMethod
    total_cents: int
    tax_cents: int
    created_at: datetime
    approved_by: str | None
    cashier_id: str
    shift_id: str | None = None
    reason: str = ""
    refund_no: str = ""  # the refund's own number, "S01-T01-R000001" (empty on old records)

    def to_payload(self) -> JsonObject:
        """The ``refund.created`` payload (docs/events.md)."""
        payload: JsonObject = {
            "id": self.id,
            "sale_id": self.sale_id,
            "receipt_no": self.receipt_no,
            "shift_id": self.shift_id,
            "cashier_id": self.cashier_id,
            "approved_by": self.approved_by,
            "created_at": rfc3339(self.created_at),
            "method": str(self.method),
            "reason": one_line(self.reason),
            "lines": [line.to_payload() for line in self.lines],
            "total_cents": self.total_cents,
            "tax_cents": self.tax_cents,
        }
        if self.refund_no:
            payload["refund_no"] = self.refund_no
        return payload


@dataclass(frozen=True, slots=True)
class RefundableLine:
    """A sale line with what is left to refund, in its own unit (pieces or thousandths)."""

    sale_line: SaleLine
    refunded_units: int
    refunded_cents: int

    @property
    def sold_units(self) -> int:
        return self.sale_line.quantity_units

    @property
    def remaining_units(self) -> int:
        return self.sold_units - self.refunded_units

    @property
    def remaining_qty(self) -> int | None:
        return self.remaining_units if self.sale_line.qty is not None else None

    @property
    def remaining_qty_milli(self) -> int | None:
        return self.remaining_units if self.sale_line.qty_milli is not None else None

    @property
    def remaining_cents(self) -> int:
        return self.sale_line.total_cents - self.refunded_cents


def _refunded(
    sale: CompletedSale, previous: Iterable[Refund]
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    units: dict[str, int] = {}
    cents: dict[str, int] = {}
    tax: dict[str, int] = {}
    for refund in previous:
        if refund.sale_id != sale.id:
            continue
        for line in refund.lines:
            units[line.sale_line_id] = units.get(line.sale_line_id, 0) + line.quantity_units
            cents[line.sale_line_id] = cents.get(line.sale_line_id, 0) + line.total_cents
            tax[line.sale_line_id] = tax.get(line.sale_line_id, 0) + line.tax_cents
    return units, cents, tax


def refundable_lines(
    sale: CompletedSale, previous_refunds: Iterable[Refund]
) -> list[RefundableLine]:
    units, cents, _ = _refunded(sale, previous_refunds)
    return [
        RefundableLine(line, units.get(line.id, 0), cents.get(line.id, 0)) for line in sale.lines
    ]


def _share(total: int, done_units: int, more_units: int, sold_units: int) -> int:
    after = div_round_half_up(total * (done_units + more_units), sold_units)
    before = div_round_half_up(total * done_units, sold_units)
    return after - before


def build_refund(
    sale: CompletedSale,
    requests: Sequence[RefundLineRequest],
    previous_refunds: Sequence[Refund],
    refund_id: str,
    id_factory: Callable[[], str],
    method: PaymentMethod | str,
    created_at: datetime,
    approved_by: str | None,
    *,
    cashier_id: str | None = None,
    shift_id: str | None = None,
    reason: str = "",
    refund_no: str = "",
) -> Refund:
    """Build a refund, or raise ``RefundError``/``LineNotFound`` with a message for the cashier.

    ``cashier_id`` is who gives the money back (default: the sale's cashier). A card or M-Pesa
    refund can't exceed what the sale took by that method, less earlier refunds by it.
    """
    require_aware(created_at, "created_at")
    method = PaymentMethod(method)
    if not requests:
        raise RefundError("Choose at least one item to refund.")
    units, cents, tax = _refunded(sale, previous_refunds)
    seen: set[str] = set()
    lines: list[RefundLine] = []
    for request in requests:
        try:
            line = sale.line(request.sale_line_id)
        except KeyError:
            raise LineNotFound(f"That item is not on receipt {sale.receipt_no}.") from None
        if line.id in seen:
            raise RefundError(f"{line.name} is listed twice. Enter its quantity once.")
        seen.add(line.id)
        wanted = _requested_units(line, request)
        done = units.get(line.id, 0)
        left = line.quantity_units - done
        if wanted > left:
            raise RefundError(_too_many(line, left))
        lines.append(
            RefundLine(
                id=id_factory(),
                sale_line_id=line.id,
                product_id=line.product_id,
                name=line.name,
                qty=wanted if line.qty is not None else None,
                qty_milli=wanted if line.qty_milli is not None else None,
                total_cents=_share(line.total_cents, done, wanted, line.quantity_units),
                tax_cents=_share(line.tax_cents, done, wanted, line.quantity_units),
            )
        )
        # Guard the invariant the cloud relies on (cumulative rounding already ensures it).
        assert cents.get(line.id, 0) + lines[-1].total_cents <= line.total_cents
        assert tax.get(line.id, 0) + lines[-1].tax_cents <= line.tax_cents
    total = sum(line.total_cents for line in lines)
    if method is not PaymentMethod.CASH:
        taken = sale.paid_by(method) - sum(
            r.total_cents for r in previous_refunds if r.sale_id == sale.id and r.method is method
        )
        if total > taken:
            label = PAYMENT_LABELS[method]
            raise RefundError(
                f"Only {format_amount(max(taken, 0), sale.currency)} can go back by {label}: "
                "refund the rest in cash."
            )
    return Refund(
        id=refund_id,
        sale_id=sale.id,
        receipt_no=sale.receipt_no,
        lines=tuple(lines),
        method=method,
        total_cents=total,
        tax_cents=sum(line.tax_cents for line in lines),
        created_at=created_at,
        approved_by=approved_by,
        cashier_id=cashier_id or sale.cashier_id,
        shift_id=shift_id,
        reason=reason,
        refund_no=refund_no,
    )


def format_refund_no(store_code: str, terminal_code: str, seq: int) -> str:
    """``("S01", "T01", 1)`` -> ``"S01-T01-R000001"``: a refund's own number, from a per-terminal
    sequence of its own; the ``R`` keeps it apart from every receipt number of the same till."""
    if seq < 1:
        raise ValueError("refund sequence numbers start at 1")
    return f"{store_code}-{terminal_code}-R{seq:06d}"


def _requested_units(line: SaleLine, request: RefundLineRequest) -> int:
    if line.qty is not None:
        if request.qty_milli is not None or request.qty is None:
            raise RefundError(f"{line.name} was sold by count: enter how many to refund.")
        value = request.qty
    else:
        if request.qty is not None or request.qty_milli is None:
            raise RefundError(f"{line.name} was sold by weight: enter the weight to refund.")
        value = request.qty_milli
    if value < 1:
        raise RefundError(f"Enter a quantity of {line.name} to refund (more than zero).")
    return value


def _too_many(line: SaleLine, left: int) -> str:
    if left == 0:
        return f"{line.name} has already been refunded in full."
    if line.qty is not None:
        return f"Only {left} of {line.name} can still be refunded."
    return f"Only {format_weight(left)} kg of {line.name} can still be refunded."
