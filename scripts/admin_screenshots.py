"""Look at head office's admin as a person would: log in, open every list at 1366 x 768, say
which ones are wider than the screen, and save screenshots of the main pages.

    python scripts/admin_screenshots.py --url http://127.0.0.1:8000 --out docs/img

Needs Playwright (dev extra) and a Chromium: Debian's ``chromium`` package by default
(``--chromium``), so nothing is downloaded. Sign-in defaults to the demo owner.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import asiria_demo_data as demo  # noqa: E402

WIDTH, HEIGHT = 1366, 768
SHOTS = {  # file name -> page (relative to the admin); "first sale" is found on the list
    "admin-sales.png": "sales/sale/",
    "admin-sale.png": None,
    "admin-stock.png": "inventory/stocklevel/?stock=low",
}
OVERFLOW = """() => {
  const page = document.documentElement;
  const box = document.querySelector('.results');
  if (page.scrollWidth > window.innerWidth) return [page.scrollWidth, window.innerWidth];
  return box ? [box.scrollWidth, box.clientWidth] : [page.scrollWidth, window.innerWidth];
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--admin", default="/admin/", help="the admin's path (ASIRIA_ADMIN_PATH)")
    parser.add_argument("--email", default=demo.OWNER_EMAIL)
    parser.add_argument("--password", default=demo.DEMO_PASSWORD)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    admin = args.url.rstrip("/") + args.admin
    too_wide = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(admin + "login/")
        page.fill("#id_username", args.email)
        page.fill("#id_password", args.password)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        lists = page.eval_on_selector_all(
            "#content-main th[scope=row] a", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in lists:
            page.goto(args.url.rstrip("/") + href)
            # The list scrolls inside its own box (.results) before the page grows wider.
            width, room = page.evaluate(OVERFLOW)
            too_wide += width > room
            print(f"WIDTH {href} {width}px of {room}px{'  (scrolls)' if width > room else ''}")
        args.out.mkdir(parents=True, exist_ok=True)
        for name, path in SHOTS.items():
            if path is None:
                page.goto(admin + "sales/sale/")
                page.click("#result_list tbody tr:nth-child(2) th a")  # the demo's weighed sale
                page.wait_for_load_state()
            else:
                page.goto(admin + path)
            page.screenshot(path=str(args.out / name), full_page=path is None)
            print(f"SHOT {args.out / name}")
        browser.close()
    return 1 if too_wide else 0


if __name__ == "__main__":
    sys.exit(main())
