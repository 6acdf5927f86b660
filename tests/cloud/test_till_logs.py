"""Till logs sent for support: a terminal sends, head office lists and downloads; limits hold.

The end-to-end case runs a real till (its database, its JSON log file, its sync client) against
a live server."""

from __future__ import annotations

import base64
import gzip
import json
import logging

import pytest
from django.test import override_settings

from .conftest import jwt_client, terminal_client

LOGS = "/api/v1/sync/logs/"
LIST = "/api/v1/till-logs/"


def log_lines(count: int) -> bytes:
    return b"".join(
        json.dumps(
            {"timestamp": f"2026-12-05T10:{n % 60:02d}:00Z", "level": "info", "event": f"e{n}"}
        ).encode()
        + b"\n"
        for n in range(count)
    )


def body(content: bytes, **extra) -> dict:
    return {
        "days": 3,
        "lines": content.count(b"\n"),
        "first_at": "2026-12-05T10:00:00Z",
        "last_at": "2026-12-05T10:59:00Z",
        "truncated": False,
        "note": "Printer stopped at 10:30",
        "content_gzip_base64": base64.b64encode(gzip.compress(content)).decode(),
        **extra,
    }


def test_a_till_sends_its_logs_and_head_office_downloads_them(org_a, org_b):
    content = log_lines(50)
    till = terminal_client(org_a)
    sent = till.post(LOGS, body(content), format="json")
    assert sent.status_code == 201, sent.content
    upload = sent.json()
    assert upload["lines"] == 50 and upload["note"] == "Printer stopped at 10:30"
    assert upload["terminal_id"] == str(org_a.terminal.uuid)

    for role in ("owner", "manager", "head_office"):
        listed = jwt_client(org_a.users[role]).get(LIST).json()["results"]
        assert [row["id"] for row in listed] == [upload["id"]]
    download = jwt_client(org_a.users["head_office"]).get(f"{LIST}{upload['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/gzip"
    assert "attachment" in download["Content-Disposition"]
    assert gzip.decompress(download.content) == content

    assert jwt_client(org_a.users["cashier"]).get(LIST).status_code == 403
    assert jwt_client(org_b.users["head_office"]).get(LIST).json()["results"] == []
    other = jwt_client(org_b.users["owner"]).get(f"{LIST}{upload['id']}/download/")
    assert other.status_code == 404
    assert jwt_client(org_a.users["manager"]).post(LOGS, body(content)).status_code == 403


def test_bad_files_are_refused_with_a_plain_4xx(org_a):
    till = terminal_client(org_a)
    not_base64 = till.post(LOGS, body(b"x\n", content_gzip_base64="%%%"), format="json")
    assert not_base64.status_code == 400
    assert "base64" in not_base64.json()["error"]["message"]
    not_gzip = base64.b64encode(b"plain text, not gzip").decode()
    refused = till.post(LOGS, body(b"x\n", content_gzip_base64=not_gzip), format="json")
    assert refused.status_code == 400 and "not gzip" in refused.json()["error"]["message"]
    cut = base64.b64encode(gzip.compress(log_lines(500))[:-20]).decode()
    assert till.post(LOGS, body(b"", content_gzip_base64=cut), format="json").status_code == 400
    assert till.post(LOGS, body(b"x\n", days=0), format="json").status_code == 400
    assert till.post(LOGS, body(b"x\n", days=15), format="json").status_code == 400
    assert till.post(LOGS, body(b"x\n", lines=-1), format="json").status_code == 400


@override_settings(TILL_LOGS_MAX_BYTES=4096, TILL_LOGS_MAX_UNCOMPRESSED_BYTES=100_000)
def test_size_limits_compressed_and_uncompressed(org_a):
    import os

    till = terminal_client(org_a)
    big = base64.b64encode(gzip.compress(os.urandom(8000))).decode()
    too_big = till.post(LOGS, body(b"", content_gzip_base64=big), format="json")
    assert too_big.status_code == 413
    assert "larger than 4096 bytes (gzip)" in too_big.json()["error"]["message"]
    bomb = base64.b64encode(gzip.compress(b"\n" * 5_000_000)).decode()  # ~5 KB -> 5 MB
    assert len(bomb) < 12_000
    with override_settings(TILL_LOGS_MAX_BYTES=64_000):
        inflated = till.post(LOGS, body(b"", content_gzip_base64=bomb), format="json")
    assert inflated.status_code == 413
    assert "uncompressed" in inflated.json()["error"]["message"]


@override_settings(TILL_LOGS_KEPT_PER_TERMINAL=2)
def test_only_the_newest_uploads_of_a_till_are_kept(org_a):
    from cloud_api.support.models import TillLogUpload

    till = terminal_client(org_a)
    notes = [f"upload {n}" for n in range(4)]
    for note in notes:
        assert till.post(LOGS, body(b"x\n", note=note), format="json").status_code == 201
    kept = TillLogUpload.objects.filter(terminal=org_a.terminal).order_by("created_at", "id")
    assert [u.note for u in kept] == notes[-2:]


def test_a_till_may_send_logs_only_so_often(org_a):
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["till_logs"]
    allowed = int(rate.split("/")[0])
    till = terminal_client(org_a)
    codes = [till.post(LOGS, body(b"x\n"), format="json").status_code for _ in range(allowed)]
    assert codes == [201] * allowed
    refused = till.post(LOGS, body(b"x\n"), format="json")
    assert refused.status_code == 429
    assert "Retry-After" in refused


@pytest.mark.django_db(transaction=True)
def test_a_manager_at_a_real_till_sends_its_log_file_to_head_office(live_server, tmp_path):
    """The till's own log file, service, sync engine and HTTP client, against a live server."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo
    from asiria_desktop.till_logging import HANDLER_NAME, add_json_file_log, log_dir
    from cloud_api.accounts.services import terminal_create
    from cloud_api.support.models import TillLogUpload

    from .conftest import make_org

    org = make_org("Logs Till Co", with_terminal=False)
    _, code = terminal_create(store=org.stores[0], name="Till 1", created_by=None)
    till = build_till(TillConfig(data_dir=tmp_path / "till"))
    root = logging.getLogger()
    level = root.level
    try:
        seed_demo(till)
        add_json_file_log(log_dir(till.config.data_dir))
        root.setLevel(logging.INFO)
        logging.getLogger("asiria_desktop.hardware").info("printer went offline: cover open")
        till.services.sync.enroll(live_server.url, code, "Till 1")
        services = till.services
        services.auth.login("9999")  # the demo manager
        message = services.support_logs.send(days=2, note="printer trouble")
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler.get_name() == HANDLER_NAME:
                root.removeHandler(handler)
                handler.close()
        till.close()

    assert message.startswith("Sent the till's logs of the last 2 days to head office (")
    upload = TillLogUpload.objects.get()
    assert upload.note == "printer trouble" and upload.days == 2
    text = gzip.decompress(bytes(upload.content)).decode()
    events = [json.loads(line)["event"] for line in text.splitlines()]
    assert "printer went offline: cover open" in events
    assert upload.lines == len(events)


def test_a_cashier_at_the_till_needs_a_manager_to_send_logs(tmp_path):
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo
    from asiria_desktop.domain.errors import ApprovalRequired
    from asiria_desktop.services.sync.support_logs import LogsNotSent

    till = build_till(TillConfig(data_dir=tmp_path / "till"))
    try:
        seed_demo(till)
        till.services.auth.login("1111")  # a cashier
        with pytest.raises(ApprovalRequired):
            till.services.support_logs.send()
        till.services.auth.logout()
        till.services.auth.login("9999")
        with pytest.raises(LogsNotSent, match="not connected to head office"):
            # not enrolled: nothing is sent, and the manager reads why
            (tmp_path / "till" / "logs").mkdir(exist_ok=True)
            (tmp_path / "till" / "logs" / "till.log").write_text(
                '{"timestamp": "2099-01-01T00:00:00Z", "event": "x"}\n'
            )
            till.services.support_logs.send()
    finally:
        till.close()
