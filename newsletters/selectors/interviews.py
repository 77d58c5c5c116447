"""Reads for newsletter issues and the interviewee confirmation of their drafts.

What an issue shows: the interviews, each with the interviewee's name, the region and, only when
the interviewee agreed in their latest confirmation of that issue, their photo. What may be
published: an issue whose interviews are exactly what every interviewee confirmed.
"""

import json
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Revision, TaskState

from ..models import ConfirmationStatus, Interview, IntervieweeConfirmation, NewsletterIssuePage

ISSUES_PER_PAGE = 12
PHOTO_SPEC = "fill-320x320"


# Listing and reading ----------------------------------------------------------------------


def newsletter_index_context(page, request) -> dict[str, Any]:
    """Live issues open to the whole site, newest first, twelve per page."""
    issues = (
        NewsletterIssuePage.objects.child_of(page)
        .live()
        .public()
        .order_by("-issue_date", "-issue_number", "-pk")
    )
    paginator = Paginator(issues, ISSUES_PER_PAGE)
    issues_page = paginator.get_page(request.GET.get("page"))
    cards = [{"page": issue, "lead": localized_lead(issue)} for issue in issues_page]
    return {"issues": issues_page, "issue_cards": cards}


@dataclass(frozen=True)
class InterviewView:
    """One interview as it is shown: nothing here needs a query while the template renders."""

    title: str
    interviewee_id: int
    interviewee_name: str
    region_name: str
    photo: Any  # an Image, or None when there is none or no consent to show it
    body: Any
    anchor: str
    # The interviewee's page in the members' directory, when they are listed there.
    profile_url: str = ""


def localized_lead(issue) -> str:
    if translation.get_language() == "en" and issue.lead_en:
        return issue.lead_en
    return issue.lead


def photo_consents(issue_id: int | None) -> dict[int, bool]:
    """``{interviewee id: photo consent}`` from each interviewee's latest confirmation of the
    issue (one query)."""
    if not issue_id:
        return {}
    consents: dict[int, bool] = {}
    rows = (
        IntervieweeConfirmation.objects.filter(
            issue_id=issue_id, status=ConfirmationStatus.CONFIRMED
        )
        .order_by("-responded_at", "-pk")
        .values_list("interviewee_id", "photo_consent")
    )
    for interviewee_id, consent in rows:
        consents.setdefault(interviewee_id, consent)
    return consents


def _interviews_of(issue) -> list[Interview]:
    """The issue's interviews: from the database for a saved issue, from memory for a draft
    rebuilt from a revision."""
    return list(issue.interviews.all())


def interview_views(
    issue, interviews: list[Interview] | None = None, *, consents: dict[int, bool] | None = None
) -> list[InterviewView]:
    """The interviews of ``issue`` (a page, or a draft from a revision) ready to render, in a fixed
    number of queries whatever their number."""
    from portal.taxonomy.models import Prefecture

    if interviews is None:
        interviews = _interviews_of(issue)
    if not interviews:
        return []
    if consents is None:
        consents = photo_consents(issue.pk)
    users = get_user_model().objects.in_bulk({i.interviewee_id for i in interviews})
    regions = Prefecture.objects.in_bulk({i.region_id for i in interviews})
    photo_ids = {i.photo_id for i in interviews if i.photo_id and consents.get(i.interviewee_id)}
    photos = (
        get_image_model().objects.prefetch_renditions(PHOTO_SPEC).in_bulk(photo_ids)
        if photo_ids
        else {}
    )
    views = []
    for position, interview in enumerate(interviews, start=1):
        user = users.get(interview.interviewee_id)
        region = regions.get(interview.region_id)
        views.append(
            InterviewView(
                title=interview.title,
                interviewee_id=interview.interviewee_id,
                interviewee_name=user.get_full_name() if user else "",
                region_name=region.name if region else "",
                photo=photos.get(interview.photo_id),
                body=interview.body,
                anchor=f"interview-{position}",
            )
        )
    return views


def directory_profile_urls(user_ids) -> dict[int, str]:
    """Directory pages of those of ``user_ids`` listed in the members' directory today (issues
    are read by members and staff only, who all see that directory)."""
    from directory.models import Scope
    from directory.selectors import visible_profiles

    rows = (
        visible_profiles(Scope.DIRECTORY).filter(user_id__in=user_ids).values_list("user_id", "pk")
    )
    return {user_id: reverse("directory:detail", args=[pk]) for user_id, pk in rows}


def newsletter_issue_context(page, request) -> dict[str, Any]:
    interviews = interview_views(page)
    urls = directory_profile_urls({interview.interviewee_id for interview in interviews})
    interviews = [
        replace(interview, profile_url=urls.get(interview.interviewee_id, ""))
        for interview in interviews
    ]
    return {"lead": localized_lead(page), "interviews": interviews}


# Confirmation ------------------------------------------------------------------------------


def _strip_block_ids(value):
    """Block data without the block ids, which say nothing about the content."""
    if isinstance(value, list):
        return [_strip_block_ids(item) for item in value]
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {
            key: _strip_block_ids(item)
            for key, item in value.items()
            if not (is_block and key == "id")
        }
    return value


