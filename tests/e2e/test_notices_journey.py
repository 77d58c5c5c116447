"""Browser journey: an editor writes an important members-only notice and submits it to the
agency approval workflow; an administrator approves it; a coordinator finds it on the member
start page and confirms reading it; the administrator sees the confirmation in the report."""

import re

import pytest

from .helpers import choose_english, log_in, open_action_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "在留手続きの重要な変更（E2E）"


@pytest.fixture
def notice_index_id(demo_site):
    """The id of the notice index page, made before the browser starts when the demo data has
    none (no ORM call may happen once the browser runs)."""
    from newsletters.models import NoticeIndexPage
    from portal.home.models import HomePage

    index = NoticeIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get()
        index = home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))
        index.save_revision().publish()
    return index.pk


@pytest.fixture
def page_en(notice_index_id, page_ja, demo_site):
    """The browser with English chosen (started once the notice index exists)."""
    return choose_english(page_ja, demo_site)


def test_important_notice_from_draft_to_confirmation(demo_site, notice_index_id, page_en, tmp_path):
    page = page_en

    # The editor drafts the notice and submits it to the approval workflow.
    add_url = f"/admin/pages/add/newsletters/noticepage/{notice_index_id}/"
    log_in(page, demo_site, "editor", add_url)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("在留カードの更新手続きが変わります。必ずお読みください。")
    page.locator("#id_summary_en").fill("The residence card renewal procedure changes.")
    page.locator("#id_category").select_option("procedure")
    page.locator("#id_importance").select_option("important")
    page.locator("#id_audience").select_option("members")
    page.locator("#id_title").focus()
    page.locator("#id_summary").focus()  # the slug follows the title on blur
    open_action_menu(page)
    page.locator("button[name='action-submit']").click()
    page.wait_for_load_state()
    assert page.locator(".messages .success, .messages [class*='success']").count() >= 1
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)

    # The administrator approves it from the edit page.
    log_in(page, demo_site, "admin", f"/admin/pages/{notice_index_id}/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    edit_url = page.url
    page_id = re.search(r"/admin/pages/(\d+)/edit/", edit_url).group(1)
    open_action_menu(page)
    page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    page.wait_for_load_state()
    page.goto(edit_url)
    assert page.locator("footer").get_by_text("Approve").count() == 0

    # The coordinator sees it on the member start page, opens it and confirms.
    log_in(page, demo_site, "coordinator", "/members/")
    notices = page.locator("section[aria-labelledby='notices-heading']")
    link = notices.get_by_role("link", name=re.compile(re.escape(TITLE)))
    assert link.count() == 1
    assert link.inner_text() != TITLE  # marked "please confirm"
    link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    page.get_by_role("button", name="I have read this").click()
    page.wait_for_load_state()
    assert page.locator("[data-part='acknowledged']").is_visible()
    assert page.get_by_role("button", name="I have read this").count() == 0
    page.screenshot(path=str(tmp_path / "confirmed.png"), full_page=True)
    page.goto(f"{demo_site}/members/")
    link = page.locator("section[aria-labelledby='notices-heading']").get_by_role(
        "link", name=re.compile(re.escape(TITLE))
    )
    assert link.inner_text() == TITLE

    # The administrator opens the report: one confirmation.
    log_in(page, demo_site, "admin", f"/admin/pages/{page_id}/edit/")
    header_actions = page.locator("#w-slim-header-buttons")
    header_actions.locator("[data-w-dropdown-target='toggle']").first.click()
    header_actions.get_by_role("link", name="Confirmations of reading").click()
    page.wait_for_url(re.compile(rf"/admin/notices/{page_id}/acknowledgements/"))
    totals = page.locator("[data-part='totals']").inner_text()
    assert re.match(r"\s*1 of \d+ ", totals), totals
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
