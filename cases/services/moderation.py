"""The moderation of case studies: submitting to the moderators, requesting changes, rejecting,
approving (which publishes) and unpublishing with a reason.

Every step runs on the *Case moderation* workflow (``CaseModerationTask``), keeps the case's
``state`` and ``moderation_note`` in step, writes an audit entry and e-mails the people concerned
in their own language once the transaction commits.

``state`` lives on the page row and in the page's revisions: publishing a revision copies its
content onto the page row, so every transition writes both (the page row and the latest revision),
and a later publish of that revision cannot bring an old state back.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Revision, TaskState, WorkflowState

from portal.audit import audit
from portal.mail import absolute_url, localized_message, send_on_commit

from ..models import CaseState, CaseStudyPage
from ..selectors.moderation import (
    approval_blockers,
    author_shown_to_moderators,
    case_moderators,
    is_case_moderator,
)

logger = logging.getLogger(__name__)

CASE_SUBMIT = "portal.case_submit"
CASE_REQUEST_CHANGES = "portal.case_request_changes"
CASE_REJECT = "portal.case_reject"
CASE_APPROVE = "portal.case_approve"
CASE_UNPUBLISH = "portal.case_unpublish"

# The author's list of their own cases (see the URL map); moderators' notes are shown there.
MY_CASES_PATH = "/cases/mine/"
REASON_MAX_LENGTH = 4000


# Helpers ------------------------------------------------------------------------------------


def my_cases_url() -> str:
    return absolute_url(MY_CASES_PATH)


def admin_edit_url(page) -> str:
    return absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _send(template: str, recipient, context: dict) -> None:
    """Render ``cases/moderation/email/<template>`` in the recipient's language and send it once
    the transaction commits (nothing is sent for a step that is rolled back)."""
    if recipient is None or not recipient.email or not recipient.is_active:
        return
    message = localized_message(recipient, f"cases/moderation/email/{template}", context)
    send_on_commit(message, "case moderation")


def _clean_reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Please give the author a reason: they read it on their list of cases."),
            code="required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Please keep the reason under %(limit)d characters.") % {"limit": REASON_MAX_LENGTH},
            code="max_length",
        )
    return reason


def _case_of(task_state) -> CaseStudyPage:
    return task_state.workflow_state.content_object.specific


def _open_task_state(task_state, user) -> TaskState:
    """The task state, re-read under a lock, if it is still waiting and ``user`` moderates it."""
    locked = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    if locked.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied(_("This case is no longer waiting for moderation."))
    if not locked.task.specific.user_moderates(user):
        raise PermissionDenied(_("Only moderators review case studies."))
    return locked


def set_case_state(page, state: str, note: str | None = None) -> None:
    """Write ``state`` (and the moderators' ``note`` unless None) on the page row and on its
    latest revision, so that publishing that revision later keeps them."""
    values = {"state": state}
    if note is not None:
        values["moderation_note"] = note
    CaseStudyPage.objects.filter(pk=page.pk).update(**values)
    latest_id = (
        CaseStudyPage.objects.filter(pk=page.pk)
        .values_list("latest_revision_id", flat=True)
        .first()
    )
    revision = Revision.objects.filter(pk=latest_id).first() if latest_id else None
    if revision is not None and isinstance(revision.content, dict):
        revision.content.update(values)
        revision.save(update_fields=["content"])
    for field, value in values.items():
        setattr(page, field, value)


# Submitting ----------------------------------------------------------------------------------


def case_moderation_start(task_state, user=None) -> None:
    """The moderators' task started on a case (a first submission, or a resubmission after
    changes were requested): the case is in review and every moderator is told."""
    case = _case_of(task_state)
    resubmitted = (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id)
        .exclude(pk=task_state.pk)
        .exists()
    )
    set_case_state(case, CaseState.IN_REVIEW)
    audit(
        case,
        CASE_SUBMIT,
        user=user,
        data={
            "revision": task_state.revision_id,
            "task_state": task_state.pk,
            "resubmitted": resubmitted,
        },
    )
    draft = task_state.revision.as_object() if task_state.revision_id else case
    context = {
        "case": draft,
        "author_name": author_shown_to_moderators(draft),
        "resubmitted": resubmitted,
        "edit_url": admin_edit_url(case),
        "report_url": absolute_url(reverse("cases_anonymisation", args=[case.pk])),
    }
    for moderator in case_moderators():
        _send("submitted", moderator, context)


# Moderators' decisions ----------------------------------------------------------------------


@transaction.atomic
def case_request_changes(task_state, user, reason) -> CaseStudyPage:
    """Send the case back to its author with a reason: the workflow needs changes, and the author
    resubmits it (the same workflow resumes)."""
    reason = _clean_reason(reason)
    task_state = _open_task_state(task_state, user)
    case = _case_of(task_state)
    task_state.reject(user=user, comment=reason)
    set_case_state(case, CaseState.CHANGES_REQUESTED, reason)
    audit(
        case,
        CASE_REQUEST_CHANGES,
        user=user,
        data={"reason": reason, "revision": task_state.revision_id, "task_state": task_state.pk},
    )
    _send("changes_requested", case.author, {"case": case, "reason": reason, "url": my_cases_url()})
    return case


@transaction.atomic
def case_reject(task_state, user, reason) -> CaseStudyPage:
    """Refuse the case for good: the workflow is cancelled and the submission never published."""
    reason = _clean_reason(reason)
    task_state = _open_task_state(task_state, user)
    case = _case_of(task_state)
    workflow_state = WorkflowState.objects.select_for_update().get(pk=task_state.workflow_state_id)
    workflow_state.cancel(user=user)
    TaskState.objects.filter(pk=task_state.pk).update(comment=reason)
    set_case_state(case, CaseState.REJECTED, reason)
    audit(
        case,
        CASE_REJECT,
        user=user,
        data={"reason": reason, "revision": task_state.revision_id, "task_state": task_state.pk},
    )
    _send("rejected", case.author, {"case": case, "reason": reason, "url": my_cases_url()})
    return case


@transaction.atomic
def case_approve(task_state, user, comment: str = "") -> CaseStudyPage:
    """Approve and publish the latest revision, unless the anonymisation assistant still finds
    something serious in it that the author neither fixed nor justified."""
    task_state = _open_task_state(task_state, user)
    case = _case_of(task_state)
    blockers = approval_blockers(case)
    if blockers:
        raise ValidationError(
            _(
                "This case cannot be approved: %(count)d serious finding(s) of the anonymisation "
                "check are neither fixed nor justified. Edit the case or request changes."
            )
            % {"count": len(blockers)},
            code="open_findings",
        )
    comment = (comment or "").strip()
    # The last task of the workflow publishes the latest revision on approval.
    task_state.approve(user=user, comment=comment)
    workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    case = CaseStudyPage.objects.get(pk=case.pk)
    if workflow_state.status != WorkflowState.STATUS_APPROVED or not case.live:
        return case  # a later step of the workflow still has to approve it
    set_case_state(case, CaseState.PUBLISHED, "")
    audit(
        case,
        CASE_APPROVE,
        user=user,
        data={"revision": case.live_revision_id, "task_state": task_state.pk, "comment": comment},
    )
    _send("published", case.author, {"case": case, "comment": comment, "url": my_cases_url()})
    return case


# Unpublishing --------------------------------------------------------------------------------


@transaction.atomic
def case_unpublish(page, user, reason) -> CaseStudyPage:
    """A moderator takes a published case off the library, telling its author why."""
    reason = _clean_reason(reason)
    case = CaseStudyPage.objects.select_for_update().get(pk=page.pk)
    if not is_case_moderator(user) or not case.permissions_for_user(user).can_unpublish():
        raise PermissionDenied(_("Only moderators unpublish case studies."))
    revision_id = case.live_revision_id
    UnpublishPageAction(case, user=user).execute()
    set_case_state(case, CaseState.UNPUBLISHED, reason)
    audit(case, CASE_UNPUBLISH, user=user, data={"reason": reason, "revision": revision_id})
    _send("unpublished", case.author, {"case": case, "reason": reason, "url": my_cases_url()})
    return case
