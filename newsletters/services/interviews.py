"""Interviewee confirmation of newsletter issues: asking the interviewees, recording their answers
and moving the "Newsletter approval" workflow on.

The workflow runs the "Interviewee confirmation" task first: each interviewee of the draft gets a
personal link, confirms the draft of their interview (and says whether their photo may be shown)
or asks for changes with a comment. Once every interviewee confirmed, the task approves itself and
the administrators' approval starts; a request for changes sends the issue back to its editors.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowState

from portal.audit import audit
from portal.mail import absolute_url

from ..models import ConfirmationStatus, IntervieweeConfirmation, IntervieweeConfirmationTask
from ..selectors.interviews import (
    interviewee_ids,
    interviews_signature,
    newsletter_publish_allowed,
)

logger = logging.getLogger(__name__)

CONFIRMATION_REQUEST = "portal.interview_confirmation_request"
INTERVIEW_CONFIRM = "portal.interview_confirm"
INTERVIEW_REQUEST_CHANGES = "portal.interview_request_changes"
CONFIRMATION_RESTART = "portal.interview_confirmation_restart"
CONFIRMATION_COMPLETE = "portal.interview_confirmation_complete"

WORKFLOW_NAME = "Newsletter approval"


# Workflow assignment ----------------------------------------------------------------------


def assign_newsletter_workflow(index_page) -> WorkflowPage:
    """Give the newsletter index (and so every issue under it) the "Newsletter approval"
    workflow. Idempotent."""
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    workflow_page, _created = WorkflowPage.objects.update_or_create(
        page=index_page, defaults={"workflow": workflow}
    )
    return workflow_page


# Helpers ------------------------------------------------------------------------------------


def confirmation_url(confirmation) -> str:
    return absolute_url(reverse("newsletters:confirm", args=[confirmation.token]))


def _send(template: str, recipient, context: dict) -> None:
    """Render ``interviews/email/<template>`` in the recipient's language and send it once the
    transaction commits (nothing is sent for a change that is rolled back)."""
    if not recipient or not recipient.email:
        return
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    context = {**context, "recipient": recipient}
    with translation.override(language):
        subject = render_to_string(
            f"newsletters/interviews/email/{template}_subject.txt", context
        ).strip()
        body = render_to_string(f"newsletters/interviews/email/{template}.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[recipient.email])
    transaction.on_commit(partial(_deliver, message))


def _deliver(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:  # a mail server failure must not undo the workflow step
        logger.exception("Could not send the interview confirmation e-mail to %s", message.to)


def _issue_of(task_state):
    """The issue page (specific) of a task state's workflow."""
    return task_state.workflow_state.content_object.specific


def _edit_url(page) -> str:
    return absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))


# Starting the task ---------------------------------------------------------------------------


def interviewee_confirmation_start(task_state, user=None) -> list[IntervieweeConfirmation]:
    """Ask every interviewee of the draft under review to confirm it (called when the
    "Interviewee confirmation" task starts). Without interviews the task is approved at once."""
    if task_state.revision_id:
        revision = task_state.revision
    else:
        revision = task_state.workflow_state.content_object.get_latest_revision()
    draft = revision.as_object()
    ids = interviewee_ids(draft)
    if not ids:
        # Leave moving the workflow on to the caller (WorkflowState.update does it when the task
        # it started is no longer in progress).
        task_state.approve(user=None, update=False, comment=gettext("No interviewee to ask."))
        return []

    users = get_user_model().objects.in_bulk(ids)
    asked_before = set(
        IntervieweeConfirmation.objects.filter(
            issue_id=draft.pk, interviewee_id__in=ids
        ).values_list("interviewee_id", flat=True)
    )
    confirmations = []
    for interviewee_id in ids:
        confirmation = IntervieweeConfirmation.objects.create(
            task_state=task_state,
            issue_id=draft.pk,
            revision=revision,
            interviewee_id=interviewee_id,
        )
        interviewee = users[interviewee_id]
        own_titles = [
            interview.title
            for interview in draft.interviews.all()
            if interview.interviewee_id == interviewee_id
        ]
        _send(
            "request",
            interviewee,
            {
                "issue": draft,
                "titles": own_titles,
                "url": confirmation_url(confirmation),
                "again": interviewee_id in asked_before,
            },
        )
        confirmations.append(confirmation)
    audit(
        draft,
        CONFIRMATION_REQUEST,
        user=user,
        data={"revision": revision.pk, "interviewees": ids, "task_state": task_state.pk},
    )
    return confirmations


