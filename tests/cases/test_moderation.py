"""Moderation of case studies: the *Case moderation* workflow (request changes, resubmit, approve
and publish, reject), the publish guard, locking, unpublishing with a reason, e-mails in the
recipient's language, audit entries and the anonymisation report."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cases.models import CaseModerationTask, CaseStudyPage
from cases.selectors.anonymisation import open_findings
from cases.services import moderation as services
from portal.accounts import roles
from portal.accounts.models import today

pytestmark = pytest.mark.django_db

PHONE_SITUATION = "<p>相談者の電話番号は090-1234-5678だった。</p>"


# Helpers -----------------------------------------------------------------------------------------


@pytest.fixture
def author(make_user, issue_certificate):
    user = make_user("case-author", roles.COORDINATOR, first_name="Hanako", last_name="Yamadera")
    issue_certificate(user, today() - datetime.timedelta(days=30))
    return user


@pytest.fixture
def submit(case_index):
    """``submit(case, user)``: start the case's workflow as the front end does."""

    def start(case, user):
        return case_index.get_workflow().start(case, user)

    return start


def workflow_state(case):
    return WorkflowState.objects.for_instance(case).order_by("-pk").first()


def current_task_state(case) -> TaskState:
    return workflow_state(case).current_task_state


def action_url(case, action, task_state=None):
    task_state = task_state or current_task_state(case)
    return reverse("wagtailadmin_pages:workflow_action", args=[case.pk, action, task_state.pk])


def edit_url(case):
    return reverse("wagtailadmin_pages:edit", args=[case.pk])


def case_form(case, **fields):
    """The admin edit form of ``case`` as its latest draft stands."""
    draft = case.get_latest_revision_as_object()
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "case_type": draft.case_type,
        "prefecture": str(draft.prefecture_id or ""),
        "summary": draft.summary,
        "partners_note": draft.partners_note,
        "outcome": draft.outcome,
        "client_age_band": draft.client_age_band,
        "client_status": draft.client_status,
        "client_stay_band": draft.client_stay_band,
        "client_language": str(draft.client_language_id or ""),
        "attribution": draft.attribution,
        "comments": inline_formset([]),
    }
    for name in (
        "situation",
        "issues",
        "actions",
        "outcome_text",
        "lessons",
        "stakeholders",
        "measures",
        "government_feedback",
    ):
        data[name] = rich_text(fields.pop(name, getattr(draft, name)) or "")
    data.update(fields)
    data = nested_form_data(data)
    data["fields"] = [str(field.pk) for field in draft.fields.all()]
    return data


def mails_to(mailoutbox, user):
    """The portal's own moderation e-mails to ``user`` (Wagtail sends its notifications too)."""
    return [
        mail
        for mail in mailoutbox
        if user.email in mail.to and "Content-Language" in (mail.extra_headers or {})
    ]


def audited(case, action):
    return PageLogEntry.objects.filter(page=case, action=action)


def reload(case) -> CaseStudyPage:
    return CaseStudyPage.objects.get(pk=case.pk)


# Publishing ----------------------------------------------------------------------------------


def test_moderation_actions_are_registered_for_the_audit_log():
    for action in (
        services.CASE_SUBMIT,
        services.CASE_REQUEST_CHANGES,
        services.CASE_REJECT,
        services.CASE_APPROVE,
        services.CASE_UNPUBLISH,
    ):
        assert log_registry.action_exists(action), action


def test_the_author_cannot_publish(make_case, author):
    case = make_case(author)
    assert not case.permissions_for_user(author).can_publish()
    with pytest.raises(PublishPagePermissionError):
        case.get_latest_revision().publish(user=author)
    assert not reload(case).live


def test_an_editor_cannot_publish_directly(client, make_case, author, editor):
    case = make_case(author)
    assert case.permissions_for_user(editor).can_edit()
    assert not case.permissions_for_user(editor).can_publish()

    client.force_login(editor)
    edit = client.get(edit_url(case))
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.content.decode()
    revisions = case.revisions.count()
    response = client.post(edit_url(case), {**case_form(case), "action-publish": "action-publish"})
    assert response.status_code == 302
    assert case.revisions.count() == revisions + 1  # the edit was saved as a draft
    assert not reload(case).live


