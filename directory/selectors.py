"""Reads for the directory. Every list, count and card comes from profiles the viewer may see."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Site

from portal.accounts.gate import Access, member_access
from portal.accounts.models import Certificate, CertificateStatus, User, today
from portal.home.models import SiteSettings
from portal.taxonomy.models import Field, Prefecture, Qualification

from .models import (
    Consent,
    CoordinatorProfile,
    OptionalField,
    Partner,
    PartnerKind,
    ProfileField,
    ProfileLanguage,
    Scope,
    search_key,
)

MAX_PAGE_SIZE = 50


POLICY_VERSION_KEY = "directory:policy-version"


def current_policy_version() -> int:
    """The consent policy version of the default site's settings (cached; saving the settings or
    a site forgets it, see ``signals.py``)."""
    version = cache.get(POLICY_VERSION_KEY)
    if version is None:
        site = Site.objects.filter(is_default_site=True).first()
        version = SiteSettings.for_site(site).consent_policy_version if site else 1
        cache.set(POLICY_VERSION_KEY, version, timeout=None)
    return version


def policy_changed() -> None:
    cache.delete(POLICY_VERSION_KEY)


def latest_consent(user: User, scope: str) -> Consent | None:
    return Consent.objects.filter(user=user, scope=scope).order_by("-created_at", "-pk").first()


def scope_for(viewer) -> str:
    """Members and staff see the members' directory; everyone else the public list."""
    return Scope.DIRECTORY if member_access(viewer) is Access.ADMIT else Scope.PUBLIC


def visible_profiles(scope: str, on: datetime.date | None = None):
    """Profiles listed in ``scope`` today: latest consent granted for the current policy version,
    holder active with a valid certificate. Each row carries its consented optional fields."""
    on = on or today()
    valid_certificate = Certificate.objects.valid_on(on).filter(holder=OuterRef("user"))
    consent = "user__directory_consents__"
    return (
        CoordinatorProfile.objects.filter(
            **{
                f"{consent}scope": scope,
                f"{consent}is_current": True,
                f"{consent}withdrawn_at__isnull": True,
                f"{consent}granted_at__isnull": False,
                f"{consent}policy_version": current_policy_version(),
            },
            user__is_active=True,
        )
        .annotate(
            show_contact=F(f"{consent}show_contact"),
            show_workplace=F(f"{consent}show_workplace"),
            show_photo=F(f"{consent}show_photo"),
            show_bio=F(f"{consent}show_bio"),
        )
        .filter(Exists(valid_certificate))
    )


@dataclass
class DirectoryFilters:
    q: str = ""
    # Taxonomy row ids (the filter form cleans to ids; see portal.taxonomy.forms).
    prefecture: int | None = None
    field: int | None = None
    language: int | None = None
    qualification: int | None = None
    workplace_type: str = ""
    sort: str = "name"


def apply_filters(profiles, filters: DirectoryFilters):
    for term in search_key(filters.q).split():
        profiles = profiles.filter(search_name__contains=term)
    # Exists() rather than joins: no duplicate rows, so no DISTINCT over the whole result.
    if filters.prefecture:
        through = CoordinatorProfile.prefectures.through.objects
        profiles = profiles.filter(
            Exists(
                through.filter(coordinatorprofile=OuterRef("pk"), prefecture_id=filters.prefecture)
            )
        )
    if filters.field:
        profiles = profiles.filter(
            Exists(ProfileField.objects.filter(profile=OuterRef("pk"), field_id=filters.field))
        )
    if filters.language:
        profiles = profiles.filter(
            Exists(
                ProfileLanguage.objects.filter(profile=OuterRef("pk"), language_id=filters.language)
            )
        )
    if filters.qualification:
        through = CoordinatorProfile.qualifications.through.objects
        profiles = profiles.filter(
            Exists(
                through.filter(
                    coordinatorprofile=OuterRef("pk"), qualification_id=filters.qualification
                )
            )
        )
    if filters.workplace_type:
        # Only among profiles that show their workplace: a hidden value is never matched.
        profiles = profiles.filter(show_workplace=True, workplace_type=filters.workplace_type)
    order = ("-updated_at", "pk") if filters.sort == "recent" else ("search_name", "pk")
    return profiles.order_by(*order)


def with_card_data(profiles):
    return profiles.select_related("user", "workplace_prefecture").prefetch_related(
        Prefetch("prefectures", queryset=Prefecture.objects.order_by("number")),
        Prefetch(
            "profilefield_set",
            queryset=ProfileField.objects.select_related("field").order_by(
                "-is_main", "field__order"
            ),
        ),
        Prefetch(
            "profilelanguage_set",
            queryset=ProfileLanguage.objects.select_related("language").order_by("language__order"),
        ),
        Prefetch("qualifications", queryset=Qualification.objects.order_by("order")),
    )


