"""The builder in the admin: question blocks checked together, approval workflow, and what may
no longer change once members have started answering."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.fields import StreamField
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.questionnaires.blocks import QuestionStreamBlock, question
from portal.questionnaires.models import QuestionnairePage
from portal.questionnaires.questions import stream_errors
from portal.questionnaires.services import questionnaire_edit_problems

pytestmark = pytest.mark.django_db


def stream(items):
    return StreamField(QuestionStreamBlock()).to_python(json.dumps(items))


def errors_of(items):
    with translation.override("en"):
        return {
            index: [str(e.message) for e in problems.get("block", [])]
            + [f"{name}: {e.message}" for name, e in problems.get("fields", {}).items()]
            for index, problems in stream_errors(stream(items)).items()
        }


CHOICE = question("single_choice", "q1", "雇用形態", options=["正規", "非常勤"])


def test_a_valid_stream_has_no_errors():
    assert (
        errors_of([CHOICE, question("likert", "q2", "満足度", condition=("q1", "is", "非常勤"))])
        == {}
    )


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([CHOICE, question("short_text", "q1", "重複")], "key: Another question already uses"),
        ([question("likert", "q2", "後", condition=("q9", "is", "1")), CHOICE], "earlier question"),
        ([question("likert", "q2", "前", condition=("q1", "is", "1")), CHOICE], "earlier question"),
        ([CHOICE, question("likert", "q2", "x", condition=("q1", "at_least", "1"))], "can only be"),
        (
            [CHOICE, question("likert", "q2", "x", condition=("q1", "is", "常勤のみ"))],
            "does not match",
        ),
        (
            [question("number", "n", "数", min_value="10", max_value="1")],
            "max_value: The maximum must not be below the minimum",
        ),
    ],
)
def test_builder_refuses_inconsistent_questions(items, expected):
    errors = errors_of(items)
    assert errors, "the stream should be refused"
    assert any(expected in message for messages in errors.values() for message in messages)


def test_condition_values_accept_text_number_or_vocabulary():
    items = [
        CHOICE,
        question("likert", "a", "x", condition=("q1", "is", "2")),  # option number
        question("prefecture", "p", "都道府県"),
        question("short_text", "b", "x", condition=("p", "is", "東京")),
        question("field", "f", "分野", multiple=True),
        question("short_text", "c", "x", condition=("f", "includes", "residence-status")),
        question("number", "n", "数"),
        question("short_text", "d", "x", condition=("n", "at_least", "３")),  # full-width
    ]
    assert errors_of(items) == {}


# Admin ----------------------------------------------------------------------------------------


def admin_form(**extra):
    now = timezone.localtime()
    data = {
        "title": "研修ニーズ調査",
        "slug": "training-needs",
        "title_en": "Training needs",
        "introduction": rich_text("<p>ご協力ください。</p>"),
        "introduction_en": rich_text(""),
        "questions": streamfield(
            [
                (
                    "single_choice",
                    {
                        "key": "q1",
                        "label": "雇用形態",
                        "label_en": "",
                        "help": "",
                        "help_en": "",
                        "required": "on",
                        "condition": {"question": "", "operator": "", "value": ""},
                        "options": {
                            "count": 2,
                            **{
                                str(i): {
                                    "value": {"label": label, "label_en": ""},
                                    "deleted": "",
                                    "order": i,
                                    "id": f"opt-{i}",
                                }
                                for i, label in enumerate(["正規", "非常勤"])
                            },
                        },
                    },
                )
            ]
        ),
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        "mode": "identified",
        "target_certificates": "",
        "comments": inline_formset([]),
        **extra,
    }
    return nested_form_data(data)


def test_editor_builds_and_submits_administrator_approves(
    client_for, editor, administrator, questionnaire_index
):
    client = client_for(editor)
    add = reverse(
        "wagtailadmin_pages:add",
        args=["questionnaires", "questionnairepage", questionnaire_index.pk],
    )
    response = client.post(add, {**admin_form(), "action-publish": "action-publish"})
    assert response.status_code in (200, 302)
    page = QuestionnairePage.objects.get(slug="training-needs")
    assert not page.live  # editors cannot publish
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**admin_form(), "action-submit": "action-submit"},
    )
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]
    )
    client_for(administrator).post(approve, {"comment": ""})
    page.refresh_from_db()
    assert page.live
    assert [q.key for q in page.question_set] == ["q1"]


def test_unknown_certificate_numbers_are_refused(client_for, editor, questionnaire_index):
    add = reverse(
        "wagtailadmin_pages:add",
        args=["questionnaires", "questionnairepage", questionnaire_index.pk],
    )
    with translation.override("en"):
        response = client_for(editor).post(
            add, admin_form(target_certificates="NO-SUCH-1\nT-99999")
        )
    assert response.status_code == 200
    assert not QuestionnairePage.objects.filter(slug="training-needs").exists()
    assert "NO-SUCH-1" in response.content.decode()


def test_closing_before_opening_is_refused(client_for, editor, questionnaire_index):
    add = reverse(
        "wagtailadmin_pages:add",
        args=["questionnaires", "questionnairepage", questionnaire_index.pk],
    )
    now = timezone.localtime()
    response = client_for(editor).post(
        add, admin_form(closes_at=(now - datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"))
    )
    assert response.status_code == 200
    assert not QuestionnairePage.objects.filter(slug="training-needs").exists()


def _cleaned(page, **changes):
    cleaned = {
        "mode": page.mode,
        "questions": page.questions,
        "target_prefectures": list(page.target_prefectures.all()),
        "target_fields": list(page.target_fields.all()),
        "target_workplace_types": list(page.target_workplace_types),
        "target_certificates": page.target_certificates,
        "opens_at": page.opens_at,
    }
    cleaned.update(changes)
    return cleaned


def test_mode_questions_and_audience_lock_once_answering_started(
    coordinator, client_for, make_questionnaire
):
    from portal.taxonomy.models import Prefecture

    page = make_questionnaire()
    changed_questions = stream([CHOICE])
    tokyo = Prefecture.objects.get(code="JP-13")
    # Before anyone answers, everything but the (already fixed) audience may change.
    client_for(coordinator).get(page.url)  # the audience is fixed at opening
    problems = questionnaire_edit_problems(
        page, _cleaned(page, mode="anonymous", questions=changed_questions)
    )
    assert set(problems) == set()
    problems = questionnaire_edit_problems(page, _cleaned(page, target_prefectures=[tokyo]))
    assert set(problems) == {"target_prefectures"}
    # A draft locks the mode; a response locks the questions too.
    client_for(coordinator).post(page.url, {"q-employment": "0", "action": "draft"})
    problems = questionnaire_edit_problems(
        page, _cleaned(page, mode="anonymous", questions=changed_questions)
    )
    assert set(problems) == {"mode"}
    client_for(coordinator).post(page.url, {"q-employment": "0", "action": "submit"})
    problems = questionnaire_edit_problems(
        page, _cleaned(page, mode="anonymous", questions=changed_questions)
    )
    assert set(problems) == {"mode", "questions"}
    # Unchanged questions (new block ids only) and a later closing time are fine.
    assert (
        questionnaire_edit_problems(
            page,
            _cleaned(page, closes_at=page.closes_at + datetime.timedelta(days=3)),
        )
        == {}
    )


def test_publishing_a_new_revision_keeps_the_fixed_audience(
    coordinator, client_for, make_questionnaire
):
    page = make_questionnaire()
    client_for(coordinator).post(page.url, {"q-employment": "0", "action": "submit"})
    stale = QuestionnairePage.objects.get(pk=page.pk)
    stale.closes_at += datetime.timedelta(days=1)
    stale.save_revision().publish()
    response = client_for(coordinator).post(page.url, {"q-employment": "2", "action": "submit"})
    assert response.status_code == 302
    assert page.roster_entries.count() == 1
