"""Browser journey: an editor builds a three-question questionnaire in the Wagtail admin, with one
question shown only on a condition, and submits it to the agency approval workflow; an
administrator approves it; three coordinators answer it (the conditional question appears only
once its condition holds); the editor reads the chart of the results and downloads them as an
XLSX workbook whose counts match."""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone

from .helpers import choose_english, log_in, open_action_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "雇用と待遇のアンケート（E2E）"
SLUG = "employment-survey-e2e"
COMMENT = "更新研修を地元でも受けられるようにしてほしい。"


@pytest.fixture
def questionnaire_index_id(demo_site):
    """The id of the questionnaire index page, made before the browser starts when the demo data
    has none (no ORM call may happen once the browser runs)."""
    from portal.home.models import HomePage
    from portal.questionnaires.models import QuestionnaireIndexPage

    index = QuestionnaireIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get()
        index = home.add_child(
            instance=QuestionnaireIndexPage(title="アンケート", slug="questionnaires")
        )
        index.save_revision().publish()
    return index.pk


@pytest.fixture
def third_coordinator(demo_site):
    """A third coordinator with a valid certificate, besides the demo's two, so that the results
    show a count that is not suppressed."""
    from django.contrib.auth.models import Group

    from portal.accounts import roles, services
    from portal.accounts.models import User, today

    user = User.objects.create_user(
        username="e2e-coordinator3",
        password="portal-demo",
        email="e2e-coordinator3@example.jp",
        last_name="試験",
        first_name="三郎",
        preferred_language="en",
    )
    user.groups.add(Group.objects.get(name=roles.COORDINATOR))
    services.certificate_issue(
        holder=user, number="E2E-Q-0003", issued_on=today() - datetime.timedelta(days=30)
    )
    return user.username


@pytest.fixture
def page_en(questionnaire_index_id, third_coordinator, page_ja, demo_site):
    """The browser with English chosen (started once the data above exists)."""
    return choose_english(page_ja, demo_site)


def _add_question(page, block_label):
    """Append a block to the questions StreamField through its "Insert a block" menu; returns
    the prefix of the new block's inputs."""
    stream = page.locator("[data-contentpath='questions']").first
    count = int(page.locator("input[name='questions-count']").input_value())
    stream.locator("button.c-sf-add-button:not([data-streamfield-list-add])").last.click()
    page.get_by_role("option", name=block_label, exact=True).click()
    prefix = f"#questions-{count}-value"
    page.locator(f"{prefix}-key").wait_for()
    return prefix


def _fill_datetime(page, selector, value):
    field = page.locator(selector)
    field.fill(value.strftime("%Y-%m-%d %H:%M"))
    field.press("Escape")
    field.press("Tab")
    assert field.input_value() == value.strftime("%Y-%m-%d %H:%M")