def facets(ids: list[int], shows_workplace: list[int]) -> dict:
    """Counts per filter value, over the given visible and filtered profile ids only."""
    prefecture_counts = dict(
        CoordinatorProfile.prefectures.through.objects.filter(coordinatorprofile_id__in=ids)
        .values_list("prefecture_id")
        .annotate(n=Count("coordinatorprofile_id", distinct=True))
    )
    field_counts = dict(
        ProfileField.objects.filter(profile_id__in=ids)
        .values_list("field_id")
        .annotate(n=Count("profile_id", distinct=True))
    )
    language_counts = dict(
        ProfileLanguage.objects.filter(profile_id__in=ids)
        .values_list("language_id")
        .annotate(n=Count("profile_id", distinct=True))
    )
    qualification_counts = dict(
        CoordinatorProfile.qualifications.through.objects.filter(coordinatorprofile_id__in=ids)
        .values_list("qualification_id")
        .annotate(n=Count("coordinatorprofile_id", distinct=True))
    )
    workplace_counts = dict(
        CoordinatorProfile.objects.filter(pk__in=shows_workplace)
        .exclude(workplace_type="")
        .values_list("workplace_type")
        .annotate(n=Count("pk"))
    )
    return {
        "prefecture": prefecture_counts,
        "field": field_counts,
        "language": language_counts,
        "qualification": qualification_counts,
        "workplace_type": workplace_counts,
    }


@dataclass
class Card:
    """What one viewer may see of one profile: templates render this and nothing else."""

    pk: int
    name: str
    name_kana: str
    name_romaji: str
    prefectures: list = field(default_factory=list)
    municipalities: str = ""
    wide_area_ok: bool = False
    fields: list = field(default_factory=list)  # (name, is_main)
    languages: list = field(default_factory=list)  # (name, level label)
    qualifications: list = field(default_factory=list)
    workplace: dict | None = None
    contact: dict | None = None
    photo_url: str = ""
    bio: str = ""


def card(profile: CoordinatorProfile, shown: set[str], photo_url_name: str = "") -> Card:
    """``photo_url_name`` names the view that serves the photo in this context (it checks
    consent again); without it no photo is shown."""
    user = profile.user
    english = translation.get_language() == "en"
    result = Card(
        pk=profile.pk,
        name=user.get_full_name(),
        name_kana=user.name_kana,
        name_romaji=user.name_romaji,
        prefectures=[p.name for p in profile.prefectures.all()],
        municipalities=profile.municipalities,
        wide_area_ok=profile.wide_area_ok,
        fields=[(pf.field.name, pf.is_main) for pf in profile.profilefield_set.all()],
        languages=[
            (pl.language.name, pl.get_level_display()) for pl in profile.profilelanguage_set.all()
        ],
        qualifications=[q.name for q in profile.qualifications.all()],
    )
    if OptionalField.WORKPLACE in shown and profile.workplace_name:
        result.workplace = {
            "name": profile.workplace_name,
            "type": profile.get_workplace_type_display() if profile.workplace_type else "",
            "prefecture": profile.workplace_prefecture.name if profile.workplace_prefecture else "",
        }
    if OptionalField.CONTACT in shown:
        result.contact = {
            "email": profile.contact_email,
            "phone": profile.contact_phone,
            "preferred": profile.get_preferred_contact_display(),
        }
    if OptionalField.PHOTO in shown and profile.photo and photo_url_name:
        args = [] if photo_url_name == "profile_photo" else [profile.pk]
        result.photo_url = reverse(photo_url_name, args=args)
    if OptionalField.BIO in shown:
        result.bio = (
            (profile.bio_en or profile.bio_ja) if english else (profile.bio_ja or profile.bio_en)
        )
    return result


def photo_of(scope: str, pk: int) -> CoordinatorProfile | None:
    """The profile whose photo may be shown in ``scope`` (listed, consented, present)."""
    profile = visible_profiles(scope).filter(pk=pk, show_photo=True).exclude(photo="").first()
    return profile


def shown_fields(profile) -> set[str]:
    """Optional fields consented for the scope ``profile`` was selected in."""
    return {name for name in OptionalField.values if getattr(profile, f"show_{name}", False)}


LISTING_VERSION_KEY = "directory:listing-version"
LISTING_TTL = 300


def listing_version() -> int:
    """Bumped by every change that can alter a listing (consent, profile, certification)."""
    version = cache.get(LISTING_VERSION_KEY)
    if version is None:
        cache.add(LISTING_VERSION_KEY, 1, timeout=None)
        version = cache.get(LISTING_VERSION_KEY, 1)
    return version


