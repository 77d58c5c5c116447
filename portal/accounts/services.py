"""Writes with side effects for accounts and certification."""

import datetime

from django.db import transaction

from portal import audit

from .models import Certificate, User


@transaction.atomic
def certificate_issue(
    *,
    holder: User,
    number: str,
    issued_on: datetime.date,
    renews: Certificate | None = None,
    actor: User | None = None,
) -> Certificate:
    """Put a certificate on the register for ``holder``; validity is derived from ``issued_on``."""
    certificate = Certificate(holder=holder, number=number, issued_on=issued_on, renews=renews)
    certificate.full_clean()
    certificate.save()
    audit.audit(
        certificate,
        audit.CERTIFICATE_ISSUE,
        user=actor,
        data={
            "number": certificate.number,
            "holder": holder.pk,
            "issued_on": issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "renews": renews.number if renews else None,
        },
    )
    return certificate


def user_set_language(user: User, language: str) -> bool:
    """Remember ``language`` on the user's profile; returns whether it changed."""
    if language not in User.Language.values or user.preferred_language == language:
        return False
    previous = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit.audit(user, audit.LANGUAGE_CHANGE, user=user, data={"from": previous, "to": language})
    return True


def login_audit(user: User, request, *, action: str) -> None:
    audit.audit(user, action, user=user, data=_request_data(request))


def login_failed_audit(username: str, request) -> None:
    """A failed login is recorded against the account it named, when that account exists."""
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        audit.audit(user, audit.LOGIN_FAILED, user=None, data=_request_data(request))


def _request_data(request) -> dict:
    if request is None:
        return {}
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "path": request.path,
    }
