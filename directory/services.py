"""Writes for the directory: consent, profile, contact relay, view counting. All audited."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal import audit
from portal.accounts.models import User, today

from . import selectors
from .forms import PartnerSuggestionForm
from .models import (
    Consent,
    CoordinatorProfile,
    DetailViewCount,
    OptionalField,
    Partner,
    RelayMessage,
    Scope,
)

CONSENT_GRANT = "directory.consent_grant"
CONSENT_WITHDRAW = "directory.consent_withdraw"
PROFILE_EXPORT = "directory.profile_export"
RELAY_SEND = "directory.relay_send"
VIEW_CAP = "directory.view_cap"


def profile_reindex(user: User) -> None:
    """Add the profile to the search index if it is listed, remove it otherwise."""
    profile = CoordinatorProfile.objects.filter(user=user).first()
    if profile is None:
        return
    # insert_or_update_object adds only what get_indexed_objects() (the listed profiles) holds.
    if CoordinatorProfile.get_indexed_objects().filter(pk=profile.pk).exists():
        index.insert_or_update_object(profile)
    else:
        index.remove_object(profile)


def listings_changed() -> None:
    """Invalidate every cached listing (the next request recomputes from the database)."""
    try:
        cache.incr(selectors.LISTING_VERSION_KEY)
    except ValueError:
        cache.set(selectors.LISTING_VERSION_KEY, 2, timeout=None)


def _check_scope(scope: str) -> None:
    if scope not in Scope.values:
        raise ValueError(f"unknown consent scope {scope!r}")


@transaction.atomic
def consent_grant(user: User, scope: str, fields=()) -> Consent:
    """Record consent to be listed in ``scope`` showing the optional ``fields`` too."""
    _check_scope(scope)
    unknown = set(fields) - set(OptionalField.values)
    if unknown:
        raise ValidationError(
            _("Unknown profile fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    CoordinatorProfile.objects.get_or_create(user=user)
    Consent.objects.filter(user=user, scope=scope, is_current=True).update(is_current=False)
    consent = Consent.objects.create(
        user=user,
        scope=scope,
        policy_version=selectors.current_policy_version(),
        granted_at=timezone.now(),
        **{f"show_{name}": name in fields for name in OptionalField.values},
    )
    transaction.on_commit(listings_changed)
    listings_changed()
    profile_reindex(user)
    audit.audit(
        user,
        CONSENT_GRANT,
        user=user,
        data={"scope": scope, "fields": consent.fields, "policy_version": consent.policy_version},
    )
    return consent


@transaction.atomic
def consent_withdraw(user: User, scope: str) -> Consent | None:
    """Withdraw consent for ``scope``: the profile leaves that listing at once."""
    _check_scope(scope)
    latest = selectors.latest_consent(user, scope)
    if latest is None or latest.withdrawn_at is not None:
        return None
    Consent.objects.filter(user=user, scope=scope, is_current=True).update(is_current=False)
    consent = Consent.objects.create(
        user=user,
        scope=scope,
        policy_version=latest.policy_version,
        withdrawn_at=timezone.now(),
    )
    transaction.on_commit(listings_changed)
    listings_changed()
    profile_reindex(user)
    audit.audit(user, CONSENT_WITHDRAW, user=user, data={"scope": scope})
    return consent


def profile_export(user: User) -> dict:
    """Everything the portal keeps about ``user`` in the directory, for the user themself."""
    data = selectors.own_data(user)
    audit.audit(user, PROFILE_EXPORT, user=user, data={"sections": sorted(data)})
    return data


def detail_view_allowed(viewer: User, on: datetime.date | None = None) -> bool:
    """Count one profile page for ``viewer`` today; False once past the daily cap."""
    if viewer.is_superuser:
        return True
    on = on or today()
    counter, _ = DetailViewCount.objects.get_or_create(viewer=viewer, day=on)
    DetailViewCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    counter.refresh_from_db()
    if counter.count <= settings.PORTAL_DIRECTORY_DAILY_VIEWS:
        return True
    if not counter.alerted:
        DetailViewCount.objects.filter(pk=counter.pk).update(alerted=True)
        audit.audit(
            viewer,
            VIEW_CAP,
            user=viewer,
            data={"day": on.isoformat(), "limit": settings.PORTAL_DIRECTORY_DAILY_VIEWS},
        )
    return False


def relay_allowed(sender: User) -> bool:
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = RelayMessage.objects.filter(sender=sender, sent_at__gte=since).count()
    return recent < settings.PORTAL_RELAY_PER_HOUR


@transaction.atomic
def relay_send(sender: User, profile: CoordinatorProfile, subject: str, body: str) -> RelayMessage:
    """E-mail ``profile``'s holder for ``sender`` without showing the holder's address."""
    if sender.pk == profile.user_id:
        raise PermissionDenied
    if not relay_allowed(sender):
        raise ValidationError(
            _("You have sent the most messages allowed in one hour. Please try again later.")
        )
    recipient = profile.user
    context = {"sender": sender, "recipient": recipient, "subject": subject, "body": body}
    with translation.override(recipient.preferred_language):
        text = render_to_string("directory/email/relay.txt", context)
        full_subject = render_to_string("directory/email/relay_subject.txt", context).strip()
    message = RelayMessage.objects.create(sender=sender, recipient=profile)
    address = profile.contact_email or recipient.email
    email = EmailMessage(
        full_subject, text, to=[address], reply_to=[sender.email] if sender.email else None
    )
    transaction.on_commit(email.send)
    audit.audit(sender, RELAY_SEND, user=sender, data={"to_profile": profile.pk})
    return message


PROFILE_UPDATE = "directory.profile_update"


@transaction.atomic
def profile_update(user: User, form, languages) -> CoordinatorProfile:
    """Save the profile form, its fields of consultation and its language formset."""
    from .models import ProfileField, ProfileLanguage

    profile = form.save(commit=False)
    profile.user = user
    profile.save()
    form.save_m2m()
    chosen = list(form.cleaned_data.get("fields_of_consultation") or [])
    main = {f.pk for f in form.cleaned_data.get("main_fields") or []}
    ProfileField.objects.filter(profile=profile).exclude(field__in=chosen).delete()
    for field in chosen:
        ProfileField.objects.update_or_create(
            profile=profile, field=field, defaults={"is_main": field.pk in main}
        )
    # The formset lists every language the member keeps: update in place, so sending the same
    # page twice changes nothing the second time.
    kept = {}
    for row in languages.cleaned_data:
        if row and not row.get("DELETE") and row.get("language"):
            kept[row["language"].pk] = row["level"]
    ProfileLanguage.objects.filter(profile=profile).exclude(language_id__in=kept).delete()
    for language_id, level in kept.items():
        ProfileLanguage.objects.update_or_create(
            profile=profile, language_id=language_id, defaults={"level": level}
        )
    transaction.on_commit(listings_changed)
    listings_changed()
    profile_reindex(user)
    audit.audit(user, PROFILE_UPDATE, user=user, data={})
    return profile


# Partners ----------------------------------------------------------------------------------------

PARTNER_SUGGEST = "directory.partner_suggest"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "partner"
    slug, n = base, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def partner_suggest(user, form: PartnerSuggestionForm) -> Partner:
    """Save a suggestion as a draft revision and submit it for review. Raises ValidationError
    when a suggestion for the same partner is already under review."""
    partner = form.instance
    is_new = partner.pk is None
    if not is_new and partner.workflow_in_progress:
        raise ValidationError(
            _("A change to this partner is already under review. Please try again later.")
        )
    if is_new:
        partner = form.save(commit=False)
        partner.slug = _unique_slug(partner.name_en or partner.kind)
        partner.live = False
        partner.suggested_by = user
        partner.save()
        form.save_m2m()
    else:
        partner = form.save(commit=False)  # the live row is not saved: only a draft revision
        for name in ("fields", "prefectures", "languages"):
            getattr(partner, name).set(form.cleaned_data[name])
    revision = partner.save_revision(user=user, log_action=True)
    workflow = partner.get_workflow()
    workflow.start(partner, user)
    audit.audit(
        partner,
        PARTNER_SUGGEST,
        user=user,
        data={"new": is_new, "revision": revision.pk},
    )
    return partner
