"""Writes for national notices: confirmations of reading, reminder e-mails, personal feed tokens."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.audit import audit
from portal.mail import absolute_url

from ..models import Acknowledgement, AcknowledgementReminder, FeedToken, Importance, NoticePage
from ..selectors.notices import (
    coordinator_prefectures,
    is_targeted,
    published_notices,
    targeted_coordinators,
    visible_notices,
)

logger = logging.getLogger(__name__)

NOTICE_ACKNOWLEDGE = "portal.notice_acknowledge"
NOTICE_REMIND = "portal.notice_remind"
NOTICE_ACKNOWLEDGEMENT_EXPORT = "portal.notice_acknowledgement_export"
FEED_TOKEN_REVOKE = "portal.feed_token_revoke"  # noqa: S105 (an audit action name)

DEFAULT_REMINDER_DAYS = 7


class NotTargeted(PermissionDenied):
    """The notice asks this user for no confirmation (not important, not visible, not targeted)."""


def notice_acknowledge(user, notice: NoticePage) -> tuple[Acknowledgement, bool]:
    """Record that ``user`` read ``notice``; ``(acknowledgement, created)``. Calling it again
    changes nothing (and records nothing new in the audit log)."""
    if not notice.requires_acknowledgement:
        raise NotTargeted("This notice needs no confirmation.")
    if not visible_notices(user).filter(pk=notice.pk).exists():
        raise NotTargeted("This notice is not open to this user.")
    if not is_targeted(notice, coordinator_prefectures(user)):
        raise NotTargeted("This notice does not ask this user for a confirmation.")
    try:
        with transaction.atomic():
            acknowledgement, created = Acknowledgement.objects.get_or_create(
                notice=notice, user=user
            )
    except IntegrityError:  # a double click: the other request recorded it a moment ago
        return Acknowledgement.objects.get(notice=notice, user=user), False
    if created:
        audit(notice, NOTICE_ACKNOWLEDGE, user=user, data={"notice": notice.pk})
    return acknowledgement, created


def reminder_days() -> int:
    return getattr(settings, "PORTAL_NOTICE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)


def reminder_message(notice: NoticePage, user, connection) -> EmailMultiAlternatives:
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "notice": notice,
            "summary": notice.localized_summary,
            "notice_url": absolute_url(notice.url),
        }
        subject = render_to_string(
            "newsletters/notices/email/reminder_subject.txt", context
        ).strip()
        body = render_to_string("newsletters/notices/email/reminder.txt", context)
    return EmailMultiAlternatives(
        " ".join(subject.split()), body, to=[user.email], connection=connection
    )


def notice_send_reminders(now: datetime.datetime | None = None) -> int:
    """E-mail the targeted coordinators who have not confirmed an important notice published
    more than ``PORTAL_NOTICE_REMINDER_DAYS`` days ago: once per notice and member, whatever
    the number of runs. Returns how many e-mails were sent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    notices = (
        published_notices()
        .filter(importance=Importance.IMPORTANT, first_published_at__lte=cutoff)
        .order_by("first_published_at", "pk")
    )
    connection = get_connection()
    total = 0
    for notice in notices:
        pending = (
            targeted_coordinators(notice, timezone.localdate(now))
            .exclude(email="")
            .exclude(notice_acknowledgements__notice=notice)
            .exclude(pk__in=AcknowledgementReminder.objects.filter(notice=notice).values("user"))
            .order_by("pk")
        )
        sent = 0
        for user in pending:
            try:
                with transaction.atomic():
                    AcknowledgementReminder.objects.create(notice=notice, user=user)
                    reminder_message(notice, user, connection).send()
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent += 1
        if sent:
            audit(notice, NOTICE_REMIND, data={"sent": sent})
            logger.info("Sent %s reminders for notice %s", sent, notice.pk)
        total += sent
    return total


def feed_token_for(user) -> FeedToken:
    """The user's active personal feed token, made on first use."""
    token = FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return FeedToken.objects.create(user=user)
    except IntegrityError:  # made by a parallel request
        return FeedToken.objects.get(user=user, revoked_at__isnull=True)


@transaction.atomic
def feed_token_revoke(user) -> FeedToken:
    """Stop the current personal feed address from working and make a new one."""
    revoked = FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = FeedToken.objects.create(user=user)
    audit(user, FEED_TOKEN_REVOKE, user=user, data={"revoked": revoked})
    return token