# Answers ------------------------------------------------------------------------------------


def _lock_open(confirmation, user) -> IntervieweeConfirmation:
    """The confirmation, re-read under a lock on its task state, if ``user`` may still answer it.

    Someone other than the interviewee gets a 404 (no hint that the link exists); an answered
    or outdated link raises a ValidationError and changes nothing."""
    if not user or not user.is_authenticated or user.pk != confirmation.interviewee_id:
        raise Http404
    task_state = TaskState.objects.select_for_update().get(pk=confirmation.task_state_id)
    confirmation = IntervieweeConfirmation.objects.select_for_update().get(pk=confirmation.pk)
    confirmation.task_state = task_state
    if confirmation.status != ConfirmationStatus.PENDING:
        raise ValidationError(_("You already answered on this draft. Thank you."), code="answered")
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError(
            _(
                "This draft is no longer waiting for your answer: the editors changed or "
                "withdrew it. If they need you again, you will get a new link."
            ),
            code="outdated",
        )
    return confirmation


def _requester(task_state):
    return task_state.workflow_state.requested_by


def _progress(task_state) -> tuple[int, int]:
    statuses = list(
        IntervieweeConfirmation.objects.filter(task_state=task_state).values_list(
            "status", flat=True
        )
    )
    return sum(status == ConfirmationStatus.CONFIRMED for status in statuses), len(statuses)


@transaction.atomic
def interview_confirm(confirmation, user, photo_consent: bool) -> IntervieweeConfirmation:
    """The interviewee confirms the draft of their interview(s).

    When every interviewee of the task confirmed, the task is approved and the workflow moves on
    to the administrators' approval, unless the editors changed the interviews since the
    interviewees were asked: then everyone is asked again about the latest draft."""
    confirmation = _lock_open(confirmation, user)
    confirmation.status = ConfirmationStatus.CONFIRMED
    confirmation.photo_consent = bool(photo_consent)
    confirmation.comment = ""
    confirmation.responded_at = timezone.now()
    confirmation.save(update_fields=["status", "photo_consent", "comment", "responded_at"])

    task_state = confirmation.task_state
    issue = _issue_of(task_state)
    audit(
        issue,
        INTERVIEW_CONFIRM,
        user=user,
        data={
            "revision": confirmation.revision_id,
            "photo_consent": confirmation.photo_consent,
            "task_state": task_state.pk,
        },
    )
    confirmed, total = _progress(task_state)
    complete = confirmed == total
    _send(
        "confirmed",
        _requester(task_state),
        {
            "issue": issue,
            "interviewee": user,
            "photo_consent": confirmation.photo_consent,
            "confirmed": confirmed,
            "total": total,
            "complete": complete,
            "edit_url": _edit_url(issue),
        },
    )
    if complete:
        _complete(task_state, issue)
    return confirmation


def _complete(task_state, issue) -> None:
    latest = issue.get_latest_revision()
    confirmed_revision = task_state.revision
    if (
        latest is not None
        and latest.pk != confirmed_revision.pk
        and interviews_signature(latest.as_object())
        != interviews_signature(confirmed_revision.as_object())
    ):
        # The editors changed the interviews while the interviewees were reading: ask again.
        _restart(task_state, issue, user=None)
        return
    audit(
        issue,
        CONFIRMATION_COMPLETE,
        data={"revision": confirmed_revision.pk, "task_state": task_state.pk},
    )
    task_state.approve(user=None, comment=gettext("Every interviewee confirmed the draft."))


