"""The "Interviewee confirmation" workflow task: interviewees confirm or ask for changes through a
personal link, and the issue cannot be published before every one of them confirmed."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsletters.models import (
    ConfirmationStatus,
    IntervieweeConfirmation,
    NewsletterIssuePage,
)
from newsletters.selectors.interviews import newsletter_publish_allowed
from newsletters.services import interviews as services
from portal.taxonomy.models import Prefecture

from .test_interviews import build_coordinator, build_index, build_issue, build_photo

pytestmark = [
    pytest.mark.django_db,
    # Wagtail writes a new rendition through a temporary file it leaves to the garbage collector.
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

LINK = re.compile(r"https?://\S+/newsletters/confirm/([\w-]+)/")


# Helpers -----------------------------------------------------------------------------------------


def edit_url(issue):
    return reverse("wagtailadmin_pages:edit", args=[issue.pk])


def issue_form(issue, *, answers=None, **fields):
    """The edit form of ``issue`` as its latest draft stands, with ``answers`` replacing the answer
    of the interview at that position."""
    draft = issue.get_latest_revision_as_object()
    answers = answers or {}
    interviews = []
    for position, interview in enumerate(draft.interviews.all()):
        qa = interview.body[0].value
        interviews.append(
            {
                "id": str(interview.pk or ""),
                "title": interview.title,
                "interviewee": str(interview.interviewee_id),
                "region": str(interview.region_id),
                "photo": str(interview.photo_id or ""),
                "body": streamfield(
                    [
                        (
                            "qa",
                            {
                                "question": qa["question"],
                                "answer": rich_text(answers.get(position, qa["answer"].source)),
                            },
                        )
                    ]
                ),
            }
        )
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "issue_number": str(draft.issue_number),
        "issue_date": draft.issue_date.isoformat(),
        "lead": draft.lead,
        "lead_en": draft.lead_en,
        "interviews": inline_formset(interviews, initial=len(interviews)),
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


def mails_to(mailoutbox, user):
    return [mail for mail in mailoutbox if user.email in mail.to]


def token_in(mail):
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def confirm_url(token):
    return reverse("newsletters:confirm", args=[token])


def current_task_name(issue):
    state = WorkflowState.objects.for_instance(issue).order_by("-pk").first()
    return state.current_task_state.task.name if state.current_task_state else None


def workflow_state(issue):
    return WorkflowState.objects.for_instance(issue).order_by("-pk").first()


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def index(db):
    return build_index()


@pytest.fixture
def sato(make_user, issue_certificate):
    return build_coordinator(make_user, issue_certificate, "iv-sato", "ja", last_name="佐藤")


@pytest.fixture
def tran(make_user, issue_certificate):
    return build_coordinator(
        make_user,
        issue_certificate,
        "iv-tran",
        "en",
        last_name="チャン",
        family_name_romaji="Tran",
        given_name_romaji="Minh",
    )


@pytest.fixture
def submitted(
    client, editor, administrator, index, sato, tran, mailoutbox, django_capture_on_commit_callbacks
):
    """An issue with two interviewees (Sato consents to photos later, Tran will not) that the
    editor submitted to the workflow from the admin."""
    photos = {sato.pk: build_photo("sato"), tran.pk: build_photo("tran")}
    issue = build_issue(index, [sato, tran], photos=photos, user=editor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(issue), {**issue_form(issue), "action-submit": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


def answer(client, user, token, captured, **data):
    client.force_login(user)
    with captured(execute=True):
        response = client.post(confirm_url(token), data)
    client.logout()
    return response


# Submitting --------------------------------------------------------------------------------------


def test_submitting_asks_every_interviewee_with_a_personal_link(submitted, sato, tran, mailoutbox):
    assert current_task_name(submitted) == "Interviewee confirmation"
    confirmations = IntervieweeConfirmation.objects.filter(issue=submitted)
    assert {c.interviewee for c in confirmations} == {sato, tran}
    assert all(c.status == ConfirmationStatus.PENDING for c in confirmations)
    assert {c.revision_id for c in confirmations} == {submitted.latest_revision.pk}

    to_sato, to_tran = mails_to(mailoutbox, sato), mails_to(mailoutbox, tran)
    assert len(to_sato) == len(to_tran) == 1
    assert token_in(to_sato[0]) == confirmations.get(interviewee=sato).token
    assert token_in(to_tran[0]) == confirmations.get(interviewee=tran).token
    # Each in their own language.
    assert "インタビュー" in to_sato[0].subject
    assert "Please confirm your interview" in to_tran[0].subject
    assert PageLogEntry.objects.filter(
        page=submitted, action=services.CONFIRMATION_REQUEST
    ).exists()


def test_the_link_is_only_for_the_interviewee(
    client, client_for, submitted, sato, tran, coordinator, editor, administrator
):
    token = IntervieweeConfirmation.objects.get(issue=submitted, interviewee=sato).token
    url = confirm_url(token)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    for other in (tran, coordinator, editor, administrator):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"action": "confirm", "confirm-photo_consent": "on"}).status_code
            == 404
        )
        client.logout()
    assert client_for(sato).get(confirm_url("made-up-token")).status_code == 404
    assert IntervieweeConfirmation.objects.get(token=token).status == ConfirmationStatus.PENDING


def test_the_interviewee_sees_the_draft_of_their_own_interview(client_for, submitted, sato):
    confirmation = IntervieweeConfirmation.objects.get(issue=submitted, interviewee=sato)
    response = client_for(sato).get(confirm_url(confirmation.token))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert [v.interviewee_id for v in response.context["interviews"]] == [sato.pk]
    assert "相手の言葉で話すことです" in html
    assert 'name="confirm-photo_consent"' in html
    assert 'name="changes-comment"' in html
    assert "<img" in html  # their photo, so they can decide


# One confirmation is not enough ---------------------------------------------------------------


def test_one_confirmation_does_not_allow_publishing(
    client,
    submitted,
    sato,
    administrator,
    editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    editor.preferred_language = "en"  # the e-mails below are read in English
    editor.save(update_fields=["preferred_language"])
    token = IntervieweeConfirmation.objects.get(issue=submitted, interviewee=sato).token
    response = answer(
        client,
        sato,
        token,
        django_capture_on_commit_callbacks,
        action="confirm",
        **{"confirm-photo_consent": "on"},
    )
    assert response.status_code == 302
    confirmation = IntervieweeConfirmation.objects.get(token=token)
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert confirmation.photo_consent and confirmation.responded_at
    assert current_task_name(submitted) == "Interviewee confirmation"
    assert not newsletter_publish_allowed(submitted, submitted.latest_revision)
    # The editor who submitted hears about it.
    assert any("1 of 2" in mail.body for mail in mails_to(mailoutbox, editor))

    client.force_login(administrator)
    # The administrator's action menu offers no "Publish" …
    edit = client.get(edit_url(submitted))
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.content.decode()
    # … publishing from the edit form is refused (the draft is kept) …
    refused = client.post(
        edit_url(submitted), {**issue_form(submitted), "action-publish": "action-publish"}
    )
    assert refused.status_code == 302
    assert refused["Location"] == edit_url(submitted)
    submitted.refresh_from_db()
    assert not submitted.live
    # … and approving is not possible: the administrators' step has not started.
    client.post(
        edit_url(submitted),
        {
            **issue_form(submitted),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    task_state = workflow_state(submitted).current_task_state
    action_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk]
    )
    # Wagtail answers a refused action with a redirect to the dashboard (or a 403/404).
    assert client.post(action_url, {}).status_code in (302, 403, 404)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    submitted.refresh_from_db()
    assert not submitted.live
    assert current_task_name(submitted) == "Interviewee confirmation"


@pytest.mark.parametrize("select", ["issue", "index with its drafts"])
def test_bulk_publishing_is_refused_until_confirmed(
    client, submitted, index, administrator, select
):
    client.force_login(administrator)
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    if select == "issue":
        response = client.post(f"{bulk}?id={submitted.pk}", {})
    else:
        response = client.post(f"{bulk}?id={index.pk}", {"include_descendants": "on"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert not submitted.live


def test_a_new_issue_cannot_be_published_at_creation(client, administrator, index, sato):
    client.force_login(administrator)
    url = reverse("wagtailadmin_pages:add", args=["newsletters", "newsletterissuepage", index.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="action-publish"' not in form.content.decode()
    data = nested_form_data(
        {
            "title": "新しい号",
            "slug": "new-issue",
            "issue_number": "7",
            "issue_date": "2025-07-01",
            "lead": "",
            "lead_en": "",
            "interviews": inline_formset(
                [
                    {
                        "title": "はじめての面談",
                        "interviewee": str(sato.pk),
                        "region": str(Prefecture.objects.get(code="JP-01").pk),
                        "photo": "",
                        "body": streamfield(
                            [("qa", {"question": "質問", "answer": rich_text("<p>答え</p>")})]
                        ),
                    }
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    response = client.post(url, {**data, "action-publish": "action-publish"})
    issue = NewsletterIssuePage.objects.get(slug="new-issue")
    assert response.status_code == 302 and response["Location"] == edit_url(issue)
    assert not issue.live
    assert issue.latest_revision is not None  # the draft is kept


def test_a_confirmed_link_cannot_be_used_again(
    client, client_for, submitted, sato, django_capture_on_commit_callbacks
):
    token = IntervieweeConfirmation.objects.get(issue=submitted, interviewee=sato).token
    answer(client, sato, token, django_capture_on_commit_callbacks, action="confirm")
    again = answer(
        client,
        sato,
        token,
        django_capture_on_commit_callbacks,
        action="changes",
        **{"changes-comment": "やはり直したい"},
    )
    assert again.status_code == 410
    confirmation = IntervieweeConfirmation.objects.get(token=token)
    assert confirmation.status == ConfirmationStatus.CONFIRMED and confirmation.comment == ""
    page = client_for(sato).get(confirm_url(token))
    assert page.status_code == 200
    assert page.context["answered_message"]


# Changes requested, resubmission ----------------------------------------------------------------


def test_a_request_for_changes_needs_a_comment(
    client, submitted, tran, django_capture_on_commit_callbacks
):
    token = IntervieweeConfirmation.objects.get(issue=submitted, interviewee=tran).token
    client.force_login(tran)
    response = client.post(
        confirm_url(token),
        {"action": "changes", "changes-comment": "  "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "what should change" in response.content.decode()
    assert IntervieweeConfirmation.objects.get(token=token).status == ConfirmationStatus.PENDING
    with pytest.raises(ValidationError):
        services.interview_request_changes(
            IntervieweeConfirmation.objects.get(token=token), tran, ""
        )


def test_changes_send_the_issue_back_and_resubmission_asks_again(
    client,
    client_for,
    submitted,
    sato,
    tran,
    editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    first = {c.interviewee_id: c for c in IntervieweeConfirmation.objects.filter(issue=submitted)}
    answer(client, sato, first[sato.pk].token, django_capture_on_commit_callbacks, action="confirm")
    mailoutbox.clear()
    response = answer(
        client,
        tran,
        first[tran.pk].token,
        django_capture_on_commit_callbacks,
        action="changes",
        **{"changes-comment": "Please write my region as Osaka."},
    )
    assert response.status_code == 302
    state = workflow_state(submitted)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.status == TaskState.STATUS_REJECTED
    assert "Please write my region as Osaka." in state.current_task_state.comment
    to_editor = mails_to(mailoutbox, editor)
    assert to_editor and any("Please write my region as Osaka." in m.body for m in to_editor)
    assert PageLogEntry.objects.filter(
        page=submitted, action=services.INTERVIEW_REQUEST_CHANGES
    ).exists()
    # Tran's used link shows their answer.
    assert client_for(tran).get(confirm_url(first[tran.pk].token)).status_code == 200
    client.logout()

    # The editor corrects the region and submits again.
    mailoutbox.clear()
    client.force_login(editor)
    osaka = Prefecture.objects.get(code="JP-27")
    data = issue_form(submitted)
    data["interviews-1-region"] = str(osaka.pk)
    with django_capture_on_commit_callbacks(execute=True):
        resubmit = client.post(edit_url(submitted), {**data, "action-submit": "1"})
    assert resubmit.status_code == 302
    client.logout()
    submitted = NewsletterIssuePage.objects.get(pk=submitted.pk)
    state = workflow_state(submitted)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert current_task_name(submitted) == "Interviewee confirmation"
    second = {
        c.interviewee_id: c
        for c in IntervieweeConfirmation.objects.filter(task_state=state.current_task_state)
    }
    assert set(second) == {sato.pk, tran.pk}
    assert {c.revision_id for c in second.values()} == {submitted.latest_revision.pk}
    assert all(c.status == ConfirmationStatus.PENDING for c in second.values())
    assert token_in(mails_to(mailoutbox, tran)[0]) == second[tran.pk].token
    assert "changed the draft" in mails_to(mailoutbox, tran)[0].body
    # Tran has not confirmed the corrected draft yet.
    assert not newsletter_publish_allowed(submitted, submitted.latest_revision)


def _confirm_both(client, submitted, sato, tran, captured, *, sato_photo=True):
    state = workflow_state(submitted)
    tokens = {
        c.interviewee_id: c.token
        for c in IntervieweeConfirmation.objects.filter(task_state=state.current_task_state)
    }
    extra = {"confirm-photo_consent": "on"} if sato_photo else {}
    answer(client, sato, tokens[sato.pk], captured, action="confirm", **extra)
    answer(client, tran, tokens[tran.pk], captured, action="confirm")


def test_all_confirmed_moves_on_to_the_administrators_who_publish(
    client,
    client_for,
    submitted,
    sato,
    tran,
    editor,
    administrator,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    editor.preferred_language = "en"  # the e-mails below are read in English
    editor.save(update_fields=["preferred_language"])
    first_task_state = workflow_state(submitted).current_task_state
    _confirm_both(client, submitted, sato, tran, django_capture_on_commit_callbacks)
    first_task_state.refresh_from_db()
    assert first_task_state.status == TaskState.STATUS_APPROVED
    assert current_task_name(submitted) == "Approval by an administrator"
    assert any("Every interviewee confirmed" in m.subject for m in mails_to(mailoutbox, editor))
    assert newsletter_publish_allowed(submitted, submitted.latest_revision)
    submitted.refresh_from_db()
    assert not submitted.live

    # The administrator approves: the issue is published. (Publishing directly is offered too,
    # now that every interviewee confirmed.)
    client.force_login(administrator)
    edit = client.get(edit_url(submitted))
    assert 'data-workflow-action-name="approve"' in edit.content.decode()
    assert 'name="action-publish"' in edit.content.decode()
    response = client.post(
        edit_url(submitted),
        {
            **issue_form(submitted),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    assert response.status_code == 302
    client.logout()
    submitted.refresh_from_db()
    assert submitted.live
    assert workflow_state(submitted).status == WorkflowState.STATUS_APPROVED

    # Sato agreed to the photo, Tran did not.
    page = client_for(coordinator).get(submitted.url)
    assert page.status_code == 200
    photos = {v.interviewee_id: v.photo for v in page.context["interviews"]}
    assert photos[sato.pk] is not None and photos[tran.pk] is None
    assert page.content.decode().count("<img") == 1


def test_editing_the_interviews_during_confirmation_asks_again(
    client, submitted, sato, tran, editor, mailoutbox, django_capture_on_commit_callbacks
):
    old = {c.interviewee_id: c for c in IntervieweeConfirmation.objects.filter(issue=submitted)}
    answer(client, sato, old[sato.pk].token, django_capture_on_commit_callbacks, action="confirm")
    mailoutbox.clear()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(submitted), issue_form(submitted, answers={0: "<p>新しい答え</p>"}))
    client.logout()
    submitted = NewsletterIssuePage.objects.get(pk=submitted.pk)
    state = workflow_state(submitted)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    fresh = IntervieweeConfirmation.objects.filter(task_state=state.current_task_state)
    assert {c.revision_id for c in fresh} == {submitted.latest_revision.pk}
    assert {c.interviewee_id for c in fresh} == {sato.pk, tran.pk}
    assert mails_to(mailoutbox, sato) and mails_to(mailoutbox, tran)
    # The old link no longer works and changes nothing.
    stale = answer(
        client, tran, old[tran.pk].token, django_capture_on_commit_callbacks, action="confirm"
    )
    assert stale.status_code == 410
    assert IntervieweeConfirmation.objects.get(pk=old[tran.pk].pk).status == "pending"


def test_approving_with_a_rewritten_interview_is_refused(
    client, submitted, sato, tran, administrator, django_capture_on_commit_callbacks
):
    _confirm_both(client, submitted, sato, tran, django_capture_on_commit_callbacks)
    client.force_login(administrator)
    response = client.post(
        edit_url(submitted),
        {
            **issue_form(submitted, answers={1: "<p>管理者が書き換えた答え</p>"}),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    submitted.refresh_from_db()
    assert not submitted.live
    assert current_task_name(submitted) == "Approval by an administrator"
    # Approving with other changes only (the lead) publishes.
    response = client.post(
        edit_url(submitted),
        {
            **issue_form(submitted, lead="リードを整えました"),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    submitted.refresh_from_db()
    assert submitted.live and submitted.lead == "リードを整えました"


def test_rewriting_an_interview_at_the_approval_step_asks_the_interviewees_again(
    client, submitted, sato, tran, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    _confirm_both(client, submitted, sato, tran, django_capture_on_commit_callbacks)
    approval = workflow_state(submitted).current_task_state
    mailoutbox.clear()
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(submitted), issue_form(submitted, answers={0: "<p>直した答え</p>"}))
    client.logout()
    approval.refresh_from_db()
    assert approval.status == TaskState.STATUS_CANCELLED
    submitted = NewsletterIssuePage.objects.get(pk=submitted.pk)
    assert current_task_name(submitted) == "Interviewee confirmation"
    assert not newsletter_publish_allowed(submitted, submitted.latest_revision)
    assert mails_to(mailoutbox, sato) and mails_to(mailoutbox, tran)
    # Once both confirm again, the administrators' step comes back.
    _confirm_both(client, submitted, sato, tran, django_capture_on_commit_callbacks)
    assert current_task_name(submitted) == "Approval by an administrator"
    assert newsletter_publish_allowed(submitted, submitted.latest_revision)


def test_saving_other_fields_keeps_the_confirmations(
    client, submitted, editor, django_capture_on_commit_callbacks
):
    task_state = workflow_state(submitted).current_task_state
    client.force_login(editor)
    client.post(edit_url(submitted), issue_form(submitted, lead="リードだけ直しました"))
    assert workflow_state(submitted).current_task_state == task_state
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_an_issue_without_interviews_skips_the_confirmation(index, editor):
    issue = build_issue(index, [], user=editor)
    workflow = issue.get_workflow()
    state = workflow.start(issue, editor)
    assert state.current_task_state.task.name == "Approval by an administrator"
    assert TaskState.objects.filter(
        workflow_state=state, task__name="Interviewee confirmation", status="approved"
    ).exists()


def test_copies_are_not_published_at_once(client, submitted, administrator, index):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[submitted.pk]),
        {
            "new_title": "写し",
            "new_slug": "copied",
            "new_parent_page": index.pk,
            "copy_subpages": "",
            "publish_copies": "on",
            "alias": "",
        },
    )
    assert response.status_code == 302
    assert "error" in [m.level_tag for m in get_messages(response.wsgi_request)]
    assert not NewsletterIssuePage.objects.filter(slug="copied").exists()
    # Copying as a draft is fine.
    client.post(
        reverse("wagtailadmin_pages:copy", args=[submitted.pk]),
        {
            "new_title": "写し",
            "new_slug": "copied",
            "new_parent_page": index.pk,
            "copy_subpages": "",
            "alias": "",
        },
    )
    assert not NewsletterIssuePage.objects.get(slug="copied").live


def test_log_actions_are_registered():
    for action in (
        services.CONFIRMATION_REQUEST,
        services.INTERVIEW_CONFIRM,
        services.INTERVIEW_REQUEST_CHANGES,
        services.CONFIRMATION_RESTART,
        services.CONFIRMATION_COMPLETE,
    ):
        assert log_registry.action_exists(action)


# The page permission tester (for NewsletterIssuePage.permissions_for_user) -------------------------


@pytest.fixture
def issue_permissions(monkeypatch):
    """``NewsletterIssuePage.permissions_for_user`` returning the issue's permission tester."""
    from newsletters.permissions import NewsletterIssuePermissionTester

    monkeypatch.setattr(
        NewsletterIssuePage,
        "permissions_for_user",
        lambda self, user: NewsletterIssuePermissionTester(user, self),
    )


def test_with_the_issue_tester_no_publish_path_skips_the_interviewees(
    issue_permissions,
    client,
    submitted,
    sato,
    tran,
    administrator,
    django_capture_on_commit_callbacks,
):
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    with pytest.raises(PublishPagePermissionError):
        submitted.latest_revision.publish(user=administrator)
    _confirm_both(client, submitted, sato, tran, django_capture_on_commit_callbacks)
    # The end of the workflow publishes through the same check, which now passes.
    task_state = workflow_state(submitted).current_task_state
    assert task_state.task.name == "Approval by an administrator"
    task_state.approve(user=administrator)
    submitted.refresh_from_db()
    assert submitted.live
