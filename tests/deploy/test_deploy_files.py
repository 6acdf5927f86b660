"""The cloud's deployment files: nginx config (`nginx -t`), compose and Dockerfile consistency,
the environment they document, cPanel's entry point and cron, the logging examples.

Docker's daemon does not run on this machine (and the client has no `compose` plugin), so the
image is not built here: these tests check what can be checked without it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def _production_env_keys() -> set[str]:
    cloud_md = (REPO / "docs" / "cloud.md").read_text()
    block = cloud_md.split("### Production environment", 1)[1].split("```env", 1)[1]
    return {line.split("=", 1)[0] for line in block.split("```", 1)[0].splitlines() if "=" in line}


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: `make sysdeps` installs it")
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloud.example.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    certs = tmp_path / "certs"
    certs.mkdir()
    (certs / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (certs / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    site = (DEPLOY / "nginx" / "asiria.conf").read_text()
    # The compose service name "web" only resolves inside compose's network; the paths of the
    # certificates are the container's. Everything else is tested as written.
    assert "server web:8000;" in site
    site = site.replace("server web:8000;", "server 127.0.0.1:8000;")
    site = site.replace("/etc/nginx/certs/", f"{certs}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; "
        f"include {tmp_path}/site.conf; }}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_compose_runs_every_part_from_one_image_with_the_documented_environment() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"mysql", "redis", "web", "worker", "beat", "nginx"}
    for part in ("web", "worker", "beat"):
        assert services[part]["image"] == "asiriapos-cloud:latest"
        assert services[part]["command"] == [part]
        assert services[part]["env_file"] == ".env"
    assert services["beat"]["healthcheck"] == {"disable": True}  # no HTTP in beat
    assert "./nginx/asiria.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert _production_env_keys() <= example


def test_the_dockerfile_is_small_non_root_and_health_checked() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert text.count("FROM python:3.11-slim") == 2  # wheels built in a stage of their own
    assert "'.[cloud]'" in text and "[till" not in text
    assert re.search(r"^USER asiria$", text, re.MULTILINE)
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in text
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.MULTILINE):
        for path in source.split():
            assert (REPO / path).exists(), path
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {"tests", ".venv", "dist"} <= set(ignored)


def test_cpanel_cron_runs_what_beat_schedules() -> None:
    from django.conf import settings

    cron = (DEPLOY / "cpanel" / "crontab.example").read_text()
    own_commands = {"cloud_api.sync.tasks.compact_change_log": "asiria-cloud compact_changes"}
    for name, job in settings.CELERY_BEAT_SCHEDULE.items():
        command = own_commands.get(job["task"], f"asiria-cloud run_scheduled {name} ")
        assert command in cron, f"beat runs {name!r} but the cPanel cron does not"
    assert "deploy/backup/mysql_backup.sh" in cron


def test_passenger_finds_the_wsgi_application(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": "",
        "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "locmem://",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import passenger_wsgi; print(callable(passenger_wsgi.application))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


def test_the_logging_examples_parse_and_name_the_logged_fields() -> None:
    template = json.loads((DEPLOY / "logging" / "elasticsearch-index-template.json").read_text())
    fields = set(template["template"]["mappings"]["properties"])
    request_line = {"event", "request_id", "method", "path", "status", "duration_ms", "level"}
    push_line = {"terminal", "events", "applied", "duplicate", "rejected"}
    assert request_line | push_line <= fields
    assert template["index_patterns"] == ["asiria-cloud-*"]

    beat = yaml.safe_load((DEPLOY / "logging" / "filebeat.yml").read_text())
    assert beat["output.elasticsearch"]["index"].startswith("asiria-cloud-")

    objects = [
        json.loads(line)
        for line in (DEPLOY / "logging" / "kibana-saved-searches.ndjson").read_text().splitlines()
    ]
    pattern_ids = {o["id"] for o in objects if o["type"] == "index-pattern"}
    searches = [o for o in objects if o["type"] == "search"]
    titles = " / ".join(o["attributes"]["title"] for o in searches)
    for question in ("errors by endpoint", "push latency", "rejected events"):
        assert question in titles
    for search in searches:
        source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        assert source["query"]["language"] == "kuery" and source["query"]["query"]
        assert {ref["id"] for ref in search["references"]} <= pattern_ids
        assert set(search["attributes"]["columns"]) <= fields
