"""Browser journey: a coordinator submits a case with a phone number and a name in it, sees
both flagged, fixes them and submits; a moderator requests changes; the coordinator resubmits;
the moderator approves; another coordinator, who consented to nothing, finds the case in the
library filtered by its field."""

import re

import pytest

from .helpers import choose_english, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "残業代の未払いに関する相談（E2E）"
LEAKY = "<p>田中さんから 090-1234-5678 に電話があり、残業代が払われていないと相談を受けた。</p>"
CLEAN = "<p>Aさんから電話があり、残業代が払われていないと相談を受けた。</p>"
REASON = "どの機関につないだのか、支援の流れをもう少し具体的に書いてください。"


@pytest.fixture
def page_en(page_ja, demo_site):
    return choose_english(page_ja, demo_site)


def _workflow_action(page, name):
    page.locator("footer").locator("[data-w-dropdown-target='toggle']").first.click()
    page.locator(f"button[data-workflow-action-name='{name}']").first.click()


def test_case_from_flagged_draft_to_the_library(demo_site, page_en, tmp_path):
    page = page_en

    # The coordinator writes the case; the assistant flags the phone number and the name.
    log_in(page, demo_site, "coordinator", "/cases/submit/")
    page.locator("#id_title").fill(TITLE)
    field = page.locator("input[name='fields']").first
    field_id = field.get_attribute("value")
    field.check()
    page.locator("select[name='prefecture']").select_option(index=13)
    page.locator("#id_summary").fill("未払いの残業代について、労働基準監督署と連携して対応した。")
    page.locator("#id_situation").fill(LEAKY)
    page.locator("#id_issues").fill("雇用契約の内容を本人が理解していなかった。")
    page.locator("#id_actions").fill("本人の同意を得て、労働基準監督署の相談窓口につないだ。")
    page.locator("select[name='outcome']").select_option("resolved")
    page.locator("#id_lessons").fill("給与明細の読み方を早めに説明する。")
    page.locator("input[name='client_consent']").check()
    for box in page.locator("input[name='ethics_checklist']").all():
        box.check()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert page.locator("[data-part='open-findings']").is_visible()
    situation = page.locator("[data-part='findings'][data-field='situation']")
    assert situation.locator("[data-part='finding'][data-kind='phone']").count() == 1
    assert situation.locator("[data-part='finding'][data-kind='name']").count() == 1
    assert situation.locator("mark").first.is_visible()
    assert page.locator("#id_title").input_value() == TITLE  # nothing typed is lost
    page.screenshot(path=str(tmp_path / "flagged.png"), full_page=True)

    # It fixes the text and submits.
    page.locator("#id_situation").fill(CLEAN)
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/cases/mine/"))
    row = page.locator("[data-part='own-case']", has_text=TITLE)
    assert row.locator("[data-part='state']").get_attribute("data-state") == "in_review"
    case_id = row.get_attribute("data-case")

    # The moderator asks for changes, with a reason.
    log_in(page, demo_site, "moderator", f"/admin/pages/{case_id}/edit/")
    _workflow_action(page, "reject")
    dialog = page.locator("[role='dialog']:visible, .modal:visible").first
    dialog.locator("textarea[name='comment']").fill(REASON)
    with page.expect_navigation():
        dialog.locator("button[type='submit']").click()
    page.wait_for_load_state()

    # The coordinator reads the reason, completes the case and submits it again.
    log_in(page, demo_site, "coordinator", "/cases/mine/")
    row = page.locator("[data-part='own-case']", has_text=TITLE)
    assert row.locator("[data-part='state']").get_attribute("data-state") == "changes_requested"
    assert REASON in row.inner_text()
    row.locator("[data-part='edit-link']").click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/edit/"))
    page.locator("#id_actions").fill(
        "本人の同意を得て、労働基準監督署の相談窓口と法テラスの多言語窓口につないだ。"
    )
    if not page.locator("input[name='client_consent']").is_checked():
        page.locator("input[name='client_consent']").check()
    for box in page.locator("input[name='ethics_checklist']").all():
        box.check()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/cases/mine/"))
    row = page.locator("[data-part='own-case']", has_text=TITLE)
    assert row.locator("[data-part='state']").get_attribute("data-state") == "in_review"

    # The moderator approves: the case is published.
    log_in(page, demo_site, "moderator", f"/admin/pages/{case_id}/edit/")
    with page.expect_navigation():
        _workflow_action(page, "approve")
    page.wait_for_load_state()

    # Another coordinator, who consented to nothing, finds it by its field.
    log_in(page, demo_site, "coordinator2", "/cases/")
    page.locator("select[name='field']").select_option(field_id)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/cases/\?"))
    link = page.get_by_role("link", name=TITLE)
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    body = page.content()
    assert "Anonymous" in body or "匿名" in body
    assert "090-1234-5678" not in body
    page.screenshot(path=str(tmp_path / "published.png"), full_page=True)
