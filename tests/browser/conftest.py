"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

`page` is a fresh browser page; `logged_in_page(user)` logs that user in through the real
log-in form and returns the page.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD
from tests.debt_collection.conftest import (  # noqa: F401  (the Bilag and legal tests)
    collections,
    debtor,
)
from tests.integrations.conftest import (  # noqa: F401  (the sandbox, for the letters test)
    fast_client_retries,
    sandbox_company,
    sandbox_integration,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _allow_sync_orm_next_to_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself (fixtures, assertions) are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        # .ci/run installs Chromium: in CI a missing browser is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI (Debian package chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="nb-NO")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def logged_in_page(page, live_server):
    def login(user):
        page.goto(f"{live_server.url}/logg-inn/")
        page.fill('input[name="username"]', user.email)
        page.fill('input[name="password"]', PASSWORD)
        page.click('button[type="submit"]')
        page.wait_for_load_state("networkidle")
        assert "/logg-inn/" not in page.url, "log-in failed"
        return page

    return login