def _listing_key(scope: str, filters: DirectoryFilters) -> str:
    """Cache key of one listing: scope, filters, day, policy version and listing version."""
    material = (
        scope,
        filters.q,
        filters.prefecture,
        filters.field,
        filters.language,
        filters.qualification,
        filters.workplace_type,
        filters.sort,
        today().isoformat(),
        current_policy_version(),
        listing_version(),
    )
    return hashlib.sha256(repr(material).encode()).hexdigest()


def _listing_rows(key: str, scope: str, filters: DirectoryFilters) -> list[tuple]:
    """(pk, show_contact, show_workplace, show_photo, show_bio) of the visible, filtered
    profiles, in order. Cached under ``key``: any consent, profile or certification change bumps
    the listing version in it, so a withdrawal is never served from the cache."""
    rows = cache.get("directory:rows:" + key)
    if rows is None:
        rows = list(
            apply_filters(visible_profiles(scope), filters).values_list(
                "pk", "show_contact", "show_workplace", "show_photo", "show_bio"
            )
        )
        cache.set("directory:rows:" + key, rows, LISTING_TTL)
    return rows


def directory_page(viewer, scope: str, filters: DirectoryFilters):
    """(rows of the visible, filtered profiles; facet counts over exactly those rows).

    One query (or the cache) gives the matching rows with their consented optional fields;
    counts and pages work from that list, so the number of queries does not grow with the data."""
    key = _listing_key(scope, filters)
    rows = _listing_rows(key, scope, filters)
    counts = cache.get("directory:facets:" + key)
    if counts is None:
        ids = [row[0] for row in rows]
        counts = facets(ids, [row[0] for row in rows if row[2]])
        cache.set("directory:facets:" + key, counts, LISTING_TTL)
    return rows, counts


def profiles_for_page(rows) -> list[CoordinatorProfile]:
    """The profiles of one page, in order, each carrying the optional fields its row allows."""
    by_pk = {
        p.pk: p
        for p in with_card_data(CoordinatorProfile.objects.filter(pk__in=[r[0] for r in rows]))
    }
    profiles = []
    for pk, *flags in rows:
        profile = by_pk.get(pk)
        if profile is not None:
            profile.show_contact, profile.show_workplace, profile.show_photo, profile.show_bio = (
                flags
            )
            profiles.append(profile)
    return profiles


def visible_profile(scope: str, pk: int) -> CoordinatorProfile | None:
    return with_card_data(visible_profiles(scope).filter(pk=pk)).first()


def preview_cards(user: User) -> dict[str, Card | None]:
    """How the user's profile looks in each scope with their current consent (None: not listed)."""
    profile = CoordinatorProfile.objects.filter(user=user).first()
    certified = user.certificate_status() == CertificateStatus.VALID
    cards = {}
    for scope in Scope.values:
        consent = latest_consent(user, scope)
        listed = (
            certified
            and profile is not None
            and consent is not None
            and consent.withdrawn_at is None
            and consent.policy_version == current_policy_version()
        )
        cards[scope] = (
            card(
                with_card_data(CoordinatorProfile.objects.filter(pk=profile.pk)).get(),
                set(consent.fields),
                "profile_photo",
            )
            if listed
            else None
        )
    return cards


