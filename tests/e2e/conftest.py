"""Browser tests: headless Chromium (Debian's `chromium` package) driven by Playwright's Python
package, against pytest-django's live server. Only the Python package is needed (no
`playwright install`): the browser is the system's.

Without /usr/bin/chromium these tests are skipped with the reason, unless PAZAR_E2E_REQUIRED is
set (CI sets it), in which case a missing browser is an error. Each test saves screenshots in
tests/e2e/screenshots/<test module>/, committed: every run refreshes them, and the main pages of
both panels at 1440 and 390 px are test_accessibility's. They are stored as 256-colour PNGs to
stay small.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.db import connections
from PIL import Image

CHROMIUM = Path(os.environ.get("PAZAR_E2E_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
MISSING = (
    f"{CHROMIUM} is not installed; install it with `apt-get install -y chromium` "
    "to run the browser tests"
)


@pytest.fixture(autouse=True)
def batch_files(settings, tmp_path):
    """Batch files of the test go to a directory of its own, not the data directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }


@pytest.fixture
def _async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in the test's thread, and Django then refuses
    every ORM call from that thread (SynchronousOnlyOperation), although the calls are plain
    synchronous ones. Allowed for the browser tests only, and only while they run."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(_async_unsafe_allowed, transactional_db, live_server):
    if not CHROMIUM.exists():
        if os.environ.get("PAZAR_E2E_REQUIRED"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield launched
        finally:
            launched.close()
            # The test's queries ran while Playwright's loop was running, on connections of
            # their own (Django keeps them per context); close them, or the test database
            # could not be dropped at the end.
            connections.close_all()


@pytest.fixture
def new_page(browser):
    """Opens a page in a context of its own (its own cookies): one per person in the test."""
    contexts = []

    def open_page(locale: str = "en-US"):
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale=locale)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """`shot(page, "name")` saves tests/e2e/screenshots/<test module>/<name>.png (each run
    overwrites the last one's)."""
    folder = SCREENSHOTS / request.node.module.__name__.rsplit(".", 1)[-1]
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = folder / f"{name}.png"
        image = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        return path

    return save


def operator_log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/admin/")


def seller_sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/seller-center/panel/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/seller-center/panel/products/")
