"""Writes with side effects for accounts and certification. Every change is audited."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import audit

from . import events, roles
from .models import (
    Certificate,
    Disqualification,
    DisqualificationGround,
    User,
)


@transaction.atomic
def certificate_issue(
    *,
    holder: User,
    number: str,
    issued_on: datetime.date,
    renews: Certificate | None = None,
    workplace: str = "",
    workplace_prefecture=None,
    actor: User | None = None,
) -> Certificate:
    """Put a certificate on the register for ``holder``; validity is derived from ``issued_on``."""
    certificate = Certificate(
        holder=holder,
        number=number,
        issued_on=issued_on,
        renews=renews,
        workplace=workplace,
        workplace_prefecture=workplace_prefecture,
    )
    certificate.full_clean()
    certificate.save()
    # A holder on the register takes the Coordinator role (staff keep theirs as well).
    holder.groups.add(Group.objects.get(name=roles.COORDINATOR))
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


@transaction.atomic
def certificate_renew(
    *,
    previous: Certificate,
    number: str,
    completed_on: datetime.date,
    actor: User | None = None,
) -> Certificate:
    """Record completion of renewal training: a new certificate linked to ``previous``."""
    previous = Certificate.objects.select_for_update().get(pk=previous.pk)
    if hasattr(previous, "renewed_by"):
        raise ValidationError(
            {
                "number": _(
                    "Certificate %(number)s has already been renewed. / "
                    "認定証 %(number)s はすでに更新されています。"
                )
                % {"number": previous.number}
            }
        )
    if previous.revoked_on:
        raise ValidationError(
            {
                "number": _(
                    "A revoked certificate cannot be renewed. / "
                    "取り消された認定証は更新できません。"
                )
            }
        )
    certificate = certificate_issue(
        holder=previous.holder,
        number=number,
        issued_on=completed_on,
        renews=previous,
        workplace=previous.workplace,
        workplace_prefecture=previous.workplace_prefecture,
        actor=actor,
    )
    audit.audit(
        previous,
        audit.CERTIFICATE_RENEW,
        user=actor,
        data={"renewed_by": certificate.number, "completed_on": completed_on.isoformat()},
    )
    return certificate


@transaction.atomic
def certificate_revoke(
    *,
    certificate: Certificate,
    revoked_on: datetime.date,
    reason: str,
    actor: User | None = None,
) -> Certificate:
    """Revoke a certificate. The holder loses member access from ``revoked_on`` and is barred
    from certification for two years from that day."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate.revoked_on = revoked_on
    certificate.revocation_reason = reason.strip()
    certificate.full_clean()
    certificate.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    Disqualification.objects.update_or_create(
        certificate=certificate,
        ground=DisqualificationGround.RESCISSION,
        defaults={
            "holder": certificate.holder,
            "occurred_on": revoked_on,
            "note": certificate.revocation_reason,
            "recorded_by": actor,
        },
    )
    audit.audit(
        certificate,
        audit.CERTIFICATE_REVOKE,
        user=actor,
        data={"revoked_on": revoked_on.isoformat(), "reason": certificate.revocation_reason},
    )
    # Now (listings drop the holder at once) and again after commit (nothing stale is kept by a
    # request that read the old state in between).
    certification_changed(certificate.holder)
    transaction.on_commit(lambda: certification_changed(certificate.holder))
    return certificate


@transaction.atomic
def disqualification_record(
    *,
    holder: User,
    ground: str,
    occurred_on: datetime.date,
    note: str = "",
    actor: User | None = None,
) -> Disqualification:
    disqualification = Disqualification(
        holder=holder, ground=ground, occurred_on=occurred_on, note=note, recorded_by=actor
    )
    disqualification.full_clean(exclude=["barred_until"])
    disqualification.save()
    audit.audit(
        holder,
        audit.DISQUALIFICATION_RECORD,
        user=actor,
        data={
            "ground": ground,
            "occurred_on": occurred_on.isoformat(),
            "barred_until": disqualification.barred_until.isoformat(),
        },
    )
    return disqualification


def certification_changed(holder: User) -> None:
    """Tell the apps that depend on a holder's certification (directory, search, caches).

    The gate reads certificates on every request, so member access changes at once without it.
    """
    events.certification_changed.send(sender=User, holder=holder)


def user_set_language(user: User, language: str) -> bool:
    """Remember ``language`` on the user's profile; returns whether it changed."""
    if language not in User.Language.values or user.preferred_language == language:
        return False
    previous = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit.audit(user, audit.LANGUAGE_CHANGE, user=user, data={"from": previous, "to": language})
    return True


def verification_name_set(user: User, show: bool) -> None:
    if user.show_name_on_verification == show:
        return
    user.show_name_on_verification = show
    user.save(update_fields=["show_name_on_verification"])
    audit.audit(user, audit.VERIFICATION_NAME, user=user, data={"show_name": show})


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
    return {"ip": request.META.get("REMOTE_ADDR", ""), "path": request.path}
