"""A real browser (Debian's chromium, driven by Playwright) with Chrome's virtual authenticator:
an owner adds a passkey in the admin, signs out, then signs in with the passkey alone.

The virtual authenticator (DevTools' WebAuthn domain) answers navigator.credentials as a
platform authenticator with a verified user would, so the page's own script, the API and the
session sign-in run exactly as on a laptop with a fingerprint reader. The screenshots go to
ASIRIA_SCREENSHOT_DIR when it is set (docs/img for the docs), else to the test's temp dir.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cloud.conftest import PASSWORD, make_org

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.slow


@pytest.fixture
def browser_page(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.fail("This test needs Debian's chromium: apt-get install -y chromium")
    # Playwright's sync API keeps an event loop on this thread; Django would then refuse the
    # test's own (synchronous) database calls, which are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 760})
        devtools = page.context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        devtools.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        yield page
        browser.close()


def test_an_owner_adds_a_passkey_in_the_admin_and_signs_in_with_it(
    transactional_db, live_server, settings, browser_page, tmp_path
):
    settings.ASIRIA_WEBAUTHN_RP_ID = "localhost"
    settings.ASIRIA_WEBAUTHN_ORIGINS = [live_server.url]
    owner = make_org("Gamma Traders", with_terminal=False).users["owner"]
    shots = Path(os.environ.get("ASIRIA_SCREENSHOT_DIR") or tmp_path)
    page = browser_page

    # Signed in with the password, the owner adds a passkey on "this device".
    page.goto(f"{live_server.url}/admin/login/?next=/admin/accounts/passkey/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/accounts/passkey/")
    page.fill("input[name=name]", "Owner's laptop")
    page.fill("form[data-passkey-register] input[name=password]", PASSWORD)
    page.click("form[data-passkey-register] button")
    page.wait_for_selector("#result_list >> text=Owner's laptop")
    page.screenshot(path=str(shots / "admin-passkeys.png"))

    # Signed out, the passkey alone signs the owner back in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.wait_for_selector("text=Sign in with a passkey")
    page.screenshot(path=str(shots / "admin-passkey-login.png"))
    page.click("text=Sign in with a passkey")
    page.wait_for_url(f"{live_server.url}/admin/")
    signed_in_as = page.inner_text("#user-tools")
    page.goto(f"{live_server.url}/admin/accounts/passkey/")
    listed = page.inner_text("#result_list")

    # The admin's header writes the name in capitals (CSS), so compare without case.
    shown = signed_in_as.upper()
    assert owner.email.upper() in shown or owner.name.upper() in shown
    assert "Owner's laptop" in listed
    assert owner.passkeys.get().last_used_at is not None


def test_the_page_says_why_when_the_passkey_is_not_registered_here(
    transactional_db, live_server, settings, browser_page
):
    settings.ASIRIA_WEBAUTHN_RP_ID = "localhost"
    settings.ASIRIA_WEBAUTHN_ORIGINS = [live_server.url]
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")

    # The virtual authenticator holds no passkey for this site: the browser's request fails.
    page.click("text=Sign in with a passkey")
    status = page.wait_for_selector(".passkey-status:not([hidden])")

    assert "cancelled or timed out" in status.inner_text()
    assert "/admin/login/" in page.url
