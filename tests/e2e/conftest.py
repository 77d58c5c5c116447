import io
import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it (seeding data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER = os.environ.get("PORTAL_BROWSER", "/usr/bin/chromium")


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server):
    """The live server with the demo data loaded; its URL."""
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def browser(demo_site):
    """Started per test, once the data is in place. Tests make no ORM calls while it runs:
    Playwright's event loop gives the test body a fresh context, and with it a database
    connection of its own that nothing would close."""
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
