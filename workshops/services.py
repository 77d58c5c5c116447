"""Writes for workshops: registering, cancelling and the waiting list. All audited.

Each write locks the workshop's row first, so registrations for one workshop are decided one at a
time and two members can never take the same last seat.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.gate import Access, member_access
from portal.audit import audit

from . import selectors
from .models import Registration, WorkshopPage

logger = logging.getLogger("portal.workshops")

Status = Registration.Status

REGISTER = "portal.workshop_register"
CANCEL = "portal.workshop_cancel"
PROMOTE = "portal.workshop_promote"
EXPORT = "portal.workshop_export"


def _lock(workshop: WorkshopPage) -> WorkshopPage:
    """The workshop re-read under a row lock (only the workshop's own table is locked)."""
    return WorkshopPage.objects.select_for_update(of=("self",)).get(pk=workshop.pk)


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@transaction.atomic
def registration_create(user, workshop: WorkshopPage) -> Registration:
    """Register ``user``: a seat while one is free, else a place on the waiting list."""
    if member_access(user) is not Access.ADMIT:
        raise PermissionDenied
    workshop = _lock(workshop)
    now = timezone.now()
    if workshop.has_started(now):
        raise ValidationError(
            _("This workshop has already started; registration is closed."), code="started"
        )
    if now > workshop.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(deadline)s.")
            % {"deadline": _local(workshop.registration_deadline)},
            code="deadline",
        )
    existing = selectors.active_registration(user, workshop)
    if existing is not None:
        if existing.status == Status.WAITLISTED:
            message = _("You are already on the waiting list for this workshop.")
        else:
            message = _("You are already registered for this workshop.")
        raise ValidationError(message, code="duplicate")
    # Seats freed while nobody was cancelling (a larger capacity) go to those already waiting.
    _fill_seats(workshop, actor=None, now=now)
    status = Status.REGISTERED if selectors.seats_left(workshop) > 0 else Status.WAITLISTED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                workshop=workshop, user=user, status=status, created_at=now
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You are already registered for this workshop."), code="duplicate"
        ) from error
    audit(
        registration,
        REGISTER,
        user=user,
        data={"workshop": workshop.pk, "status": status},
    )
    return registration


@transaction.atomic
def registration_cancel(user, workshop: WorkshopPage) -> Registration:
    """Cancel ``user``'s registration; a freed seat goes to the first on the waiting list.

    The returned registration carries ``previous_status`` (what was cancelled: a seat or a place
    on the waiting list)."""
    workshop = _lock(workshop)
    now = timezone.now()
    registration = selectors.active_registration(user, workshop)
    if registration is None:
        raise ValidationError(
            _("You have no registration for this workshop to cancel."), code="none"
        )
    if workshop.has_started(now):
        raise ValidationError(
            _("This workshop has already started; the registration can no longer be cancelled."),
            code="started",
        )
    previous = registration.status
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    audit(
        registration,
        CANCEL,
        user=user,
        data={"workshop": workshop.pk, "previous_status": previous},
    )
    if previous == Status.REGISTERED:
        _fill_seats(workshop, actor=user, now=now)
    registration.previous_status = previous
    return registration


def waitlist_promote(workshop: WorkshopPage, actor=None) -> list[Registration]:
    """Give free seats to the waiting list (after an editor raised the capacity, say)."""
    with transaction.atomic():
        workshop = _lock(workshop)
        return _fill_seats(workshop, actor=actor, now=timezone.now())


def _fill_seats(workshop: WorkshopPage, *, actor, now) -> list[Registration]:
    """Move the oldest waiting registrations up while seats are free; e-mail each of them.

    Runs with the workshop row locked. Nobody moves up once the workshop has started."""
    if workshop.has_started(now):
        return []
    free = selectors.seats_left(workshop)
    if free <= 0:
        return []
    promoted = list(selectors.waitlist(workshop).select_related("user")[:free])
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit(
            registration,
            PROMOTE,
            user=actor,
            data={"workshop": workshop.pk, "promoted_user": registration.user_id},
        )
        _email_after_commit(registration.pk)
    return promoted


def _email_after_commit(registration_pk: int) -> None:
    """Send the e-mail once the promotion is saved; a mail failure is logged, not raised."""

    def send_promotion_email():
        _send_promotion_email(registration_pk)

    transaction.on_commit(send_promotion_email, robust=True)


def _send_promotion_email(registration_pk: int) -> None:
    registration = Registration.objects.select_related("user", "workshop").get(pk=registration_pk)
    user = registration.user
    if not user.email:
        logger.warning("Promoted registration %s has no e-mail address", registration_pk)
        return
    workshop = registration.workshop
    base = settings.PORTAL_BASE_URL.rstrip("/")
    url = workshop.get_full_url() or f"{base}{workshop.url}"
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "workshop": workshop,
            "url": url,
            "starts_at": timezone.localtime(workshop.starts_at),
            "ends_at": timezone.localtime(workshop.ends_at),
        }
        subject = render_to_string("workshops/email/promoted_subject.txt", context).strip()
        body = render_to_string("workshops/email/promoted.txt", context)
    send_mail(subject, body, None, [user.email])


def attendees_exported(user, workshop: WorkshopPage, file_format: str, count: int) -> None:
    """Record that ``user`` downloaded the attendee list of ``workshop``."""
    audit(
        workshop,
        EXPORT,
        user=user,
        data={"format": file_format, "rows": count},
    )
