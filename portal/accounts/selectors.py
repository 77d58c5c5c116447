"""Reads for the member area."""

from django.conf import settings

from .models import CertificateStatus, User, today


def member_home_context(user: User) -> dict:
    on = today()
    certificate = user.current_certificate(on)
    status = certificate.status(on) if certificate else CertificateStatus.NONE
    days_left = certificate.days_left(on) if certificate else None
    expiring_soon = (
        status == CertificateStatus.VALID
        and days_left is not None
        and days_left <= settings.PORTAL_CERTIFICATE_WARNING_DAYS
    )
    return {
        "certificate": certificate,
        "certificate_status": status,
        "days_left": days_left,
        "expiring_soon": expiring_soon,
        # Sections that the notices, questionnaires and case-study features fill in.
        "new_notices": [],
        "open_questionnaires": [],
        "own_cases": [],
    }
