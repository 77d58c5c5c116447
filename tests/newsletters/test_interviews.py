"""Newsletter issues: the index, the issue page with its interviews, photos only with consent, the
member gate, the publish rule and the admin's confirmation status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import WorkflowPage
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data

from newsletters.models import (
    ConfirmationStatus,
    Interview,
    IntervieweeConfirmation,
    NewsletterIndexPage,
    NewsletterIssuePage,
)
from newsletters.permissions import NewsletterIssuePermissionTester
from newsletters.selectors.interviews import (
    confirmations_for,
    interviews_signature,
    newsletter_issue_context,
    newsletter_publish_allowed,
)
from newsletters.services.interviews import WORKFLOW_NAME, assign_newsletter_workflow
from portal.accounts import roles
from portal.accounts.models import today
from portal.home.models import HomePage
from portal.taxonomy.models import Prefecture

pytestmark = pytest.mark.django_db

# Wagtail writes a new rendition through a temporary file that it leaves to the garbage collector.
rendition_tempfile = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__"
    ":pytest.PytestUnraisableExceptionWarning"
)


# Builders (shared with test_interview_confirmation.py) ---------------------------------------


def build_index() -> NewsletterIndexPage:
    home = HomePage.objects.first()
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=NewsletterIndexPage(title="ニュースレター", slug="newsletters")
        )
    assign_newsletter_workflow(index)
    return index


def build_coordinator(make_user, issue_certificate, username, language="ja", **fields):
    user = make_user(username, roles.COORDINATOR, preferred_language=language, **fields)
    issue_certificate(user, today() - datetime.timedelta(days=30))
    return user


def build_photo(title="photo"):
    return get_image_model().objects.create(title=title, file=get_test_image_file())


def interview_body(
    question="支援で大切にしていることは？", answer="<p>相手の言葉で話すことです。</p>"
):
    return [("qa", {"question": question, "answer": RichText(answer)})]


def build_issue(
    index,
    interviewees,
    *,
    slug="issue-1",
    number=1,
    date=None,
    photos=None,
    user=None,
    live=False,
    region=None,
):
    """An issue with one interview per interviewee, saved as a draft revision."""
    region = region or Prefecture.objects.get(code="JP-13")
    photos = photos or {}
    issue = NewsletterIssuePage(
        title=f"地域インタビュー 第{number}号",
        slug=slug,
        issue_number=number,
        issue_date=date or datetime.date(2025, 4, 1),
        lead="各地のコーディネーターに話を聞きました。",
        lead_en="Coordinators across Japan talk about their work.",
        live=live,
    )
    for position, interviewee in enumerate(interviewees):
        issue.interviews.add(
            Interview(
                title=f"インタビュー {position + 1}",
                interviewee=interviewee,
                region=region,
                photo=photos.get(interviewee.pk),
                body=interview_body(),
                sort_order=position,
            )
        )
    index.add_child(instance=issue)
    revision = issue.save_revision(user=user)
    if live:
        revision.publish()
    return issue


def confirm_directly(issue, interviewee, *, photo_consent=True):
    """A confirmed answer recorded without the workflow (for tests of reading only)."""
    from wagtail.models import Task, TaskState, Workflow, WorkflowState

    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    state = WorkflowState.objects.filter(object_id=str(issue.pk)).first()
    if state is None:
        state = WorkflowState.objects.create(
            content_type=issue.get_content_type(),
            base_content_type=issue.get_base_content_type(),
            object_id=str(issue.pk),
            workflow=workflow,
            status=WorkflowState.STATUS_APPROVED,
        )
    task_state = TaskState.objects.create(
        workflow_state=state,
        revision=issue.latest_revision,
        task=Task.objects.get(name="Interviewee confirmation"),
        status=TaskState.STATUS_APPROVED,
    )
    return IntervieweeConfirmation.objects.create(
        task_state=task_state,
        issue=issue,
        revision=issue.latest_revision,
        interviewee=interviewee,
        status=ConfirmationStatus.CONFIRMED,
        photo_consent=photo_consent,
        responded_at=timezone.now(),
    )


@pytest.fixture
def index(db):
    return build_index()


@pytest.fixture
def interviewees(make_user, issue_certificate):
    return [
        build_coordinator(make_user, issue_certificate, "iv-sato", "ja", last_name="佐藤"),
        build_coordinator(
            make_user,
            issue_certificate,
            "iv-tran",
            "en",
            last_name="チャン",
            family_name_romaji="Tran",
            given_name_romaji="Minh",
        ),
        build_coordinator(make_user, issue_certificate, "iv-kato", "ja", last_name="加藤"),
    ]


# The index -----------------------------------------------------------------------------------------


def test_creating_the_index_in_the_admin_assigns_the_newsletter_workflow(client_for, editor):
    home = HomePage.objects.first()
    NewsletterIndexPage.objects.all().delete()
    url = reverse("wagtailadmin_pages:add", args=["newsletters", "newsletterindexpage", home.pk])
    response = client_for(editor).post(
        url, nested_form_data({"title": "ニュースレター", "slug": "newsletters", "intro": ""})
    )
    assert response.status_code == 302
    index = NewsletterIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=index).workflow.name == WORKFLOW_NAME
    assert index.get_workflow().name == WORKFLOW_NAME


def test_index_lists_live_public_issues_newest_first_twelve_per_page(
    client_for, coordinator, index
):
    for number in range(1, 15):
        build_issue(
            index,
            [],
            slug=f"issue-{number}",
            number=number,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=30 * number),
            live=number != 14,
        )
    client = client_for(coordinator)
    response = client.get(index.url)
    assert response.status_code == 200
    cards = response.context["issue_cards"]
    assert [card["page"].issue_number for card in cards] == list(range(13, 1, -1))
    assert response.context["issues"].paginator.count == 13
    second = client.get(index.url + "?page=2")
    assert [card["page"].issue_number for card in second.context["issue_cards"]] == [1]
    assert "第14号" not in response.content.decode()  # the draft


def test_issues_are_behind_the_member_gate(
    client, client_for, coordinator, expired_coordinator, index, interviewees
):
    issue = build_issue(index, interviewees[:1], live=True)
    for url in (index.url, issue.url):
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))
    client.logout()
    lapsed = client_for(expired_coordinator).get(issue.url)
    assert lapsed.status_code == 403
    assert "相手の言葉で話すことです" not in lapsed.content.decode()
    client.logout()
    member = client_for(coordinator).get(issue.url)
    assert member.status_code == 200
    assert "相手の言葉で話すことです" in member.content.decode()


# The issue page --------------------------------------------------------------------------------


def test_issue_page_shows_interviews_with_names_regions_and_qa_markup(
    client_for, coordinator, index, interviewees
):
    issue = build_issue(index, interviewees[:2], live=True)
    response = client_for(coordinator).get(issue.url, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    views = response.context["interviews"]
    assert [v.interviewee_name for v in views] == [u.get_full_name() for u in interviewees[:2]]
    assert '<h3 class="qa__question">支援で大切にしていることは？</h3>' in html
    assert "<p>相手の言葉で話すことです。</p>" in html
    assert html.count('<article class="interview card"') == 2
    assert 'href="#interview-2"' in html  # contents of the issue


@rendition_tempfile
def test_photo_is_shown_only_for_the_interviewee_who_consented(
    client_for, coordinator, index, interviewees
):
    sato, tran = interviewees[:2]
    photos = {sato.pk: build_photo("sato"), tran.pk: build_photo("tran")}
    issue = build_issue(index, [sato, tran], photos=photos, live=True)
    confirm_directly(issue, sato, photo_consent=True)
    confirm_directly(issue, tran, photo_consent=False)
    response = client_for(coordinator).get(issue.url)
    views = {v.interviewee_id: v for v in response.context["interviews"]}
    assert views[sato.pk].photo == photos[sato.pk]
    assert views[tran.pk].photo is None
    html = response.content.decode()
    assert html.count("<img") == 1
    assert f'alt="{sato.get_full_name()}' in html or sato.get_full_name() in html


def test_photo_follows_the_latest_confirmation(client_for, coordinator, index, interviewees):
    sato = interviewees[0]
    issue = build_issue(index, [sato], photos={sato.pk: build_photo()}, live=True)
    confirm_directly(issue, sato, photo_consent=True)
    later = confirm_directly(issue, sato, photo_consent=False)
    later.responded_at = timezone.now() + datetime.timedelta(minutes=1)
    later.save()
    response = client_for(coordinator).get(issue.url)
    assert response.context["interviews"][0].photo is None


def test_no_photo_without_any_confirmation(client_for, coordinator, index, interviewees):
    sato = interviewees[0]
    issue = build_issue(index, [sato], photos={sato.pk: build_photo()}, live=True)
    response = client_for(coordinator).get(issue.url)
    assert response.context["interviews"][0].photo is None
    assert "<img" not in response.content.decode()


def _issue_queries(client, url):
    client.get(url)  # warm up: renditions, site root paths, sessions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@rendition_tempfile
def test_issue_page_query_count_does_not_grow_with_interviews(
    client_for, coordinator, index, interviewees
):
    client = client_for(coordinator)
    counts = []
    for size in (2, 3):
        people = interviewees[:size]
        photos = {person.pk: build_photo(person.username) for person in people}
        issue = build_issue(
            index, people, slug=f"size-{size}", number=size, photos=photos, live=True
        )
        for person in people:
            confirm_directly(issue, person, photo_consent=True)
        counts.append(_issue_queries(client, issue.url))
    assert counts[0] == counts[1]


# What may be published --------------------------------------------------------------------------


def test_publish_rule_compares_the_confirmed_interviews(index, interviewees):
    sato, tran = interviewees[:2]
    issue = build_issue(index, [sato, tran])
    assert not newsletter_publish_allowed(issue)
    confirm_directly(issue, sato)
    assert not newsletter_publish_allowed(issue)
    confirm_directly(issue, tran)
    issue = NewsletterIssuePage.objects.get(pk=issue.pk)
    assert newsletter_publish_allowed(issue, issue.latest_revision)

    # A new revision with the same interviews (another lead) is still confirmed …
    draft = issue.latest_revision.as_object()
    draft.lead = "別のリード"
    same = draft.save_revision()
    assert newsletter_publish_allowed(issue, same)
    # … but not one whose interview text changed.
    draft = same.as_object()
    changed_interview = draft.interviews.all()[0]
    changed_interview.body = interview_body(answer="<p>書き換えた答え</p>")
    changed = draft.save_revision()
    assert interviews_signature(changed.as_object()) != interviews_signature(same.as_object())
    assert not newsletter_publish_allowed(issue, changed)


def test_issue_without_interviews_may_be_published(index):
    issue = build_issue(index, [])
    assert newsletter_publish_allowed(issue, issue.latest_revision)


def test_permission_tester_refuses_publishing_until_confirmed(
    administrator, editor, index, interviewees
):
    sato = interviewees[0]
    issue = build_issue(index, [sato])
    draft = issue.latest_revision.as_object()
    tester = NewsletterIssuePermissionTester(administrator, draft)
    assert not tester.can_publish()
    assert tester.can_set_view_restrictions()  # not a publication
    assert not NewsletterIssuePermissionTester(editor, draft).can_publish()
    confirm_directly(issue, sato)
    assert NewsletterIssuePermissionTester(administrator, draft).can_publish()
    assert not NewsletterIssuePermissionTester(editor, draft).can_publish()


# Admin: confirmation status -----------------------------------------------------------------------


def test_admin_confirmation_status_view(
    client, client_for, editor, coordinator, index, interviewees
):
    sato, tran = interviewees[:2]
    issue = build_issue(index, [sato, tran])
    confirm_directly(issue, sato, photo_consent=False)
    url = reverse("newsletters_confirmations", args=[issue.pk])
    response = client_for(editor).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert sato.get_full_name() in html
    assert str(ConfirmationStatus.CONFIRMED.label) in html or "確認済み" in html
    assert [row.username for row in confirmations_for(issue)] == [sato.username]
    client.logout()
    assert client_for(coordinator).get(url).status_code in (302, 403)
    client.logout()
    # Only for issues.
    other = reverse("newsletters_confirmations", args=[index.pk])
    assert client_for(editor).get(other).status_code == 404


def test_admin_listing_shows_the_confirmation_button(client_for, editor, index, interviewees):
    issue = build_issue(index, interviewees[:1])
    response = client_for(editor).get(reverse("wagtailadmin_explore", args=[index.pk]))
    assert response.status_code == 200
    assert reverse("newsletters_confirmations", args=[issue.pk]) in response.content.decode()


def test_a_draft_from_a_revision_renders_its_own_interviews(rf, editor, index, interviewees):
    sato, tran = interviewees[:2]
    issue = build_issue(index, [sato])
    draft = issue.latest_revision.as_object()
    draft.interviews.add(
        Interview(
            title="追加のインタビュー",
            interviewee=tran,
            region=Prefecture.objects.get(code="JP-27"),
            body=interview_body(),
            sort_order=1,
        )
    )
    revision = draft.save_revision(user=editor)
    request = rf.get("/")
    request.user = editor
    context = newsletter_issue_context(revision.as_object(), request)
    assert [v.title for v in context["interviews"]] == ["インタビュー 1", "追加のインタビュー"]
    assert context["interviews"][1].region_name == Prefecture.objects.get(code="JP-27").name
    # The live database rows are untouched by the draft.
    assert Interview.objects.filter(issue=issue).count() == 1


def test_interviewee_listed_in_the_directory_is_linked_to_their_profile(
    client_for, coordinator, index, interviewees
):
    from directory.models import CoordinatorProfile
    from directory.services import consent_grant, consent_withdraw

    sato, tran = interviewees[:2]
    profile = CoordinatorProfile.objects.create(user=sato)
    CoordinatorProfile.objects.create(user=tran)  # a profile, but no consent to be listed
    consent_grant(sato, "directory", [])
    issue = build_issue(index, [sato, tran], live=True)

    html = client_for(coordinator).get(issue.url).content.decode()
    assert html.count('data-part="interviewee-profile"') == 1
    assert f'href="{profile.get_absolute_url()}"' in html

    consent_withdraw(sato, "directory")
    html = client_for(coordinator).get(issue.url).content.decode()
    assert 'data-part="interviewee-profile"' not in html
