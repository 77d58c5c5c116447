"""The demo case studies: loaded by ``seed_demo``, idempotent, readable at ``/cases/`` and clean
for the anonymisation assistant.

Loading the whole demo takes a while, so one test loads it (twice) and checks everything."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import WorkflowState

from cases.models import CaseIndexPage, CaseState, CaseStudyPage
from cases.selectors.anonymisation import open_findings
from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        CaseStudyPage.objects.values_list(
            "slug", "state", "live", "first_published_at", "submitted_at", "author_id"
        )
    )


def check_cases_in_every_state():
    assert CaseIndexPage.objects.count() == 1
    states = {
        state: CaseStudyPage.objects.filter(state=state).count() for state in CaseState.values
    }
    assert states[CaseState.PUBLISHED] >= 10
    assert states[CaseState.IN_REVIEW] == 3
    assert states[CaseState.CHANGES_REQUESTED] == 2
    assert states[CaseState.DRAFT] == 2
    assert states[CaseState.REJECTED] == 1
    assert CaseStudyPage.objects.filter(attribution="named").exists()
    assert CaseStudyPage.objects.filter(attribution="anonymous").exists()
    assert CaseStudyPage.objects.filter(author__username="editor").exists()
    assert CaseStudyPage.objects.filter(case_type="regional", state="published").count() >= 2
    # Only published cases are live; cases in review wait in the moderation workflow.
    assert not CaseStudyPage.objects.filter(live=True).exclude(state="published").exists()
    in_review = CaseStudyPage.objects.filter(state=CaseState.IN_REVIEW)
    assert (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore",
            object_id__in=[str(pk) for pk in in_review.values_list("pk", flat=True)],
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).count()
        == 3
    )
    for case in CaseStudyPage.objects.filter(
        state__in=[CaseState.CHANGES_REQUESTED, CaseState.REJECTED]
    ):
        assert case.moderation_note


def check_coordinator_sees_the_published_cases(client):
    client.force_login(User.objects.get(username="coordinator"))
    response = client.get("/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    published = CaseStudyPage.objects.live().filter(state="published")
    assert published.count() >= 10
    for case in published:
        assert case.title in page
    for case in CaseStudyPage.objects.exclude(state="published"):
        assert case.title not in page
    detail = client.get(published.filter(attribution="anonymous").first().url)
    assert detail.status_code == 200


def check_published_cases_have_no_open_high_findings():
    for case in CaseStudyPage.objects.filter(state="published"):
        assert open_findings(case) == [], case.slug


def test_demo_cases_load_once_and_read_well(client):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "cases.demo: ok" in out.getvalue()
    check_cases_in_every_state()
    check_coordinator_sees_the_published_cases(client)
    check_published_cases_have_no_open_high_findings()

    before = _snapshot()
    workflows = WorkflowState.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before
    assert WorkflowState.objects.count() == workflows
    assert CaseIndexPage.objects.count() == 1