def test_an_administrator_publishes_only_through_moderation(
    client, make_case, author, administrator
):
    case = make_case(author)
    # The permission allows it (no open finding) …
    assert case.permissions_for_user(administrator).can_publish()
    client.force_login(administrator)
    # … but the admin's publish paths are closed: cases are published by approval.
    assert 'name="action-publish"' not in client.get(edit_url(case)).content.decode()
    response = client.post(edit_url(case), {**case_form(case), "action-publish": "action-publish"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(case)
    assert not reload(case).live

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    assert client.post(f"{bulk}?id={case.pk}", {}).status_code == 302
    assert not reload(case).live


def test_open_findings_forbid_publishing_for_everyone(make_case, author, administrator):
    case = make_case(author, situation=PHONE_SITUATION)
    assert open_findings(case)
    assert not case.permissions_for_user(administrator).can_publish()
    with pytest.raises(PublishPagePermissionError):
        case.get_latest_revision().publish(user=administrator)


# The workflow -------------------------------------------------------------------------------------


def test_submitting_tells_every_moderator(
    make_case, author, moderator, make_user, submit, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_user("second-moderator", roles.MODERATOR)
    inactive = make_user("gone-moderator", roles.MODERATOR, is_active=False)
    case = make_case(author)
    with django_capture_on_commit_callbacks(execute=True):
        submit(case, author)
    assert reload(case).state == "in_review"
    assert mails_to(mailoutbox, moderator) and mails_to(mailoutbox, other)
    assert not mails_to(mailoutbox, inactive)
    mail = mails_to(mailoutbox, moderator)[0]
    assert f"http://testserver/admin/pages/{case.pk}/edit/" in mail.body
    assert audited(case, services.CASE_SUBMIT).exists()


def test_moderators_never_read_an_anonymous_authors_name(
    make_case, author, moderator, submit, mailoutbox, django_capture_on_commit_callbacks
):
    anonymous = make_case(author, attribution="anonymous")
    named = make_case(author, attribution="named")
    with django_capture_on_commit_callbacks(execute=True):
        submit(anonymous, author)
    assert mails_to(mailoutbox, moderator)
    # Neither the portal's e-mails nor Wagtail's own notifications name the author.
    for mail in [mail for mail in mailoutbox if moderator.email in mail.to]:
        text = mail.subject + mail.body
        assert "Yamadera" not in text and "Hanako" not in text
        assert author.username not in text
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(named, author)
    assert "Yamadera" in mails_to(mailoutbox, moderator)[0].body


def test_the_case_is_locked_for_non_moderators_while_in_review(
    make_case, author, moderator, editor, administrator, submit
):
    case = make_case(author)
    submit(case, author)
    case = reload(case)
    lock = case.get_lock()
    assert lock is not None
    assert lock.for_user(editor)
    assert lock.for_user(administrator)
    assert lock.for_user(author)
    assert not lock.for_user(moderator)
    assert case.permissions_for_user(editor).page_locked()
    assert not case.permissions_for_user(moderator).page_locked()


def test_request_changes_needs_a_reason(
    client, make_case, author, moderator, submit, mailoutbox, django_capture_on_commit_callbacks
):
    moderator.preferred_language = "en"  # the admin and e-mails below are read in English
    moderator.save(update_fields=["preferred_language"])
    case = make_case(author)
    submit(case, author)
    client.force_login(moderator)
    modal = client.get(action_url(case, "reject"))
    assert modal.status_code == 200
    html = modal.json()["html"]
    assert 'name="comment"' in html
    assert "The case goes back to its author" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(case, "reject"), {"comment": "   "})
    assert current_task_state(case).status == TaskState.STATUS_IN_PROGRESS
    assert workflow_state(case).status == WorkflowState.STATUS_IN_PROGRESS
    assert reload(case).state == "in_review"
    # The service refuses too, whoever calls it.
    task = current_task_state(case).task.specific
    with pytest.raises(PermissionDenied):
        task.on_action(current_task_state(case), moderator, "reject", comment="")
    assert not mails_to(mailoutbox, author)


def test_request_changes_resubmit_and_approve(
    client, make_case, author, moderator, submit, mailoutbox, django_capture_on_commit_callbacks
):
    moderator.preferred_language = "en"  # the admin and e-mails below are read in English
    moderator.save(update_fields=["preferred_language"])
    case = make_case(author)
    submit(case, author)
    client.force_login(moderator)
    reason = "地域名をもっと広い単位にしてください。"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(case, "reject"), {"comment": reason})
    assert response.status_code == 302
    assert workflow_state(case).status == WorkflowState.STATUS_NEEDS_CHANGES
    case = reload(case)
    assert case.state == "changes_requested"
    assert case.moderation_note == reason
    assert not case.live
    # The author is unlocked and told, with a link to their list of cases.
    assert not case.get_lock() or not case.get_lock().for_user(author)
    mail = mails_to(mailoutbox, author)[-1]
    assert reason in mail.body
    assert "http://testserver/cases/mine/" in mail.body
    entry = audited(case, services.CASE_REQUEST_CHANGES).get()
    assert entry.data["reason"] == reason and entry.user == moderator

    # The author changes the case on the site and resubmits it.
    mailoutbox.clear()
    draft = case.get_latest_revision_as_object()
    draft.prefecture = None
    draft.save_revision(user=author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_state(case).resume(author)
    assert reload(case).state == "in_review"
    resubmitted = mails_to(mailoutbox, moderator)
    assert resubmitted and "again" in resubmitted[0].body

    # The moderator approves and publishes it.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(case, "approve"), {})
    assert response.status_code == 302
    case = reload(case)
    assert case.live
    assert case.state == "published"
    assert case.moderation_note == ""
    assert case.prefecture_id is None  # the resubmitted revision is the one published
    assert workflow_state(case).status == WorkflowState.STATUS_APPROVED
    # Publishing the same revision again keeps the state.
    assert case.live_revision.as_object().state == "published"
    assert mails_to(mailoutbox, author)
    assert "http://testserver/cases/mine/" in mails_to(mailoutbox, author)[0].body
    assert audited(case, services.CASE_APPROVE).filter(user=moderator).exists()
    assert PageLogEntry.objects.filter(page=case, action="wagtail.workflow.approve").exists()


def test_approval_is_refused_while_a_serious_finding_is_open(
    client, make_case, author, moderator, submit, django_capture_on_commit_callbacks
):
    case = make_case(author, situation=PHONE_SITUATION)
    submit(case, author)
    task_state = current_task_state(case)
    task = task_state.task.specific
    assert isinstance(task, CaseModerationTask)
    names = [name for name, _label, _modal in task.get_actions(case, moderator)]
    assert "approve" not in names
    assert {"reject", CaseModerationTask.REJECT_FINAL} <= set(names)

    client.force_login(moderator)
    # Wagtail answers a refused action with a redirect to the dashboard (or a 403).
    assert client.post(action_url(case, "approve"), {}).status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, moderator, "approve")
    assert not reload(case).live
    assert reload(case).state == "in_review"

    # The author justifies the finding: approving is allowed.
    finding = open_findings(case.get_latest_revision_as_object())[0]
    draft = case.get_latest_revision_as_object()
    draft.justifications = [
        {
            "field": finding.field,
            "kind": finding.kind,
            "text": finding.text,
            "reason": "架空の番号で、実在しません。",
        }
    ]
    draft.save_revision(user=author)
    assert "approve" in [name for name, _l, _m in task.get_actions(reload(case), moderator)]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action_url(case, "approve"), {}).status_code == 302
    case = reload(case)
    assert case.live and case.state == "published"


