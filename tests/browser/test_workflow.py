"""Amira's workflow in a real browser: log in, upload, progress, review, results, export.

Runs with the system Chromium through Playwright (no browser download); `make test` installs
Chromium when it is missing, and the test fails, never skips, without it.
Screenshots of every step, at desktop and phone widths, land in tests/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from supplychain import create_app
from supplychain.extensions import db
from supplychain.services import accounts

CHROMIUM = os.environ.get("SUPPLYCHAIN_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
EMAIL, PASSWORD = "amira@maple.example", "correct horse battery staple"
SAMPLE_CSV = (
    "Vendor,Country of origin,Item description,Amount (CAD)\r\n"
    "Hetian Taida Apparel Co Ltd,PRC,cotton t-shirts,12500\r\n"
    "Ashgabat Textile Export,Turkmenistan,raw cotton lint,8000\r\n"
    "Abidjan Cocoa Export SA,Côte d'Ivoire,cocoa beans,22000\r\n"
    "Cairo Garments Co,EG,mens cotton t-shirts,4100\r\n"
    "Müller Armaturen GmbH,Germany,stainless steel ball valves,900\r\n"
    "Acme Widgets,,N/A,50\r\n"
)


def _available() -> str | None:
    """Say why the browser test cannot run here, or None if it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


MISSING = _available()


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a temporary SQLite file, with one analyst, and unsure matches to review."""
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'browser.db'}",
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            # A thread of the web process, as in production without Redis: the browser sees
            # the progress page and its polling before the results.
            "JOBS_MODE": "thread",
            # Every goods match short of certain goes to a person, so the queue has work.
            "MATCH_GOODS_ACCEPT": 100.0,
            "MATCH_GOODS_REVIEW": 50.0,
        }
    )
    with app.app_context():
        db.create_all()
        organisation = accounts.create_organisation("Maple Imports Ltd.")
        accounts.create_user(organisation, EMAIL, PASSWORD, "analyst")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def base_url(live_app: Flask) -> Iterator[str]:
    """Serve the app from a thread on a free local port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    if MISSING:
        pytest.fail(f"The browser test cannot run: {MISSING}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def shoot(page, name: str) -> None:
    """Save the page at desktop width and at phone width."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width, label in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_upload_review_and_export(browser, base_url: str, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Any failed request but the favicon (there is none) is a broken page: a script, a style
    # or progress.js's API call.
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )

    # Log in.
    page.goto(f"{base_url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account")

    # Upload the list as it is.
    page.click("nav >> text=Assessments")
    page.click("text=Upload a supplier list")
    assert "up to 50 MB" in page.inner_text("main")
    sample = tmp_path / "erp-export.csv"
    sample.write_text(SAMPLE_CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(sample))
    shoot(page, "1-upload")
    page.click("text=Upload and check")

    # Confirm the columns when asked.
    if "/mapping" in page.url:
        assert "Confirm which column is which" in page.inner_text("h1")
        shoot(page, "2-mapping")
        page.click("text=Save the mapping and start")

    # Progress, then the results (the page reloads itself when the job ends).
    page.wait_for_url("**/assessments/*")
    if page.locator("progress").count():
        shoot(page, "3-progress")
    page.wait_for_selector("text=At a glance", timeout=60_000)
    assessment_url = page.url.split("#", 1)[0].split("?", 1)[0]
    main = page.inner_text("main")
    assert "Where the exposure is" in main and "Hetian Taida Apparel Co Ltd" in main
    assert page.locator("figure.chart svg[role=img]").count() == 4
    shoot(page, "4-results")

    # Review: accept the first uncertain goods match.
    page.click("a:has-text('Review')")
    page.wait_for_url("**/review")
    assert "Review uncertain matches" in page.inner_text("h1")
    shoot(page, "5-review")
    first = page.locator("#kind-good article").first
    query = first.locator(".query").inner_text()
    first.locator("button:has-text('Accept')").click()
    page.wait_for_url("**/review")
    flash = page.inner_text(".flash")
    assert "Accepted" in flash and ("re-scored" in flash or "changed" in flash)
    shoot(page, "6-reviewed")

    # Results again, a line, and the export.
    page.goto(assessment_url)
    page.click("table.lines-table a[href*='/lines/'] >> nth=0")
    page.wait_for_url("**/lines/*")
    assert "What was matched" in page.inner_text("main")
    shoot(page, "7-line")
    page.goto(assessment_url)
    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    download = download_info.value
    exported = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "Hetian Taida Apparel Co Ltd" in exported

    # The decision is in the audit log.
    page.click("nav >> text=Audit log")
    assert query.lower() in page.inner_text("main").lower()
    shoot(page, "8-audit-log")

    assert errors == []
    context.close()