def _build_questionnaire(page):
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_title_en").fill("Employment and pay (E2E)")

    # 1. Single choice: the employment, with two options.
    q1 = _add_question(page, "Single choice")
    page.locator(f"{q1}-key").fill("employment")
    page.locator(f"{q1}-label").fill("現在の雇用形態")
    page.locator(f"{q1}-label_en").fill("Your form of employment")
    options = page.locator(f"{q1}-options-0-value-label").locator(
        "xpath=ancestor::*[@data-contentpath='options'][1]"
    )
    page.locator(f"{q1}-options-0-value-label").fill("正規職員")
    page.locator(f"{q1}-options-0-value-label_en").fill("Permanent staff")
    options.locator("[data-streamfield-list-add]").last.click()
    page.locator(f"{q1}-options-1-value-label").fill("非常勤")
    page.locator(f"{q1}-options-1-value-label_en").fill("Part-time")

    # 2. Likert, shown only when the answer to "employment" is 非常勤.
    q2 = _add_question(page, "Scale 1–5 (Likert)")
    page.locator(f"{q2}-key").fill("pay")
    page.locator(f"{q2}-label").fill("給与は専門性に見合っている")
    page.locator(f"{q2}-label_en").fill("My pay reflects my expertise")
    condition = page.locator(f"[aria-controls='block_group-{q2[1:]}-condition-content']")
    assert condition.get_attribute("aria-expanded") == "false"  # collapsed until opened
    condition.click()
    page.locator(f"{q2}-condition-question").fill("employment")
    page.locator(f"{q2}-condition-operator").select_option("is")
    page.locator(f"{q2}-condition-value").fill("非常勤")

    # 3. Long text, optional.
    q3 = _add_question(page, "Long text")
    page.locator(f"{q3}-key").fill("comment")
    page.locator(f"{q3}-label").fill("ご意見・ご要望")
    page.locator(f"{q3}-label_en").fill("Comments")
    page.locator(f"{q3}-required").uncheck()

    # Open since an hour ago, for a week; identified.
    page.get_by_role("tab", name="Audience and timing").click()
    now = timezone.localtime().replace(second=0, microsecond=0)
    _fill_datetime(page, "#id_opens_at", now - datetime.timedelta(hours=1))
    _fill_datetime(page, "#id_closes_at", now + datetime.timedelta(days=7))
    page.locator("#id_mode").select_option("identified")

    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill(SLUG)


def _answer(page, base, username, comment=""):
    """``username`` opens the questionnaire from the list, answers 非常勤 / 4 and sends it."""
    log_in(page, base, username, "/questionnaires/")
    row = page.locator(f"tr[data-questionnaire='{SLUG}']")
    assert row.get_attribute("data-status") == "not_started"
    row.get_by_role("link", name=re.compile(r"Employment and pay")).click()
    page.wait_for_url(re.compile(rf"/questionnaires/{SLUG}/$"))
    pay = page.locator("[data-question='pay']")
    pay.wait_for(state="hidden")  # by the conditions script, once it has run
    assert pay.get_attribute("hidden") is not None
    employment = page.locator("[data-question='employment']")
    employment.get_by_role("radio", name="Permanent staff").check()
    assert pay.is_hidden()  # the condition does not hold
    employment.get_by_role("radio", name="Part-time").check()
    pay.wait_for(state="visible")
    assert pay.get_attribute("hidden") is None
    pay.get_by_role("radio", name=re.compile(r"^4\b")).check()
    if comment:
        page.locator("[data-question='comment'] textarea").fill(comment)
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    success = page.locator(".messages .message--success")
    assert "Your response is submitted" in success.inner_text()
    assert page.locator("[data-part='submitted']").is_visible()


