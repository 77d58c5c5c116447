"""Writes of the opinion box: a member sends an opinion; staff triage it and may publish an answer.

Every write is audited. An opinion sent anonymously keeps no author, and its audit entry names
no one: it is written outside any request's log context, without user or identifying data.
"""

import logging

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext

from portal.accounts.models import today
from portal.audit import audit
from portal.mail import absolute_url, localized_message, send_on_commit

from ..models import Opinion, OpinionCategory, OpinionStatus
from .selectors import PUBLIC_STATUSES, may_triage_opinions

logger = logging.getLogger(__name__)

OPINION_SUBMIT = "questionnaires.opinion_submit"
OPINION_TRIAGE = "questionnaires.opinion_triage"

TEXT_MAX_LENGTH = 4000
PUBLIC_TEXT_MAX_LENGTH = 4000
# Opinions one member may send per day (Japan time), anonymous ones included.
DAILY_LIMIT = 10
_LIMIT_TIMEOUT = 2 * 24 * 60 * 60

TRIAGE_FIELDS = ("status", "staff_note", "public_summary", "public_answer")


class OpinionLimitReached(ValidationError):
    """The member already sent ``DAILY_LIMIT`` opinions today."""

    def __init__(self):
        super().__init__(
            _(
                "You have already sent %(limit)d opinions today, which is the most one member "
                "can send in a day. Please send this one tomorrow; your text is still below."
            ),
            code="limit",
            params={"limit": DAILY_LIMIT},
        )


# Helpers ----------------------------------------------------------------------------------------


def _pk(value):
    return getattr(value, "pk", value) or None


def _plain(value) -> str:
    """Member and staff texts are plain text: normalised line ends, no outer white space."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _limit_key(user) -> str:
    return f"opinions:sent:{user.pk}:{today().isoformat()}"


def opinions_sent_today(user) -> int:
    return int(cache.get(_limit_key(user)) or 0)


def _count_submission(user) -> int:
    """Add one to the member's count for today and return the new count."""
    key = _limit_key(user)
    cache.add(key, 0, timeout=_LIMIT_TIMEOUT)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired in between
        cache.set(key, 1, timeout=_LIMIT_TIMEOUT)
        return 1


def my_opinions_url() -> str:
    return absolute_url(reverse("opinions:mine"))


def _send_answer_notice(opinion: Opinion) -> None:
    """E-mail the author, in their language, that their opinion has a public answer (sent once
    the transaction commits)."""
    recipient = opinion.author
    if recipient is None or not recipient.email or not recipient.is_active:
        return
    context = {
        "opinion": opinion,
        "category": opinion.get_category_display(),
        "url": my_opinions_url(),
    }
    message = localized_message(recipient, "questionnaires/opinions/email/answered", context)
    send_on_commit(message, "opinion answer")


# Submission -------------------------------------------------------------------------------------


def opinion_submit(
    user,
    *,
    anonymous: bool,
    category: str,
    text: str,
    field=None,
    prefecture=None,
) -> Opinion:
    """Store a member's opinion. ``field`` and ``prefecture`` are rows or ids (or ``None``).

    With ``anonymous`` the opinion keeps no author and its audit entry names no one; it cannot
    be followed up or listed among the member's own opinions. Raises ``ValidationError`` for
    invalid data and ``OpinionLimitReached`` past the daily limit (nothing is stored then)."""
    if not user.is_authenticated:
        raise PermissionDenied
    text = _plain(text)
    errors = {}
    if category not in OpinionCategory.values:
        errors["category"] = _("Choose a category.")
    if not text:
        errors["text"] = _("Write your opinion.")
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = _("Please keep your opinion under %(limit)d characters.") % {
            "limit": TEXT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    if _count_submission(user) > DAILY_LIMIT:
        raise OpinionLimitReached()
    with transaction.atomic():
        opinion = Opinion.objects.create(
            author=None if anonymous else user,
            category=category,
            field_id=_pk(field),
            prefecture_id=_pk(prefecture),
            text=text,
        )
        if anonymous:
            # A fresh log context: the entry must not pick up the request's user or group
            # with the member's other actions.
            with LogContext(user=None, generate_uuid=False):
                audit(opinion, OPINION_SUBMIT, user=None, data={"anonymous": True})
        else:
            audit(
                opinion,
                OPINION_SUBMIT,
                user=user,
                data={"anonymous": False, "category": category},
            )
    return opinion


# Triage -----------------------------------------------------------------------------------------


def triage_errors(*, status: str, public_summary: str, public_answer: str) -> dict[str, str]:
    """What is wrong with a triage decision, by field name (empty when it may be saved)."""
    errors = {}
    if status not in OpinionStatus.values:
        errors["status"] = _("Choose a status.")
    summary, answer = _plain(public_summary), _plain(public_answer)
    if len(summary) > PUBLIC_TEXT_MAX_LENGTH:
        errors["public_summary"] = _("Please keep it under %(limit)d characters.") % {
            "limit": PUBLIC_TEXT_MAX_LENGTH
        }
    if len(answer) > PUBLIC_TEXT_MAX_LENGTH:
        errors["public_answer"] = _("Please keep it under %(limit)d characters.") % {
            "limit": PUBLIC_TEXT_MAX_LENGTH
        }
    if status in PUBLIC_STATUSES and bool(summary) != bool(answer):
        missing = "public_answer" if summary else "public_summary"
        errors.setdefault(
            missing,
            _(
                "Members see the summary and the answer together: write both, or leave both "
                "empty if the answer is not to be shown."
            ),
        )
    return errors


def opinion_triage(
    opinion: Opinion,
    user,
    *,
    status: str,
    staff_note: str,
    public_summary: str,
    public_answer: str,
) -> Opinion:
    """Record staff's triage of ``opinion`` and return the saved row.

    The summary and the answer are shown to members while the status is *answered* or
    *closed*. The first time that happens ``answered_at`` is set and an identified author is
    e-mailed (once: a later edit of the answer sends nothing). Audited when anything changed."""
    if not may_triage_opinions(user):
        raise PermissionDenied
    errors = triage_errors(
        status=status, public_summary=public_summary, public_answer=public_answer
    )
    if errors:
        raise ValidationError(errors)
    values = {
        "status": status,
        "staff_note": _plain(staff_note),
        "public_summary": _plain(public_summary),
        "public_answer": _plain(public_answer),
    }
    with transaction.atomic():
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        before = {name: getattr(current, name) for name in TRIAGE_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        changed = [name for name in TRIAGE_FIELDS if before[name] != values[name]]
        first_answer = (
            current.answered_at is None and current.status in PUBLIC_STATUSES and current.is_public
        )
        if not changed:
            return current
        if first_answer:
            current.answered_at = timezone.now()
        current.save(update_fields=[*TRIAGE_FIELDS, "answered_at", "updated_at"])
        audit(
            current,
            OPINION_TRIAGE,
            user=user,
            data={
                "status": current.status,
                "previous_status": before["status"],
                "changed": changed,
                "answer_published": first_answer,
            },
        )
        if first_answer and current.author_id:
            _send_answer_notice(current)
    return current
