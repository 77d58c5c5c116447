"""Anonymous mode: nothing in the database leads from an answer to a member."""

import uuid

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from portal.questionnaires.models import (
    Answer,
    IdentifiedResponse,
    QuestionnaireIndexPage,
    QuestionnairePage,
    ResponseDraft,
    ResponseSheet,
    RosterEntry,
)

pytestmark = pytest.mark.django_db


def _relations_reach_user(model, seen=None) -> list[str]:
    """Paths of foreign keys (followed transitively) from ``model`` to the user model."""
    user_model = get_user_model()
    seen = seen or {model}
    paths = []
    for field in model._meta.get_fields():
        if not (field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete):
            continue
        target = field.related_model
        if target is user_model:
            paths.append(field.name)
        elif (
            target not in seen
            and target._meta.app_label == "questionnaires"
            # The questionnaire itself names its editors (owner, locks), never respondents.
            and target is not QuestionnairePage
        ):
            paths += [f"{field.name}.{p}" for p in _relations_reach_user(target, seen | {target})]
    return paths


def test_schema_answers_and_sheets_have_no_path_to_a_user():
    assert _relations_reach_user(Answer) == []
    assert _relations_reach_user(ResponseSheet) == []
    # The only tables that name a member are the roster, drafts, reminders and the link table
    # used by identified questionnaires.
    naming = {
        m.__name__
        for m in apps.get_app_config("questionnaires").get_models()
        if m not in (QuestionnairePage, QuestionnaireIndexPage)  # pages name editors only
        and any(
            f.is_relation and f.concrete and f.related_model is get_user_model()
            for f in m._meta.get_fields()
        )
    }
    assert naming == {
        "RosterEntry",
        "ResponseDraft",
        "IdentifiedResponse",
        "QuestionnaireReminder",
        "Opinion",
    }


def test_sheets_and_answers_carry_no_time_and_random_keys():
    for model in (ResponseSheet, Answer):
        assert not [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        assert isinstance(model._meta.pk, models.UUIDField)


def test_anonymous_response_data_leave_no_link(coordinator, client_for, make_questionnaire):
    page = make_questionnaire(mode="anonymous")
    client = client_for(coordinator)
    client.post(page.url, {"q-employment": "1", "action": "draft"})
    assert ResponseDraft.objects.filter(user=coordinator).exists()
    client.post(page.url, {"q-employment": "2", "q-gaps": "夜間の窓口がない", "action": "submit"})
    sheet = ResponseSheet.objects.get(questionnaire=page)
    assert isinstance(sheet.pk, uuid.UUID)
    assert not IdentifiedResponse.objects.exists()
    assert not ResponseDraft.objects.exists()  # the draft went with the submission
    # The roster only says that the member answered, with no time.
    entry = RosterEntry.objects.get(questionnaire=page, user=coordinator)
    assert entry.has_responded
    # Nothing about the member is stored in the answers themselves.
    texts = " ".join(Answer.objects.values_list("text", flat=True))
    for value in (coordinator.username, coordinator.email, str(coordinator.pk)):
        assert value not in texts
