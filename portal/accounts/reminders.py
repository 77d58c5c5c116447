"""Expiry reminders: 180, 90 and 30 days before a certificate's last day, and on expiry.

Each (certificate, threshold) is sent at most once (a unique constraint backs this), so the
command can run any number of times a day. A run that was missed catches up with the nearest
threshold only; a certificate already renewed or revoked gets no reminder.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Certificate, CertificateReminder, today

THRESHOLDS = (180, 90, 30)
EXPIRED = 0
# How long after expiry the expiry notice may still go out (e.g. after an outage).
EXPIRED_GRACE_DAYS = 14


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0


def due_threshold(certificate: Certificate, on: datetime.date) -> int | None:
    days_left = (certificate.valid_until - on).days
    if days_left < 0:
        return EXPIRED if -days_left <= EXPIRED_GRACE_DAYS else None
    applicable = [t for t in THRESHOLDS if days_left <= t]
    return min(applicable) if applicable else None


def candidates(on: datetime.date):
    """Certificates that may need a reminder on ``on``: in force or just expired, not renewed."""
    return (
        Certificate.objects.filter(
            valid_until__lte=on + datetime.timedelta(days=max(THRESHOLDS)),
            valid_until__gte=on - datetime.timedelta(days=EXPIRED_GRACE_DAYS),
            revoked_on__isnull=True,
            renewed_by__isnull=True,
            holder__is_active=True,
        )
        .exclude(holder__email="")
        .select_related("holder")
        .prefetch_related("reminders")
        .order_by("pk")
    )


def reminder_message(certificate: Certificate, threshold: int, on: datetime.date, connection):
    holder = certificate.holder
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "user": holder,
        "certificate": certificate,
        "threshold": threshold,
        "days_left": (certificate.valid_until - on).days,
        "expired": threshold == EXPIRED,
        "certificate_url": base + reverse("accounts:certificate"),
    }
    with translation.override(holder.preferred_language):
        subject = render_to_string("accounts/email/reminder_subject.txt", context).strip()
        body = render_to_string("accounts/email/reminder.txt", context)
    return EmailMultiAlternatives(subject, body, to=[holder.email], connection=connection)


def send_certificate_reminders(on: datetime.date | None = None) -> ReminderRun:
    on = on or today()
    run = ReminderRun()
    connection = get_connection()
    for certificate in candidates(on):
        threshold = due_threshold(certificate, on)
        if threshold is None:
            continue
        already = {r.threshold for r in certificate.reminders.all()}
        # A nearer threshold already sent covers the farther ones.
        if any(t <= threshold for t in already) or (threshold == EXPIRED and EXPIRED in already):
            run.skipped += 1
            continue
        try:
            with transaction.atomic():
                CertificateReminder.objects.create(
                    certificate=certificate,
                    threshold=threshold,
                    sent_on=on,
                    language=certificate.holder.preferred_language,
                )
                reminder_message(certificate, threshold, on, connection).send()
        except IntegrityError:
            run.skipped += 1  # another run sent it a moment ago
            continue
        run.sent += 1
    return run
