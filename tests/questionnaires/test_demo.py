"""The demo questionnaires: one closed with about 40 responses whose results read well, one open
that the demo coordinator can answer; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.accounts.models import User
from portal.questionnaires.models import Answer, QuestionnairePage, ResponseSheet

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(QuestionnairePage.objects.values_list("slug", "mode", "live")),
        ResponseSheet.objects.count(),
        Answer.objects.count(),
    )


def test_demo_questionnaires(client):
    call_command("seed_demo", stdout=io.StringIO())
    closed = QuestionnairePage.objects.get(slug="consultation-work-survey-2026")
    open_one = QuestionnairePage.objects.get(slug="treatment-and-training-survey")
    assert closed.has_closed() and open_one.is_open()
    assert open_one.is_anonymous and not closed.is_anonymous
    assert 35 <= closed.sheets.count() <= 45
    assert closed.roster_entries.filter(has_responded=True).count() == closed.sheets.count()
    assert closed.roster_entries.count() > closed.sheets.count()  # a realistic response rate
    # The display condition held in the demo answers: "counters" only with several counters.
    several = set(
        Answer.objects.filter(
            sheet__questionnaire=closed, question="several_counters", option=0
        ).values_list("sheet", flat=True)
    )
    counters = set(
        Answer.objects.filter(sheet__questionnaire=closed, question="counters").values_list(
            "sheet", flat=True
        )
    )
    assert counters and counters == several

    client.force_login(User.objects.get(username="coordinator"))
    rows = {row.page.slug: row for row in client.get("/questionnaires/").context["rows"]}
    assert rows["treatment-and-training-survey"].status == "not_started"
    assert rows["consultation-work-survey-2026"].status == "submitted"
    assert client.get(open_one.url).status_code == 200

    client.force_login(User.objects.get(username="editor"))
    results = client.get(reverse("questionnaires_results", args=[closed.pk]))
    assert results.status_code == 200
    # One chart per choice, scale, prefecture and field question (six in this survey).
    assert results.content.decode().count("<svg") >= 6

    before = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == before
