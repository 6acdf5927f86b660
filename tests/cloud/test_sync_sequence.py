"""Head office hears when a till's event numbers say events went missing or were numbered
again (a restored backup), and not when a rejected event explains the hole; rejections are
kept with their reason."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import terminal_client
from .sync_support import envelope, push, statuses


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def sale_event(org, seq: int, **kwargs):
    return envelope("sale.completed", org.make_sale(**kwargs), seq)


def sequence_notices(org):
    from cloud_api.notifications.models import Notification

    return list(
        Notification.objects.filter(organisation=org.organisation, kind="sync_sequence")
        .order_by("id")
        .values_list("user__role", "message", "data")
    )


def test_events_that_never_arrived_are_reported_to_the_manager_and_owner(org_a, till):
    assert statuses(push(till, [sale_event(org_a, 1), sale_event(org_a, 2)])) == ["applied"] * 2
    assert sequence_notices(org_a) == []

    assert statuses(push(till, [sale_event(org_a, 6)])) == ["applied"]

    notices = sequence_notices(org_a)
    assert sorted(role for role, _, _ in notices) == ["head_office", "manager", "owner"]
    _, message, data = notices[0]
    assert "3 of its events never reached head office (numbers 3-5)" in message
    assert "Till 1" in message
    assert data["missing"] == [3, 4, 5] and data["missing_count"] == 3


def test_a_hole_left_by_a_rejected_event_is_not_news(org_a, till):
    bad = sale_event(org_a, 2)
    bad["payload"]["total_cents"] += 1  # the amounts no longer add up
    answers = statuses(push(till, [sale_event(org_a, 1), bad, sale_event(org_a, 3)]))
    assert answers == ["applied", "rejected", "applied"]
    assert sequence_notices(org_a) == []

    # The manager fixes it on the till and it goes again under its id: still no alarm.
    bad["payload"]["total_cents"] -= 1
    assert statuses(push(till, [bad])) == ["applied"]
    assert sequence_notices(org_a) == []


def test_rejections_are_kept_with_their_reason_and_count(org_a, till):
    from cloud_api.sync.models import SyncRejection

    bad = sale_event(org_a, 4)
    bad["payload"]["cashier_id"] = "018f0000-0000-7000-8000-000000000000"
    for _ in range(3):
        assert statuses(push(till, [bad])) == ["rejected"]

    row = SyncRejection.objects.get(uuid=bad["id"])
    assert (row.seq, row.type, row.attempts) == (4, "sale.completed", 3)
    assert "Unknown cashier" in row.error
    assert row.terminal_id == org_a.terminal.pk
    assert row.last_rejected_at >= row.first_rejected_at


def test_new_events_under_old_numbers_mean_the_till_was_reset(org_a, till):
    first = [sale_event(org_a, seq) for seq in (1, 2, 3)]
    assert statuses(push(till, first)) == ["applied"] * 3

    # The till's database was restored from last week's copy: it counts from 2 again.
    again = [sale_event(org_a, seq) for seq in (2, 3)]
    assert statuses(push(till, again)) == ["applied"] * 2

    notices = sequence_notices(org_a)
    assert notices, "a reset till must be reported"
    _, message, data = notices[0]
    assert "numbered new events 2-3 again" in message
    assert data["reused"] == [2, 3]


def test_a_huge_jump_is_counted_not_listed(org_a, till):
    assert statuses(push(till, [sale_event(org_a, 1)])) == ["applied"]
    assert statuses(push(till, [sale_event(org_a, 10**12)])) == ["applied"]

    _, message, data = sequence_notices(org_a)[0]
    assert data["missing_count"] == 10**12 - 2
    assert len(data["missing"]) == 100
    assert f"{10**12 - 2} of its events never reached head office" in message


def test_one_notice_per_till_per_hour(org_a, till):
    assert statuses(push(till, [sale_event(org_a, 1), sale_event(org_a, 5)])) == ["applied"] * 2
    assert statuses(push(till, [sale_event(org_a, 9)])) == ["applied"]
    assert len({message for _, message, _ in sequence_notices(org_a)}) == 1


def test_head_office_browses_rejections_in_the_admin(org_a, till, client):
    bad = sale_event(org_a, 1)
    bad["payload"]["total_cents"] += 1
    assert statuses(push(till, [bad])) == ["rejected"]
    owner = org_a.users["owner"]
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    client.force_login(owner)

    page = client.get("/admin/sync/syncrejection/")

    assert page.status_code == 200
    assert "amounts do not add up" in page.content.decode()


@st.composite
def till_histories(draw):
    """What a till did with its events 1..n: sent fine, sent broken (rejected), or lost
    (never sent); sent in batches, in order; maybe new events under old numbers at the end."""
    n = draw(st.integers(2, 12))
    fates = draw(st.lists(st.sampled_from(["ok", "ok", "bad", "lost"]), min_size=n, max_size=n))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=3)))
    reused = draw(st.lists(st.integers(1, n), max_size=2, unique=True))
    return fates, cuts, reused


def _expect_notice(batches: list[list[tuple[int, str]]]) -> bool:
    """The rule, told plainly: once a till has an applied event, a later applied one above
    the next number means the numbers between were lost, and a number applied before coming
    again means it was used twice; a number that was rejected explains either."""
    applied, rejected, notice = set(), set(), False
    for batch in batches:
        rejected |= {seq for seq, fate in batch if fate == "bad"}
        for seq, _ in sorted((s, f) for s, f in batch if f == "ok"):
            top = max(applied, default=0)
            if applied and seq > top + 1:
                notice |= bool(set(range(top + 1, seq)) - rejected)
            elif applied and seq <= top:  # a late event filling a hole is not news
                notice |= seq in applied and seq not in rejected
            applied.add(seq)
    return notice


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=till_histories())
def test_a_notice_comes_exactly_when_events_are_unaccounted_for(org_a, history):
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import terminal_create, terminal_enroll
    from cloud_api.notifications.models import Notification

    fates, cuts, reused = history
    _, code = terminal_create(
        store=org_a.stores[0], name="Prop", created_by=org_a.users[Role.OWNER]
    )
    terminal, org_a.client_id, org_a.client_secret = terminal_enroll(code=code, name="Prop")
    org_a.terminal = terminal  # its sales carry its own receipt prefix
    till = terminal_client(org_a)

    sent = [(seq, fate) for seq, fate in enumerate(fates, start=1) if fate != "lost"]
    bounds = [0, *cuts, len(fates)]
    batches = [
        [(seq, fate) for seq, fate in sent if low < seq <= high] for low, high in pairwise(bounds)
    ]
    batches = [batch for batch in batches if batch]
    if reused:
        batches.append([(seq, "ok") for seq in reused])  # a restored till numbers anew
    for batch in batches:
        events = []
        for seq, fate in batch:
            event = sale_event(org_a, seq)
            if fate == "bad":
                event["payload"]["total_cents"] += 1
            events.append(event)
        answers = statuses(push(till, events))
        assert answers == ["applied" if fate == "ok" else "rejected" for _, fate in batch]

    noticed = Notification.objects.filter(
        kind="sync_sequence", data__terminal_id=str(terminal.uuid)
    ).exists()
    assert noticed == _expect_notice(batches), batches


def test_a_late_event_filling_a_hole_is_not_a_reuse(org_a, till):
    from django.core.cache import cache

    from cloud_api.notifications.models import Notification

    late = sale_event(org_a, 2)
    assert statuses(push(till, [sale_event(org_a, 1), sale_event(org_a, 3)])) == ["applied"] * 2
    assert len(sequence_notices(org_a)) == 3  # manager, owner, head office: number 2 missing
    Notification.objects.filter(kind="sync_sequence").delete()
    cache.clear()  # the hourly limit, so a second notice could come

    assert statuses(push(till, [late])) == ["applied"]
    assert sequence_notices(org_a) == []