def own_data(user: User) -> dict:
    profile = CoordinatorProfile.objects.filter(user=user).first()
    data = {
        "account": {
            "username": user.username,
            "email": user.email,
            "family_name": user.last_name,
            "given_name": user.first_name,
            "family_name_kana": user.family_name_kana,
            "given_name_kana": user.given_name_kana,
            "family_name_romaji": user.family_name_romaji,
            "given_name_romaji": user.given_name_romaji,
            "preferred_language": user.preferred_language,
        },
        "certificates": [
            {
                "number": c.number,
                "issued_on": c.issued_on.isoformat(),
                "valid_until": c.valid_until.isoformat(),
                "revoked_on": c.revoked_on.isoformat() if c.revoked_on else None,
                "status": str(c.status().value),
            }
            for c in user.certificates.order_by("issued_on")
        ],
        "consents": [
            {
                "scope": c.scope,
                "granted_at": c.granted_at.isoformat() if c.granted_at else None,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "fields": c.fields,
                "policy_version": c.policy_version,
            }
            for c in Consent.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "profile": None,
    }
    if profile is not None:
        data["profile"] = {
            "areas_of_activity": list(profile.prefectures.values_list("code", flat=True)),
            "municipalities": profile.municipalities,
            "wide_area_ok": profile.wide_area_ok,
            "fields": [
                {"field": pf.field.slug, "main": pf.is_main}
                for pf in profile.profilefield_set.select_related("field")
            ],
            "languages": [
                {"language": pl.language.code, "level": pl.level}
                for pl in profile.profilelanguage_set.select_related("language")
            ],
            "qualifications": list(profile.qualifications.values_list("slug", flat=True)),
            "workplace": {
                "name": profile.workplace_name,
                "type": profile.workplace_type,
                "prefecture": profile.workplace_prefecture.code
                if profile.workplace_prefecture
                else None,
            },
            "contact": {
                "email": profile.contact_email,
                "phone": profile.contact_phone,
                "preferred": profile.preferred_contact,
            },
            "bio_ja": profile.bio_ja,
            "bio_en": profile.bio_en,
        }
    # Other features add what they hold about the user: ``fn(user, data)`` adds keys to ``data``.
    for fn in hooks.get_hooks("construct_own_data"):
        fn(user, data)
    return data


# Partners ----------------------------------------------------------------------------------------


def live_partners(prefecture=None, language=None, level=""):
    partners = Partner.objects.filter(live=True)
    if prefecture is not None:
        partners = partners.filter(Q(nationwide=True) | Q(prefectures=prefecture))
    if language is not None:
        partners = partners.filter(languages=language)
    if level:
        partners = partners.filter(level=level)
    return partners.distinct()


PER_FIELD = 10
PAGE_SIZE = 50


@dataclass(frozen=True)
class PartnerRow:
    """What a partner list shows of one partner, worked out once in Python (templates only
    print it: per-row template lookups were the slowest part of the page)."""

    url: str
    name: str
    kind: str
    area: str


def partner_rows(partners) -> list[PartnerRow]:
    """Rows for ``partners`` (prefectures prefetched). Labels and the URL pattern are worked out
    once for the whole list: Django's per-object ``get_kind_display()`` and ``reverse()`` cost
    more than everything else on a page of 200 partners."""
    nationwide = _("nationwide")
    kinds = {value: str(label) for value, label in PartnerKind.choices}
    url = reverse("partners:detail", args=["0"])[: -len("0/")] + "{}/"
    return [
        PartnerRow(
            url=url.format(partner.slug),
            name=partner.name,
            kind=kinds.get(partner.kind, partner.kind),
            area=nationwide
            if partner.nationwide
            else "、".join(p.name for p in partner.prefectures.all()),
        )
        for partner in partners
    ]


def partners_by_field(partners, per_field: int = PER_FIELD):
    """[(field, first partners, how many in all), …] for every field in order, and the total.

    A constant number of queries whatever the number of partners: the field links of the
    matching partners are read as ids, and only the partners shown are loaded."""
    links = list(
        Partner.fields.through.objects.filter(partner__in=partners.order_by().values("pk"))
        .order_by("partner__name_ja", "partner_id")
        .values_list("field_id", "partner_id")
    )
    shown: dict[int, list[int]] = {}
    counts: dict[int, int] = {}
    for field_id, partner_id in links:
        counts[field_id] = counts.get(field_id, 0) + 1
        if len(shown.setdefault(field_id, [])) < per_field:
            shown[field_id].append(partner_id)
    wanted = {pk for ids in shown.values() for pk in ids}
    loaded = list(
        Partner.objects.filter(pk__in=wanted).prefetch_related(
            Prefetch("prefectures", queryset=Prefecture.objects.order_by("number"))
        )
    )
    by_pk = dict(zip((partner.pk for partner in loaded), partner_rows(loaded), strict=True))
    groups = [
        (
            FieldHeading(field.slug, field.name),
            [by_pk[pk] for pk in shown.get(field.pk, [])],
            counts.get(field.pk, 0),
        )
        for field in Field.objects.order_by("order")
    ]
    total = len({partner_id for _, partner_id in links})
    return groups, total


@dataclass(frozen=True)
class FieldHeading:
    slug: str
    name: str


PARTNERS_VERSION_KEY = "partners:version"


def partners_version() -> int:
    """Bumped whenever a partner or the vocabulary changes (see ``signals.py``)."""
    version = cache.get(PARTNERS_VERSION_KEY)
    if version is None:
        cache.add(PARTNERS_VERSION_KEY, 1, timeout=None)
        version = cache.get(PARTNERS_VERSION_KEY, 1)
    return version


def partners_changed() -> None:
    try:
        cache.incr(PARTNERS_VERSION_KEY)
    except ValueError:
        cache.set(PARTNERS_VERSION_KEY, 2, timeout=None)


def partner_groups(prefecture: int | None = None, language: int | None = None, level: str = ""):
    """``partners_by_field`` of the live partners matching the filters, cached per filter set and
    language until a partner or the vocabulary changes (partners are public organisations, and
    the list is the same for every member)."""
    key = (
        f"partners:groups:{partners_version()}:{translation.get_language()}:"
        f"{prefecture}:{language}:{level}"
    )
    result = cache.get(key)
    if result is None:
        result = partners_by_field(live_partners(prefecture, language, level))
        cache.set(key, result, LISTING_TTL)
    return result
