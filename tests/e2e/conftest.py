import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it (seeding data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER = os.environ.get("PORTAL_BROWSER", "/usr/bin/chromium")


@pytest.fixture
def browser(django_db_serialized_rollback, live_server):
    """Started per test, after the database is ready: Playwright's greenlets get a fresh
    context, and a browser started earlier would hide the test database's saved contents."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=BROWSER,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_ja(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
