"""Two tills selling the same products at the same moment: both sales count, none is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Count, Sum

from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.sales.models import Sale


def record_at_once(org, work: list[tuple]) -> list[BaseException]:
    """Record these (store, payload) sales from four threads started together, each with its
    own database connection; returns what any of them raised."""
    from cloud_api.sales.serializers import SaleIn
    from cloud_api.sales.services import sale_record

    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def till(chunk: list[tuple]) -> None:
        try:
            barrier.wait()
            for store, payload in chunk:
                data = SaleIn(data=payload)
                data.is_valid(raise_exception=True)
                values = dict(data.validated_data)
                values.pop("store_id")
                sale_record(organisation=org.organisation, store=store, payload=values)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=till, args=(work[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_of_the_same_products_all_land(org_a):

    coke, tomatoes = org_a.products
    payloads = []
    for index in range(8):
        # Opposite line orders: a naive lock order would deadlock here.
        items = [(coke, 1, None), (tomatoes, None, 500)]
        payloads.append(org_a.make_sale(items=items if index % 2 else items[::-1]))
    assert record_at_once(org_a, [(org_a.stores[0], payload) for payload in payloads]) == []
    assert Sale.objects.count() == 8
    assert StockLevel.objects.get(store=org_a.stores[0], product=coke).on_hand_milli == -8000
    assert StockLevel.objects.get(store=org_a.stores[0], product=tomatoes).on_hand_milli == -4000
    assert StockMovement.objects.count() == 16


@pytest.mark.django_db(transaction=True)
def test_the_same_sale_arriving_twice_at_once_is_stored_once(org_a):
    """A till retrying while its first attempt is still being written: one sale, two OKs."""
    from cloud_api.sales.serializers import SaleIn
    from cloud_api.sales.services import sale_record

    payload = org_a.make_sale()
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        try:
            data = SaleIn(data=payload)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            values.pop("store_id")
            barrier.wait()
            _, created = sale_record(
                organisation=org_a.organisation, store=org_a.stores[0], payload=values
            )
            results.append(created)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [False, True]
    assert Sale.objects.count() == 1
    assert StockMovement.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_stores_selling_at_once_keep_the_chain_rows_exact(org_a):
    """Every push of the organisation's day adds to the same chain-wide rows: pushes of two
    stores at once all count there, none deadlocks, and the rows equal the raw sales."""
    from cloud_api.reporting.models import ChainDailySales
    from cloud_api.reporting.rebuild import aggregates_differences

    coke, tomatoes = org_a.products
    work = []
    for index in range(12):
        items = [(coke, 1, None), (tomatoes, None, 250)]
        store = org_a.stores[index % 2]
        work.append((store, org_a.make_sale(items=items if index % 3 else items[::-1])))
    assert record_at_once(org_a, work) == []
    sales = Sale.objects.filter(organisation=org_a.organisation)
    assert sales.values("store_id").distinct().count() == 2
    chain = ChainDailySales.objects.filter(organisation=org_a.organisation)
    assert chain.aggregate(n=Sum("sales_count"), total=Sum("total_cents")) == sales.aggregate(
        n=Count("id"), total=Sum("total_cents")
    )
    assert aggregates_differences(org_a.organisation.pk) == []
