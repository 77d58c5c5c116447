"""Answering a questionnaire: every question type, conditions, drafts, one response per member,
edits until closing, and what members outside the audience see."""

import datetime
import json

import pytest
from django.utils import timezone, translation

from portal.questionnaires.blocks import question
from portal.questionnaires.forms import ResponseForm
from portal.questionnaires.models import (
    Answer,
    IdentifiedResponse,
    ResponseDraft,
    ResponseSheet,
    RosterEntry,
)
from portal.questionnaires.questions import OTHER, QuestionSet, Vocabulary
from portal.taxonomy.models import Field, Prefecture

pytestmark = pytest.mark.django_db


def post(client, page, data, action="submit"):
    return client.post(page.url, {**data, "action": action})


def test_coordinator_answers_and_conditional_question_is_dropped_when_hidden(
    coordinator, client_for, make_questionnaire
):
    page = make_questionnaire()
    client = client_for(coordinator)
    response = client.get(page.url)
    assert response.status_code == 200
    assert 'data-question="pay"' in response.content.decode()
    # "pay" only applies to part-timers: its answer is dropped for a permanent employee.
    response = post(client, page, {"q-employment": "0", "q-days": "4", "q-pay": "5"})
    assert response.status_code == 302
    sheet = IdentifiedResponse.objects.get(questionnaire=page, user=coordinator).sheet
    assert sorted(sheet.answers.values_list("question", flat=True)) == ["days", "employment"]
    assert RosterEntry.objects.get(questionnaire=page, user=coordinator).has_responded


def test_required_only_when_shown_and_typing_is_kept(coordinator, client_for, make_questionnaire):
    page = make_questionnaire()
    coordinator.preferred_language = "en"
    coordinator.save(update_fields=["preferred_language"])
    client = client_for(coordinator)
    response = post(client, page, {"q-employment": "1", "q-days": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"q-pay"}
    assert "Please answer this question." in response.content.decode()
    assert not ResponseSheet.objects.filter(questionnaire=page).exists()
    draft = ResponseDraft.objects.get(questionnaire=page, user=coordinator)
    assert draft.data["q-days"] == ["3"]
    response = post(client, page, {"q-employment": "1", "q-days": "3", "q-pay": "2"})
    assert response.status_code == 302
    assert not ResponseDraft.objects.filter(questionnaire=page).exists()
    assert Answer.objects.filter(question="pay", option=2).count() == 1


def test_draft_is_shown_again_without_errors(coordinator, client_for, make_questionnaire):
    page = make_questionnaire()
    client = client_for(coordinator)
    response = post(client, page, {"q-employment": "1", "q-days": "99"}, action="draft")
    assert response.status_code == 302
    assert not ResponseSheet.objects.exists()
    response = client.get(page.url)
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["q-days"] == "99"
    assert 'data-part="draft"' in response.content.decode()
    rows = {row.page.pk: row for row in client.get("/questionnaires/").context["rows"]}
    assert rows[page.pk].status == "draft"


def test_one_response_per_member_edited_until_close_then_refused(
    coordinator, client_for, make_questionnaire
):
    page = make_questionnaire()
    client = client_for(coordinator)
    post(client, page, {"q-employment": "0"})
    post(client, page, {"q-employment": "2", "q-days": "5"})
    assert ResponseSheet.objects.filter(questionnaire=page).count() == 1
    assert set(Answer.objects.filter(question="employment").values_list("option", flat=True)) == {2}
    # The stored answers are shown again for editing.
    assert client.get(page.url).context["form"].initial["q-employment"] == "2"
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision().publish()
    response = post(client, page, {"q-employment": "1"})
    assert response.status_code == 302
    assert set(Answer.objects.filter(question="employment").values_list("option", flat=True)) == {2}
    page_html = client.get(page.url).content.decode()
    assert 'data-part="closed"' in page_html
    assert 'data-part="own-answers"' in page_html
    assert "questionnaire-form" not in page_html


def test_anonymous_mode_allows_one_response_only(coordinator, client_for, make_questionnaire):
    page = make_questionnaire(mode="anonymous")
    client = client_for(coordinator)
    assert post(client, page, {"q-employment": "0"}).status_code == 302
    assert post(client, page, {"q-employment": "1"}).status_code == 302
    assert ResponseSheet.objects.filter(questionnaire=page).count() == 1
    assert set(Answer.objects.values_list("option", flat=True)) == {0}
    html = client.get(page.url).content.decode()
    assert 'data-part="submitted-anonymous"' in html
    assert "questionnaire-form" not in html


def test_member_outside_the_audience_gets_404(
    coordinator, make_user, issue_certificate, client_for, make_questionnaire
):
    tokyo = Prefecture.objects.get(code="JP-13")
    osaka = Prefecture.objects.get(code="JP-27")
    other = make_user("osaka-coord", "Coordinator")
    issue_certificate(
        other, timezone.localdate() - datetime.timedelta(days=10), workplace_prefecture=osaka
    )
    page = make_questionnaire(prefectures=[tokyo])
    assert client_for(other).get(page.url).status_code == 404
    assert post(client_for(other), page, {"q-employment": "0"}).status_code == 404
    assert not ResponseSheet.objects.exists()
    assert page.pk not in {
        row.page.pk for row in client_for(other).get("/questionnaires/").context["rows"]
    }


def test_expired_coordinator_and_visitor_are_gated(
    expired_coordinator, client, client_for, make_questionnaire
):
    page = make_questionnaire()
    assert client.get(page.url).status_code == 302  # to the login page
    assert client_for(expired_coordinator).get(page.url).status_code == 403


def test_not_yet_open(coordinator, client_for, make_questionnaire):
    now = timezone.now()
    page = make_questionnaire(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=5)
    )
    client = client_for(coordinator)
    response = client.get(page.url)
    assert response.status_code == 200
    assert 'data-part="upcoming"' in response.content.decode()
    assert post(client, page, {"q-employment": "0"}).status_code == 200
    assert not ResponseSheet.objects.exists()
    rows = {row.page.pk: row for row in client.get("/questionnaires/").context["rows"]}
    assert rows[page.pk].state == "upcoming"


