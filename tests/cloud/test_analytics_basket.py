"""Frequently bought together: the rules' numbers on a hand-made basket set, the nightly job
over synced sales, the API, and the ``basket_hint`` pull entity a till receives."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloud_api.analytics.basket import Thresholds, association_rules

from . import analytics_support as data
from .conftest import jwt_client, terminal_client
from .sync_support import pull_all

EVERY_PAIR = Thresholds(min_pair_count=1, min_support=0.0, min_confidence=0.0, min_lift=1.0)

# A=bread, B=butter, C=milk, D=eggs. A: 5 baskets, B: 6, C: 5, D: 3, A&B: 4, of 10.
HAND_MADE = [
    ["A", "B"],
    ["A", "B", "B"],  # a product twice in one basket counts once
    ["A", "B", "C"],
    ["A", "C"],
    ["B"],
    ["C"],
    ["D"],
    ["A", "B", "D"],
    ["C", "D"],
    ["B", "C"],
]


def test_the_rules_of_a_hand_made_basket_set_have_the_known_numbers() -> None:
    rules = {(r.antecedent, r.consequent): r for r in association_rules(HAND_MADE, EVERY_PAIR)}
    # Every other pair is bought together less often than by chance (lift <= 1): no rule.
    assert set(rules) == {("A", "B"), ("B", "A")}
    bread_butter, butter_bread = rules["A", "B"], rules["B", "A"]
    assert bread_butter.support == pytest.approx(4 / 10)
    assert bread_butter.confidence == pytest.approx(4 / 5)
    assert bread_butter.lift == pytest.approx((4 / 5) / (6 / 10))
    assert butter_bread.confidence == pytest.approx(4 / 6)
    assert butter_bread.lift == pytest.approx((4 / 6) / (5 / 10))
    assert bread_butter.baskets == 10 and bread_butter.pair_count == 4


def test_pairs_seen_fewer_times_than_the_minimum_make_no_rule() -> None:
    assert association_rules(HAND_MADE, Thresholds(min_pair_count=5)) == []
    assert len(association_rules(HAND_MADE, Thresholds(min_pair_count=4))) == 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=6), min_size=1, max_size=40)
)
def test_every_rule_matches_a_brute_force_count(baskets: list[list[str]]) -> None:
    sets = [set(basket) for basket in baskets]
    total = len(sets)
    rules = association_rules(baskets, EVERY_PAIR)
    for rule in rules:
        both = sum(1 for s in sets if {rule.antecedent, rule.consequent} <= s)
        first = sum(1 for s in sets if rule.antecedent in s)
        second = sum(1 for s in sets if rule.consequent in s)
        assert rule.support == pytest.approx(both / total)
        assert rule.confidence == pytest.approx(both / first)
        assert rule.lift == pytest.approx(both * total / (first * second))
    # ...and no pair with lift above 1 is missing.
    found = {(r.antecedent, r.consequent) for r in rules}
    for x, y in combinations("ABCDEFG", 2):
        both = sum(1 for s in sets if {x, y} <= s)
        nx, ny = sum(1 for s in sets if x in s), sum(1 for s in sets if y in s)
        if both and both * total > nx * ny:
            assert (x, y) in found and (y, x) in found


TODAY = date(2026, 11, 30)


def basket_hint_schema():
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    path = Path(__file__).resolve().parents[1] / "contract" / "sync-v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/BasketHint"})


@pytest.fixture
def bakery(org_a):
    """90 days of sales at the main store: bread goes with butter, tea with sugar."""
    products = data.products(org_a, ["Bread", "Butter", "Tea", "Sugar", "Soap"])
    store = org_a.stores[0]
    pattern = [
        ["Bread", "Butter"],
        ["Bread", "Butter", "Soap"],
        ["Tea", "Sugar"],
        ["Bread"],
        ["Soap"],
        ["Tea"],
        ["Tea", "Sugar", "Bread"],
        ["Soap", "Sugar"],
    ]
    for index in range(40):
        basket = pattern[index % len(pattern)]
        data.sale(org_a, store, TODAY - timedelta(days=index), [products[n] for n in basket])
    # A voided sale says nothing about what customers buy together.
    for _ in range(10):
        data.sale(org_a, store, TODAY, [products["Soap"], products["Tea"]], voided=True)
    return org_a, products


def test_the_job_stores_the_rules_of_the_stores_completed_sales(bakery) -> None:
    from cloud_api.analytics.basket_tasks import compute_basket_rules
    from cloud_api.analytics.models import BasketRule

    org, _products = bakery
    compute_basket_rules.delay(org.stores[0].pk)  # eager in tests: runs here
    rules = {
        (rule.antecedent.name, rule.consequent.name): rule
        for rule in BasketRule.objects.filter(store=org.stores[0]).select_related(
            "antecedent", "consequent"
        )
    }
    butter = rules["Butter", "Bread"]
    assert butter.baskets == 40
    assert (butter.pair_count, butter.antecedent_count) == (10, 10)
    assert butter.confidence == pytest.approx(1.0)
    assert butter.lift == pytest.approx(40 / 20)  # bread in 20 of 40 sales
    assert ("Soap", "Tea") not in rules and ("Tea", "Soap") not in rules  # voided only
    assert not BasketRule.objects.filter(store=org.stores[1]).exists()


def test_the_api_lists_the_rules_best_lift_first_within_the_callers_stores(bakery, org_b) -> None:
    from cloud_api.analytics.basket_services import basket_rules_compute

    org, products = bakery
    basket_rules_compute(store=org.stores[0], date_to=TODAY)
    owner = jwt_client(org.users["owner"])
    answer = owner.get(
        "/api/v1/analytics/basket-rules/", {"store_id": str(org.stores[0].uuid)}
    ).json()["results"]
    lifts = [rule["lift"] for rule in answer]
    assert lifts == sorted(lifts, reverse=True) and lifts[0] > 1
    top = answer[0]
    assert {top["product_name"], top["with_product_name"]} == {"Bread", "Butter"}  # lift 2.0
    only_bread = owner.get(
        "/api/v1/analytics/basket-rules/", {"product_id": str(products["Bread"].uuid)}
    ).json()["results"]
    assert {rule["product_name"] for rule in only_bread} == {"Bread"}
    stranger = jwt_client(org_b.users["owner"])
    assert stranger.get("/api/v1/analytics/basket-rules/").json()["results"] == []
    wrong_store = stranger.get(
        "/api/v1/analytics/basket-rules/", {"store_id": str(org.stores[0].uuid)}
    )
    assert wrong_store.status_code == 400 and "store_id" in wrong_store.json()["error"]["fields"]
    too_many = owner.get("/api/v1/analytics/basket-rules/", {"limit": "100000"})
    assert too_many.status_code == 400


def test_the_till_pulls_each_products_hints_and_loses_them_when_the_rules_go(bakery) -> None:
    from cloud_api.analytics.basket_services import basket_rules_compute
    from cloud_api.analytics.models import BasketRule

    org, products = bakery
    till = terminal_client(org)
    _, cursor = pull_all(till)
    basket_rules_compute(store=org.stores[0], date_to=TODAY)
    changes, cursor = pull_all(till, cursor)
    hints = {c["data"]["id"]: c["data"] for c in changes if c["entity"] == "basket_hint"}
    for served in hints.values():
        basket_hint_schema().validate(served)
    butter = hints[str(products["Butter"].uuid)]
    assert butter["product_id"] == str(products["Butter"].uuid)
    assert butter["with"][0]["name"] == "Bread"
    assert butter["with"][0]["confidence_bp"] == 10_000
    assert butter["with"][0]["lift_milli"] == 2000
    assert all(len(hint["with"]) <= 3 for hint in hints.values())
    # The same sales mined again change nothing: no new changes for the till.
    basket_rules_compute(store=org.stores[0], date_to=TODAY)
    again, cursor = pull_all(till, cursor)
    assert [c for c in again if c["entity"] == "basket_hint"] == []
    # A window with no sales leaves no rules: every hint is deleted on the till.
    basket_rules_compute(store=org.stores[0], date_to=TODAY + timedelta(days=400))
    assert not BasketRule.objects.filter(store=org.stores[0]).exists()
    gone, _ = pull_all(till, cursor)
    deleted = {c["data"]["id"] for c in gone if c["entity"] == "basket_hint"}
    assert {c["op"] for c in gone if c["entity"] == "basket_hint"} == {"delete"}
    assert deleted == set(hints)


def test_another_stores_till_gets_no_hints_of_this_store(bakery) -> None:
    from cloud_api.accounts.services import terminal_create, terminal_enroll
    from cloud_api.analytics.basket_services import basket_rules_compute

    org, _ = bakery
    _, code = terminal_create(
        store=org.stores[1], name="Branch till", created_by=org.users["owner"]
    )
    _terminal, client_id, secret = terminal_enroll(code=code, name="Branch till")
    branch = type(org)(organisation=org.organisation, stores=org.stores)
    branch.client_id, branch.client_secret = client_id, secret
    basket_rules_compute(store=org.stores[0], date_to=TODAY)
    changes, _ = pull_all(terminal_client(branch))
    assert [c for c in changes if c["entity"] == "basket_hint"] == []


def test_asking_for_a_fresh_mining_queues_the_job(bakery) -> None:
    from cloud_api.analytics.models import BasketRule

    org, _ = bakery
    manager = jwt_client(org.users["manager"])
    response = manager.post(
        "/api/v1/analytics/basket-rules/compute/",
        {"store_id": str(org.stores[0].uuid)},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    assert BasketRule.objects.filter(store=org.stores[0]).exists()  # eager worker ran it
    other_store = manager.post(
        "/api/v1/analytics/basket-rules/compute/",
        {"store_id": str(org.stores[1].uuid)},
        format="json",
    )
    assert other_store.status_code == 400