def test_a_moderator_may_edit_out_a_finding_and_approve(
    client, make_case, author, moderator, submit, django_capture_on_commit_callbacks
):
    case = make_case(author)
    submit(case, author)
    client.force_login(moderator)
    # Approving an edit that adds a phone number is refused, and nothing is saved.
    revisions = case.revisions.count()
    client.post(
        edit_url(case),
        {
            **case_form(case, situation=PHONE_SITUATION),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    assert case.revisions.count() == revisions
    assert not reload(case).live
    # A clean edit approved at once is published as edited.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url(case),
            {
                **case_form(case, situation="<p>相談者は20代だった。</p>"),
                "action-workflow-action": "true",
                "workflow-action-name": "approve",
            },
        )
    case = reload(case)
    assert case.live and case.state == "published"
    assert "20代" in case.situation


def test_reject_is_final(
    client, make_case, author, moderator, submit, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(author)
    submit(case, author)
    client.force_login(moderator)
    url = action_url(case, CaseModerationTask.REJECT_FINAL)
    client.post(url, {"comment": ""})
    assert workflow_state(case).status == WorkflowState.STATUS_IN_PROGRESS

    reason = "本人が特定されるおそれが高いため掲載できません。"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"comment": reason}).status_code == 302
    assert workflow_state(case).status == WorkflowState.STATUS_CANCELLED
    case = reload(case)
    assert not case.live and case.live_revision_id is None
    assert case.state == "rejected"
    assert case.moderation_note == reason
    assert reason in mails_to(mailoutbox, author)[-1].body
    assert audited(case, services.CASE_REJECT).get().data["reason"] == reason
    assert not reload(case).get_lock()


