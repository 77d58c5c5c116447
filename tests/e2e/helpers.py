"""Steps every browser journey takes: choosing English, logging in, the admin's action menu."""

import re

DEMO_PASSWORD = "portal-demo"


def choose_english(page, demo_site):
    """The same browser with English chosen (the language cookie of the language switch)."""
    host = demo_site.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": "portal_language", "value": "en", "domain": host, "path": "/"}]
    )
    return page


def log_in(page, base, username, next_url="/members/"):
    """Log in through the form (English interface) as ``username`` and land on ``next_url``."""
    page.context.clear_cookies(name="sessionid")
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(base + next_url.split("?")[0])))


def open_action_menu(page):
    """Open the admin editor's footer menu (submit to a workflow, approve, …)."""
    page.locator("footer").locator("[data-w-dropdown-target='toggle']").first.click()