def interviews_signature(issue) -> tuple:
    """What the interviewees confirm, for comparing two drafts of an issue: each interview's
    interviewee, region, photo, title and text, in order."""
    rows = []
    for interview in _interviews_of(issue):
        body = interview.body
        raw = body.get_prep_value() if hasattr(body, "get_prep_value") else body
        if isinstance(raw, str):
            raw = json.loads(raw or "[]")
        rows.append(
            (
                interview.interviewee_id,
                interview.region_id,
                interview.photo_id,
                interview.title,
                json.dumps(_strip_block_ids(raw), sort_keys=True, ensure_ascii=False),
            )
        )
    return tuple(rows)


def interviewee_ids(issue) -> list[int]:
    """The distinct interviewees of ``issue`` in the order of their interviews."""
    seen: list[int] = []
    for interview in _interviews_of(issue):
        if interview.interviewee_id not in seen:
            seen.append(interview.interviewee_id)
    return seen


def _signature_by_interviewee(issue) -> dict[int, tuple]:
    rows: dict[int, list] = {}
    for row in interviews_signature(issue):
        rows.setdefault(row[0], []).append(row)
    return {interviewee_id: tuple(own) for interviewee_id, own in rows.items()}


def newsletter_publish_allowed(page, revision=None) -> bool:
    """Whether ``revision`` of the issue (by default ``page`` as it is in memory) may be published.

    Every interviewee's latest answer on this issue must be a confirmation of a draft in which
    their interviews were exactly those being published; a request for changes, or no answer
    yet, keeps the issue unpublished. An issue without interviews has nobody to ask."""
    target = revision.as_object() if revision is not None else page
    wanted = _signature_by_interviewee(target)
    if not wanted:
        return True
    if not page.pk:
        return False
    latest: dict[int, tuple[int, str, int]] = {}
    answers = (
        IntervieweeConfirmation.objects.filter(issue_id=page.pk, interviewee_id__in=wanted)
        .exclude(status=ConfirmationStatus.PENDING)
        .order_by("-responded_at", "-pk")
        .values_list("interviewee_id", "status", "revision_id")
    )
    for interviewee_id, status, revision_id in answers:
        latest.setdefault(interviewee_id, (interviewee_id, status, revision_id))
    if set(latest) != set(wanted):
        return False
    if any(status != ConfirmationStatus.CONFIRMED for _id, status, _rev in latest.values()):
        return False
    revisions = Revision.objects.in_bulk({revision_id for *_rest, revision_id in latest.values()})
    confirmed = {pk: _signature_by_interviewee(rev.as_object()) for pk, rev in revisions.items()}
    return all(
        confirmed.get(revision_id, {}).get(interviewee_id) == wanted[interviewee_id]
        for interviewee_id, _status, revision_id in latest.values()
    )


def confirmation_for_token(token: str, user):
    """The confirmation behind a link, only for the interviewee themself; ``None`` otherwise, so
    that a link opened by someone else tells them nothing."""
    if not user.is_authenticated or not token:
        return None
    return (
        IntervieweeConfirmation.objects.filter(token=token, interviewee_id=user.pk)
        .select_related("task_state", "revision", "issue")
        .first()
    )


def confirmation_is_open(confirmation) -> bool:
    """Still waiting for this interviewee's answer on a draft that is still under review."""
    return (
        confirmation.status == ConfirmationStatus.PENDING
        and confirmation.task_state.status == TaskState.STATUS_IN_PROGRESS
    )


def newer_open_confirmation(confirmation):
    """A later confirmation of the same issue still waiting for the same interviewee, if any."""
    candidates = (
        IntervieweeConfirmation.objects.filter(
            issue_id=confirmation.issue_id,
            interviewee_id=confirmation.interviewee_id,
            status=ConfirmationStatus.PENDING,
            task_state__status=TaskState.STATUS_IN_PROGRESS,
            created_at__gte=confirmation.created_at,
        )
        .exclude(pk=confirmation.pk)
        .order_by("-created_at", "-pk")
    )
    return candidates.first()


def confirmation_draft_context(confirmation) -> dict[str, Any]:
    """The draft this confirmation is about, as it will be published: the issue and the
    interviewee's own interviews (their photo is shown to them so they can decide)."""
    draft = confirmation.revision.as_object()
    own = [i for i in _interviews_of(draft) if i.interviewee_id == confirmation.interviewee_id]
    return {
        "draft": draft,
        "lead": localized_lead(draft),
        "interviews": interview_views(draft, own, consents={confirmation.interviewee_id: True}),
    }


@dataclass(frozen=True)
class ConfirmationRow:
    interviewee_name: str
    username: str
    status: str
    status_label: str
    photo_consent: bool
    comment: str
    created_at: Any
    responded_at: Any
    revision_id: int
    current: bool


def confirmations_for(page) -> list[ConfirmationRow]:
    """Every interviewee's answer on every draft of the issue, newest draft first (for the admin).

    ``current`` marks the answers of the task still waiting, if the issue is in that step."""
    confirmations = (
        IntervieweeConfirmation.objects.filter(issue_id=page.pk)
        .select_related("interviewee", "task_state")
        .order_by("-created_at", "-pk")
    )
    labels = dict(ConfirmationStatus.choices)
    return [
        ConfirmationRow(
            interviewee_name=c.interviewee.get_full_name(),
            username=c.interviewee.get_username(),
            status=c.status,
            status_label=str(labels.get(c.status, c.status)),
            photo_consent=c.photo_consent,
            comment=c.comment,
            created_at=c.created_at,
            responded_at=c.responded_at,
            revision_id=c.revision_id,
            current=c.task_state.status == TaskState.STATUS_IN_PROGRESS,
        )
        for c in confirmations
    ]