@transaction.atomic
def interview_request_changes(confirmation, user, comment: str) -> IntervieweeConfirmation:
    """The interviewee asks for changes: the task is rejected, which sends the issue back to its
    editors with the comment (Wagtail notifies the submitter, and so does this service)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _("Please tell the editors what should change in your interview."), code="required"
        )
    confirmation = _lock_open(confirmation, user)
    confirmation.status = ConfirmationStatus.CHANGES
    confirmation.comment = comment
    confirmation.photo_consent = False
    confirmation.responded_at = timezone.now()
    confirmation.save(update_fields=["status", "comment", "photo_consent", "responded_at"])

    task_state = confirmation.task_state
    issue = _issue_of(task_state)
    audit(
        issue,
        INTERVIEW_REQUEST_CHANGES,
        user=user,
        data={
            "revision": confirmation.revision_id,
            "comment": comment,
            "task_state": task_state.pk,
        },
    )
    _send(
        "changes",
        _requester(task_state),
        {"issue": issue, "interviewee": user, "comment": comment, "edit_url": _edit_url(issue)},
    )
    task_state.reject(
        user=user,
        comment=gettext("%(name)s asked for changes: %(comment)s")
        % {"name": user.get_full_name() or user.get_username(), "comment": comment},
    )
    return confirmation


# Drafts changed during the confirmation -----------------------------------------------------------


def _restart(task_state, issue, user=None) -> None:
    audit(
        issue,
        CONFIRMATION_RESTART,
        user=user,
        data={"task_state": task_state.pk, "revision": task_state.revision_id},
    )
    # Cancelling with resume starts the same task again, on the latest revision.
    task_state.cancel(
        user=user,
        resume=True,
        comment=gettext("The interviews changed: the interviewees are asked again."),
    )


def _send_back(workflow_state, task_state, confirmation_task, issue, user=None) -> None:
    """Leave a later step (the administrators' approval) for the interviewee confirmation."""
    audit(
        issue,
        CONFIRMATION_RESTART,
        user=user,
        data={"task_state": task_state.pk, "revision": task_state.revision_id},
    )
    task_state.status = TaskState.STATUS_CANCELLED
    task_state.finished_at = timezone.now()
    task_state.finished_by = user
    task_state.comment = gettext("The interviews changed: the interviewees are asked again.")
    task_state.save(update_fields=["status", "finished_at", "finished_by", "comment"])
    workflow_state.current_task_state = task_state
    workflow_state.update(user=user, next_task=confirmation_task)


@transaction.atomic
def interviewee_confirmation_refresh(page, user=None) -> bool:
    """After an edit of an issue in the workflow: if its interviews are no longer what the
    interviewees confirmed or are reading, ask them again about the latest draft (from a later
    step too, such as the administrators' approval). Returns whether it did."""
    workflow_state = (
        WorkflowState.objects.for_instance(page)
        .active()
        .select_related("current_task_state__revision")
        .first()
    )
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    task_state = workflow_state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    latest = page.get_latest_revision()
    if latest is None or latest.pk == task_state.revision_id:
        return False
    confirming = IntervieweeConfirmationTask.objects.filter(pk=task_state.task_id).exists()
    if confirming:
        if interviews_signature(latest.as_object()) == interviews_signature(
            task_state.revision.as_object()
        ):
            return False
        confirmation_task = None
    else:
        if newsletter_publish_allowed(page, latest):
            return False
        confirmation_task = IntervieweeConfirmationTask.objects.filter(
            workflow_tasks__workflow_id=workflow_state.workflow_id, active=True
        ).first()
        if confirmation_task is None:
            return False
    locked = TaskState.objects.select_for_update().get(pk=task_state.pk)
    if locked.status != TaskState.STATUS_IN_PROGRESS:
        return False
    if confirming:
        _restart(locked, page.specific, user=user)
    else:
        workflow_state.current_task_state = locked
        _send_back(workflow_state, locked, confirmation_task, page.specific, user=user)
    return True