def test_questionnaire_from_builder_to_results(
    demo_site, questionnaire_index_id, page_en, tmp_path
):
    page = page_en

    # The editor builds the questionnaire and submits it to the approval workflow.
    add_url = f"/admin/pages/add/questionnaires/questionnairepage/{questionnaire_index_id}/"
    log_in(page, demo_site, "editor", add_url)
    _build_questionnaire(page)
    page.screenshot(path=str(tmp_path / "built.png"), full_page=True)
    open_action_menu(page)
    assert page.locator("footer button[name='action-publish']").count() == 0
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{questionnaire_index_id}/$"))
    success = page.locator(".messages .success")
    assert "submitted for moderation" in success.inner_text(), page.content()
    row = page.locator("tbody tr", has_text=TITLE)
    status = row.locator(".w-status").inner_text()
    assert re.search(r"in moderation", status, re.IGNORECASE), status
    assert not re.search(r"\blive\b", status, re.IGNORECASE), status
    edit_href = row.get_by_role("link", name=TITLE).get_attribute("href")
    page_id = re.search(r"/admin/pages/(\d+)/edit/", edit_href).group(1)

    # Not live yet: coordinators neither see it listed nor reach it.
    log_in(page, demo_site, "coordinator", "/questionnaires/")
    assert page.locator(f"tr[data-questionnaire='{SLUG}']").count() == 0
    response = page.goto(f"{demo_site}/questionnaires/{SLUG}/")
    assert response.status == 404

    # The administrator approves it from the edit page: it is live.
    log_in(page, demo_site, "admin", f"/admin/pages/{page_id}/edit/")
    open_action_menu(page)
    page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    page.wait_for_url(re.compile(rf"/admin/pages/{questionnaire_index_id}/$"))
    status = page.locator("tbody tr", has_text=TITLE).locator(".w-status").inner_text()
    assert re.fullmatch(r"\s*(Current page status:)?\s*live\s*", status, re.IGNORECASE), status

    # The coordinator finds it not started, answers, and sees it submitted.
    _answer(page, demo_site, "coordinator", comment=COMMENT)
    page.screenshot(path=str(tmp_path / "answered.png"), full_page=True)
    page.get_by_role("link", name="All questionnaires").click()
    page.wait_for_url(re.compile(r"/questionnaires/$"))
    row = page.locator(f"tr[data-questionnaire='{SLUG}']")
    assert row.get_attribute("data-status") == "submitted"
    assert row.get_attribute("data-state") == "open"

    # Two more coordinators answer the same way.
    _answer(page, demo_site, "coordinator2")
    _answer(page, demo_site, "e2e-coordinator3")

    # The editor opens the results from the questionnaire's page in the admin.
    log_in(page, demo_site, "editor", f"/admin/pages/{page_id}/edit/")
    header_actions = page.locator("#w-slim-header-buttons")
    header_actions.locator("[data-w-dropdown-target='toggle']").first.click()
    header_actions.get_by_role("link", name="Results").click()
    page.wait_for_url(re.compile(rf"/admin/questionnaires/{page_id}/results/$"))
    assert re.match(r"\s*3 of \d+ ", page.locator("[data-part='overall']").inner_text())
    employment = page.locator("article[data-question='employment']")
    chart = employment.locator("svg[role=img]")
    assert chart.count() == 1
    assert chart.is_visible()
    assert employment.locator("[data-part='respondents']").inner_text() == "3"
    table = employment.locator("table[data-part='table']")
    assert _table_count(table, "Part-time") == "3"
    assert _table_count(table, "Permanent staff") == "0"
    pay = page.locator("article[data-question='pay']")
    assert pay.locator("svg[role=img]").count() == 1
    assert _table_count(pay.locator("table[data-part='table']"), re.compile(r"^4\b")) == "3"
    comment = page.locator("article[data-question='comment']")
    assert comment.locator("[data-part='respondents']").inner_text() == "<3"  # one answer
    assert COMMENT in comment.locator("[data-part='texts']").inner_text()
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)

    # The aggregated workbook holds the same counts, and no free text.
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="Aggregated results (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    answers = _answers_sheet(workbook["Answers"])
    assert answers[("employment", "Part-time")] == 3
    assert answers[("employment", "Permanent staff")] == 0
    assert answers[("employment", "Respondents to this question")] == 3
    assert answers[("pay", "4 – agree")] == 3
    assert answers[("pay", "Respondents to this question")] == 3
    assert answers[("comment", "Respondents to this question")] == "<3"
    rates = list(workbook["Response rate"].iter_rows(values_only=True))
    header, overall = rates[0], rates[1]
    assert overall[header.index("Respondents")] == 3
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert COMMENT not in cells
    workbook.close()


def _table_count(table, label):
    """The count shown in a results table for the answer ``label``."""
    row = table.locator("tbody tr").filter(has=table.page.get_by_role("rowheader", name=label))
    assert row.count() == 1, label
    return row.locator("[data-part='count']").inner_text().strip()


def _answers_sheet(sheet):
    """(question key, option) → respondents, from the "Answers" sheet."""
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    key, option, count = (header.index(name) for name in ("Key", "Option", "Respondents"))
    return {(row[key], row[option]): row[count] for row in rows[1:]}
