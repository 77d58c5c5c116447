"""The weekly e-mail digest: choose it, send it once per period, leave it with one click."""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit import audit

from ..models import DigestDelivery, DigestFrequency, DigestSubscription
from ..selectors.digests import digest_sections, last_week, subscribers

logger = logging.getLogger(__name__)

DIGEST_CHOOSE = "portal.digest_choose"
DIGEST_UNSUBSCRIBE = "portal.digest_unsubscribe"
DIGEST_SEND = "portal.digest_send"

_SALT = "newsletters.digest.unsubscribe"


def digest_choose(user, frequency: str) -> DigestSubscription:
    if frequency not in DigestFrequency.values:
        raise ValueError(frequency)
    subscription, _ = DigestSubscription.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    audit(user, DIGEST_CHOOSE, user=user, data={"frequency": frequency})
    return subscription


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=_SALT, compress=True)


def user_for_unsubscribe_token(token: str):
    """The user a token was made for, or ``None`` when it was altered or made up."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    return get_user_model().objects.filter(pk=data["user"]).first()


def digest_unsubscribe(user) -> None:
    DigestSubscription.objects.update_or_create(
        user=user, defaults={"frequency": DigestFrequency.NONE}
    )
    audit(user, DIGEST_UNSUBSCRIBE, user=user, data={})


def _message(user, start, end, sections) -> EmailMultiAlternatives:
    token = unsubscribe_token(user)
    unsubscribe_url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "digest:unsubscribe", args=[token]
    )
    context = {
        "user": user,
        "start": start,
        "end": end,
        "sections": sections,
        "unsubscribe_url": unsubscribe_url,
    }
    subject = render_to_string("newsletters/digests/email_subject.txt", context).strip()
    body = render_to_string("newsletters/digests/email.txt", context)
    html = render_to_string("newsletters/digests/email.html", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        to=[user.email],
        headers={
            # RFC 8058: mail programs show a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send_for(user, on: datetime.date) -> int | None:
    """Send ``user`` the digest of the week before ``on``. ``None`` when it was already sent
    (or recorded as empty) for that week; otherwise the number of items."""
    start, end = last_week(on)
    if DigestDelivery.objects.filter(user=user, period_start=start).exists():
        return None
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        sections = digest_sections(user, start, end)
        count = sum(len(section.items) for section in sections)
        try:
            with transaction.atomic():
                # The row first: a second run (or a parallel one) cannot send the same period.
                DigestDelivery.objects.create(
                    user=user, period_start=start, period_end=end, item_count=count
                )
                if count:
                    _message(user, start, end, sections).send()
        except IntegrityError:
            return None
    return count


def digests_send(on: datetime.date | None = None) -> dict[str, int]:
    """Send the weekly digest to every subscriber; returns counts for the command's report."""
    on = on or timezone.localdate()
    sent = skipped = empty = failed = 0
    for user in subscribers().iterator():
        try:
            count = digest_send_for(user, on)
        except Exception:  # one bad address must not stop the others
            logger.exception("Digest for user %s failed", user.pk)
            failed += 1
            continue
        if count is None:
            skipped += 1
        elif count == 0:
            empty += 1
        else:
            sent += 1
            audit(user, DIGEST_SEND, data={"items": count, "week_of": str(last_week(on)[0])})
    return {"sent": sent, "already_sent": skipped, "nothing_new": empty, "failed": failed}