def test_staff_see_the_form_without_answering(editor, client_for, make_questionnaire):
    page = make_questionnaire()
    response = client_for(editor).get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-part="staff-view"' in html
    assert 'value="submit"' not in html
    assert not RosterEntry.objects.filter(user=editor).exists()


def test_member_home_lists_open_questionnaires_not_yet_submitted(
    coordinator, client_for, make_questionnaire
):
    page = make_questionnaire()
    client = client_for(coordinator)
    assert [q.page.pk for q in client.get("/members/").context["open_questionnaires"]] == [page.pk]
    post(client, page, {"q-employment": "0"})
    assert client.get("/members/").context["open_questionnaires"] == []


def count_queries(fn) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


def test_index_queries_do_not_grow_with_open_questionnaires(
    coordinator, client_for, make_questionnaire
):
    client = client_for(coordinator)
    make_questionnaire()
    client.get("/questionnaires/")  # fixes the audience
    one = count_queries(lambda: client.get("/questionnaires/"))
    for _ in range(4):
        make_questionnaire()
    client.get("/questionnaires/")
    five = count_queries(lambda: client.get("/questionnaires/"))
    assert len(client.get("/questionnaires/").context["rows"]) == 5
    assert five == one


# Every question type ------------------------------------------------------------------------


ALL_TYPES = [
    question("single_choice", "single", "一つ", options=["A", "B"], allow_other=True),
    question("multiple_choice", "multi", "複数", options=["A", "B", "C"], max_choices=2),
    question("likert", "scale", "尺度"),
    question("number", "count", "件数", min_value="0", max_value="100"),
    question("number", "ratio", "割合", whole_number=False, required=False),
    question("date", "when", "日付"),
    question("short_text", "short", "短文"),
    question("long_text", "long", "長文", required=False),
    question("prefecture", "pref", "都道府県"),
    question("field", "fields", "分野", multiple=True, max_choices=2),
    question("field", "main_field", "主な分野", required=False),
]


@pytest.fixture
def all_types(db):
    from wagtail.fields import StreamField

    from portal.questionnaires.blocks import QuestionStreamBlock

    stream = StreamField(QuestionStreamBlock()).to_python(json.dumps(ALL_TYPES))
    return QuestionSet.from_stream(stream)


def valid_data():
    fields = list(Field.objects.values_list("pk", flat=True)[:2])
    return {
        "q-single": "1",
        "q-multi": ["0", "2"],
        "q-scale": "4",
        "q-count": "12",
        "q-ratio": "0.25",
        "q-when": "2026-04-01",
        "q-short": "  回答  ",
        "q-pref": str(Prefecture.objects.get(code="JP-13").pk),
        "q-fields": [str(f) for f in fields],
    }


def form_for(questions, data):
    from django.utils.datastructures import MultiValueDict

    values = {k: v if isinstance(v, list) else [v] for k, v in data.items()}
    return ResponseForm(questions, Vocabulary.get(), data=MultiValueDict(values))


def test_every_type_stores_its_canonical_value(all_types):
    form = form_for(all_types, valid_data())
    assert form.is_valid(), form.errors
    rows = {(r["question"], r.get("option"), r.get("field_id")): r for r in form.answer_rows()}
    assert {k[0] for k in rows} == {
        "single",
        "multi",
        "scale",
        "count",
        "ratio",
        "when",
        "short",
        "pref",
        "fields",
    }
    assert rows[("short", None, None)]["text"] == "回答"
    assert rows[("count", None, None)]["number"] == 12
    assert rows[("when", None, None)]["date"] == datetime.date(2026, 4, 1)
    assert {k[1] for k in rows if k[0] == "multi"} == {0, 2}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q-single", "7", "Select a valid choice"),
        ("q-multi", ["0", "1", "2"], "Choose at most 2."),
        ("q-scale", "6", "Select a valid choice"),
        ("q-count", "101", "less than or equal to 100"),
        ("q-count", "1.5", "no more than 0 decimal places"),
        ("q-count", "abc", "Enter a number."),
        ("q-when", "2026-02-30", "Enter a valid date."),
        ("q-short", "あ" * 201, "at most 200 characters"),
        ("q-pref", "99999", "Select a valid choice"),
        ("q-fields", ["1", "2", "3"], "Choose at most 2."),
        ("q-single", str(OTHER), "Please say what “other” is."),
        ("q-short", "", "Please answer this question."),
    ],
)
def test_each_type_refuses_bad_input(all_types, field, value, message):
    data = valid_data()
    if field == "q-fields":
        value = [str(pk) for pk in Field.objects.values_list("pk", flat=True)[:3]]
    data[field] = value
    with translation.override("en"):
        form = form_for(all_types, data)
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])
    assert set(form.errors) == {field}


def test_other_text_is_kept_with_the_other_option(all_types):
    data = {**valid_data(), "q-single": str(OTHER), "q-single-other": "自治会"}
    form = form_for(all_types, data)
    assert form.is_valid(), form.errors
    (row,) = [r for r in form.answer_rows() if r["question"] == "single"]
    assert row == {"question": "single", "option": OTHER, "text": "自治会"}