# Unpublishing --------------------------------------------------------------------------------------


def test_unpublish_with_a_reason(
    client, make_case, author, moderator, editor, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(author, live=True)
    url = reverse("cases_unpublish", args=[case.pk])
    client.force_login(editor)
    assert client.post(url, {"comment": "理由"}).status_code in (302, 403)
    assert reload(case).live

    client.force_login(moderator)
    header = client.get(edit_url(case)).content.decode()
    assert url in header
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert reload(case).live
    # Wagtail's own unpublish view sends moderators to this one.
    wagtail_unpublish = reverse("wagtailadmin_pages:unpublish", args=[case.pk])
    assert client.post(wagtail_unpublish, {})["Location"] == url
    assert reload(case).live

    reason = "本人から削除の希望がありました。"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"comment": reason}).status_code == 302
    case = reload(case)
    assert not case.live
    assert case.state == "unpublished"
    assert case.moderation_note == reason
    assert reason in mails_to(mailoutbox, author)[-1].body
    assert audited(case, services.CASE_UNPUBLISH).get().data["reason"] == reason


# E-mail language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"), [("ja", "修正依頼"), ("en", "Changes requested")]
)
def test_emails_follow_the_recipients_language(
    make_case,
    author,
    moderator,
    submit,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
    expected,
):
    author.preferred_language = language
    author.save(update_fields=["preferred_language"])
    case = make_case(author)
    submit(case, author)
    task_state = current_task_state(case)
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "reject", comment="理由")
    mail = mails_to(mailoutbox, author)[-1]
    assert expected in mail.subject
    assert mail.extra_headers["Content-Language"] == language


# The anonymisation report ----------------------------------------------------------------------------


def test_the_anonymisation_report(client, make_case, author, moderator, editor, coordinator):
    case = make_case(author, situation=PHONE_SITUATION)
    url = reverse("cases_anonymisation", args=[case.pk])
    client.force_login(moderator)
    assert url in client.get(edit_url(case)).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "090-1234-5678" in page.content.decode()
    client.force_login(editor)
    assert client.get(url).status_code == 200
    client.force_login(coordinator)
    assert client.get(url).status_code in (302, 403)


def test_copies_of_a_case_are_not_published(client, make_case, author, administrator, case_index):
    case = make_case(author, live=True)
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[case.pk]),
        {
            "new_title": "複製",
            "new_slug": "copied-case",
            "new_parent_page": str(case_index.pk),
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:copy", args=[case.pk])
    assert not CaseStudyPage.objects.filter(slug="copied-case").exists()


def test_cases_are_not_unpublished_in_bulk(client, make_case, author, moderator):
    moderator.preferred_language = "en"  # the admin and e-mails below are read in English
    moderator.save(update_fields=["preferred_language"])
    case = make_case(author, live=True)
    client.force_login(moderator)
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    response = client.post(f"{bulk}?id={case.pk}", {})
    assert response.status_code == 302
    assert any("one at a time" in str(m) for m in get_messages(response.wsgi_request))
    assert reload(case).live
