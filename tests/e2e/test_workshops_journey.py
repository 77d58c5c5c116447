"""Browser journey: a coordinator finds a case study workshop, registers and cancels."""

import re

import pytest

from .helpers import choose_english, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIRST = "オンライン事例検討会：在留資格の変更と就労の相談"
SECOND = "事例検討会（東京会場）：子育て家庭の住まいと教育の相談"


@pytest.fixture
def page_en(page_ja, demo_site):
    """The same browser with English chosen in the language switch."""
    return choose_english(page_ja, demo_site)


def test_coordinator_registers_for_a_workshop_and_cancels(demo_site, page_en, tmp_path):
    page = page_en
    log_in(page, demo_site, "coordinator", "/workshops/")

    assert page.get_by_role("heading", level=1).inner_text() == "事例検討会"
    upcoming = page.locator("section[aria-labelledby='upcoming-heading']")
    cards = upcoming.locator("article.workshop-card")
    assert cards.count() == 2
    # The demo coordinator already holds a seat at the first workshop, not at the second.
    assert "Registered" in cards.filter(has_text=FIRST).inner_text()
    assert "Registered" not in cards.filter(has_text=SECOND).inner_text()
    assert "20 seats left" in cards.filter(has_text=SECOND).inner_text()
    page.screenshot(path=str(tmp_path / "workshops.png"), full_page=True)

    page.get_by_role("link", name=SECOND).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == SECOND
    status = page.locator("[data-part='viewer-status']")
    assert status.inner_text().strip() == "You are not registered."
    assert page.locator("[data-part='seats-left']").inner_text().strip() == "20"
    assert "Materials are shown to registered attendees." not in page.content()

    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text().strip() == "You are registered for this workshop."
    assert status.inner_text().strip() == "You are registered for this workshop."
    assert page.locator("[data-part='seats-left']").inner_text().strip() == "19"
    assert page.get_by_role("button", name="Register", exact=True).count() == 0
    page.screenshot(path=str(tmp_path / "workshop-registered.png"), full_page=True)

    page.get_by_role("button", name="Cancel registration").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text().strip() == (
        "Your registration has been cancelled."
    )
    assert status.inner_text().strip() == "You cancelled your registration."
    assert page.locator("[data-part='seats-left']").inner_text().strip() == "20"
    assert page.get_by_role("button", name="Register", exact=True).is_visible()

    page.get_by_role("link", name="All workshops").click()
    page.wait_for_url(re.compile(r".*/workshops/$"))
    second = page.locator("article.workshop-card").filter(has_text=SECOND)
    assert "Registered" not in second.inner_text()
    assert "Cancelled" not in second.inner_text()
