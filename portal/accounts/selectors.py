"""Reads for the member area."""

from django.conf import settings
from wagtail import hooks

from .gate import request_access
from .models import CertificateStatus, User, today
from .register.reading import COLUMNS as REGISTER_COLUMNS
from .register.reading import IGNORED_COLUMNS as REGISTER_EXPORT_ONLY_COLUMNS


def member_home_context(request) -> dict:
    user: User = request.user
    on = today()
    certificate = user.current_certificate(on)
    status = certificate.status(on) if certificate else CertificateStatus.NONE
    days_left = certificate.days_left(on) if certificate else None
    expiring_soon = (
        status == CertificateStatus.VALID
        and days_left is not None
        and days_left <= settings.PORTAL_CERTIFICATE_WARNING_DAYS
    )
    context = {
        "access": request_access(request),
        "certificate": certificate,
        "certificate_status": status,
        "days_left": days_left,
        "expiring_soon": expiring_soon,
        # Sections that the notices, questionnaires and case-study features fill in through the
        # ``construct_member_home`` hook: ``fn(user, context)`` sets its own keys
        # (``context["access"]`` is the user's member access, already worked out).
        "new_notices": [],
        "open_questionnaires": [],
        "own_cases": [],
    }
    for fn in hooks.get_hooks("construct_member_home"):
        fn(user, context)
    return context


def own_certificates_context(user: User) -> dict:
    on = today()
    certificates = list(user.certificates.select_related("renews").order_by("-issued_on"))
    current = user.current_certificate(on)
    return {
        "certificates": [(c, c.status(on)) for c in certificates],
        "current": current,
        "current_status": current.status(on) if current else CertificateStatus.NONE,
    }


# The import's columns plus two for reading: an export can be imported again as it is.
REGISTER_EXPORT_COLUMNS = REGISTER_COLUMNS + REGISTER_EXPORT_ONLY_COLUMNS


def register_rows(*, status: str = "", prefecture=None, on=None):
    """Certificates on the register, filtered by their status on ``on`` and by prefecture."""
    from django.db.models import Q

    from .models import Certificate

    on = on or today()
    rows = Certificate.objects.select_related("holder", "workplace_prefecture").order_by("number")
    revoked = Q(revoked_on__lte=on)
    if status == "valid":
        rows = rows.valid_on(on)
    elif status == "expired":
        rows = rows.filter(valid_until__lt=on).exclude(revoked)
    elif status == "revoked":
        rows = rows.filter(revoked)
    if prefecture is not None:
        rows = rows.filter(workplace_prefecture=prefecture)
    return rows


def register_export_values(rows, on=None):
    """Rows in the import's column order (an export can be imported again unchanged)."""
    on = on or today()
    for c in rows.iterator(chunk_size=2000):
        holder = c.holder
        yield (
            c.number,
            holder.last_name,
            holder.first_name,
            holder.family_name_kana,
            holder.given_name_kana,
            holder.family_name_romaji,
            holder.given_name_romaji,
            holder.email,
            c.issued_on.isoformat(),
            c.workplace,
            c.workplace_prefecture.name_ja if c.workplace_prefecture else "",
            "revoked" if c.revoked_on else "valid",
            c.revoked_on.isoformat() if c.revoked_on else "",
            c.revocation_reason,
            c.valid_until.isoformat(),
            str(c.status(on).value),
        )
