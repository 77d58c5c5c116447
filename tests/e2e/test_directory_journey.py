"""Browser journeys of the directory and partners."""

import pytest

from .helpers import choose_english, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


@pytest.fixture
def page_en(page_ja, demo_site):
    """The same browser with English chosen (coordinator2's profile language)."""
    return choose_english(page_ja, demo_site)


def test_consent_listing_and_withdrawal(demo_site, page_en, tmp_path):
    page = page_en
    # coordinator2 consents to the members' directory, showing nothing optional.
    log_in(page, demo_site, "coordinator2", "/accounts/profile/")
    page.locator("#id_consent-directory-listed").check()
    for box in page.locator("input[name='consent-directory-fields']").all():
        box.uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    preview = page.locator("section[aria-labelledby='preview-heading']")
    assert "NGUYEN" in preview.inner_text()
    assert preview.locator("[data-part='workplace']").count() == 0
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)
    _logout(page)

    # coordinator finds them with a language filter.
    log_in(page, demo_site, "coordinator", "/directory/")
    language = page.get_by_label("Language", exact=True)
    language.select_option(
        label=language.locator("option", has_text="Vietnamese").first.inner_text()
    )
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    cards = page.locator("article.profile-card")
    names = " ".join(cards.all_inner_texts())
    assert "Van An NGUYEN" in names
    page.get_by_role("link", name="Van An NGUYEN").click()
    page.wait_for_load_state()
    assert (
        page.locator("[data-part='workplace'], [data-part='contact'], [data-part='bio']").count()
        == 0
    )
    detail_url = page.url
    _logout(page)

    # coordinator2 withdraws.
    log_in(page, demo_site, "coordinator2", "/accounts/profile/")
    page.locator("#id_consent-directory-listed").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    _logout(page)

    # Gone for coordinator on reload: the list and the detail page.
    log_in(page, demo_site, "coordinator", "/directory/")
    page.goto(f"{demo_site}/directory/?q=nguyen+van+an")
    assert page.locator("article.profile-card").count() == 0
    response = page.goto(detail_url)
    assert response.status == 404


def test_partner_suggestion_is_published_after_an_editor_approves(demo_site, page_en, tmp_path):
    page = page_en
    log_in(page, demo_site, "coordinator", "/partners/suggest/")
    page.get_by_label("name (Japanese)").fill("みなと多言語生活相談室")
    page.get_by_label("name (English)").fill("Minato Multilingual Life Desk")
    page.get_by_label("type").select_option("npo-support-group")
    page.get_by_label("level").select_option("private")
    page.locator("input[name='fields']").nth(12).check()  # housing (13th field)
    page.get_by_label("covers all of Japan").check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url(f"{demo_site}/partners/")
    assert "Minato Multilingual Life Desk" not in page.content()  # not before approval
    _logout(page)

    log_in(page, demo_site, "editor", "/admin/")
    page.goto(f"{demo_site}/admin/snippets/directory/partner/?q=Minato")
    page.get_by_role("link", name="みなと多言語生活相談室").first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.get_by_role("button", name="More actions").last.click()
    page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    page.wait_for_load_state()
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": "portal_language",
                "value": "en",
                "domain": demo_site.split("//")[1].split(":")[0],
                "path": "/",
            }
        ]
    )

    log_in(page, demo_site, "coordinator", "/partners/")
    housing = page.locator("section[aria-labelledby='field-housing']")
    assert "Minato Multilingual Life Desk" in housing.inner_text()
