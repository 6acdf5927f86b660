"""Purchase orders in the dashboard: the list (by store and status) and one order, where an
owner or the store's manager checks a draft made from the reorder suggestions, changes its
quantities or takes lines out, then confirms it (it becomes an order placed) or discards it.
The rules are the API's: who may write is ``PURCHASE_ROLES``, whose orders the purchases
selector's store scope; the changes go through the purchases services."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cloud_api.accounts.models import Organisation
from cloud_api.accounts.selectors import store_list
from cloud_api.core.errors import ApplicationError
from cloud_api.core.principal import Principal
from cloud_api.dashboard.access import dashboard_view
from cloud_api.dashboard.periods import local_today
from cloud_api.dashboard.purchase_forms import DraftEdit, draft_edit, typed_quantity
from cloud_api.dashboard.rows import OrderLineRow
from cloud_api.purchases import selectors, services
from cloud_api.purchases.models import OrderStatus, PurchaseOrder, PurchaseOrderLine
from cloud_api.purchases.services import PURCHASE_ROLES

LIST_SIZE = 100


def may_write(principal: Principal) -> bool:
    return principal.role in PURCHASE_ROLES["write"]


def line_total(line: PurchaseOrderLine) -> int:
    """The line's quantity at its unit cost, in whole cents."""
    return (line.quantity_milli * line.cost_price_cents + 500) // 1000


def order_total(order: PurchaseOrder) -> int:
    return sum(line_total(line) for line in order.lines.all())


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


@require_http_methods(["GET", "HEAD"])
@dashboard_view
def purchase_orders(request: HttpRequest, principal: Principal) -> HttpResponse:
    organisation = Organisation.objects.get(pk=principal.organisation_id)
    stores = list(store_list(principal=principal))
    store = next((s for s in stores if s.uuid == _uuid(request.GET.get("store"))), None)
    wanted = request.GET.get("status", "")
    status = wanted if wanted in OrderStatus.values else ""
    orders = selectors.purchase_order_list(principal=principal)
    if store is not None:
        orders = orders.filter(store=store)
    if status:
        orders = orders.filter(status=status)
    rows = [{"order": order, "total_cents": order_total(order)} for order in orders[:LIST_SIZE]]
    context = {
        "organisation": organisation,
        "currency": organisation.currency,
        "section": "purchases",
        "stores": stores,
        "store": store,
        "status": status,
        "statuses": OrderStatus.choices,
        "rows": rows,
        "more": orders.count() > LIST_SIZE,
    }
    return render(request, "dashboard/purchase_orders.html", context)


def _order(principal: Principal, order_id: UUID) -> PurchaseOrder:
    order = selectors.purchase_order_list(principal=principal).filter(uuid=order_id).first()
    if order is None:
        raise Http404("No such purchase order.")
    return order


def _refused(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    context = {"problem": [problem], "problem_title": "That purchase order was not changed"}
    return render(request, "dashboard/refused.html", context, status=status)


def _page(
    request: HttpRequest,
    principal: Principal,
    order: PurchaseOrder,
    edit: DraftEdit | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = Organisation.objects.get(pk=principal.organisation_id)
    today = local_today(organisation.time_zone)
    editable = may_write(principal) and order.status == OrderStatus.DRAFT
    lines: list[OrderLineRow] = [
        {
            "line": line,
            "total_cents": line_total(line),
            "typed": (
                edit.entered.get(line.uuid, typed_quantity(line.quantity_milli))
                if edit is not None
                else typed_quantity(line.quantity_milli)
            ),
            "removed": edit is not None and line.uuid in edit.removed,
            "error": edit.errors.get(line.uuid) if edit is not None else None,
        }
        for line in order.lines.all()
    ]
    context = {
        "organisation": organisation,
        "currency": organisation.currency,
        "section": "purchases",
        "order": order,
        "lines": lines,
        "total_cents": order_total(order),
        # Lines with no cost yet add nothing to the total: the total says how many it leaves out.
        "uncosted": sum(1 for row in lines if not row["line"].cost_price_cents),
        "editable": editable,
        "may_write": may_write(principal),
        "arrival": today + timedelta(days=order.supplier.lead_time_days),
        "problem": problem,
        "back": reverse("dashboard:purchase-orders"),
    }
    return render(request, "dashboard/purchase_order.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@dashboard_view
def purchase_order(request: HttpRequest, principal: Principal, order_id: UUID) -> HttpResponse:
    """GET: the order. POST ``action=save`` keeps the changes to a draft; ``action=confirm``
    keeps them and places the order, in one transaction."""
    order = _order(principal, order_id)
    if request.method != "POST":
        return _page(request, principal, order)
    if not may_write(principal):
        return _refused(request, "Only an owner or the store's manager can change orders.", 403)
    action = request.POST.get("action")
    if action not in ("save", "confirm"):
        return _page(request, principal, order, problem="Choose Save or Confirm.", status=400)
    edit = draft_edit(request.POST, list(order.lines.all()))
    if not edit.valid:
        problem = "Some quantities need another look; nothing was changed."
        return _page(request, principal, order, edit, problem, status=400)
    try:
        with transaction.atomic():
            services.purchase_order_draft_edit(
                order=order, quantities=edit.quantities, removed=edit.removed
            )
            if action == "confirm":
                services.purchase_order_confirm(order=order)
    except ApplicationError as error:
        return _page(
            request, principal, _order(principal, order_id), edit, error.message, status=400
        )
    name = f"Order {order.uuid.hex[:8]} to {order.supplier.name}"
    if action == "confirm":
        messages.success(request, f"{name} is confirmed: it is now ordered.")
    else:
        messages.success(request, f"{name}: changes saved. It is still a draft.")
    return redirect("dashboard:purchase-order", order_id=order.uuid)


@require_POST
@dashboard_view
def purchase_order_discard(
    request: HttpRequest, principal: Principal, order_id: UUID
) -> HttpResponse:
    """A draft nobody wants is cancelled (kept, not deleted, like any cancelled order)."""
    order = _order(principal, order_id)
    if not may_write(principal):
        return _refused(request, "Only an owner or the store's manager can change orders.", 403)
    if order.status != OrderStatus.DRAFT:
        return _page(
            request, principal, order, problem="Only a draft can be discarded.", status=409
        )
    services.purchase_order_cancel(order=order)
    messages.success(request, f"Draft {order.uuid.hex[:8]} to {order.supplier.name} discarded.")
    return redirect(f"{reverse('dashboard:purchase-orders')}?status=draft")
