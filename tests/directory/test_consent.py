"""Who sees which part of a coordinator's profile: consent per scope and optional part, withdrawal,
certificate expiry and revocation, policy versions, and the demo data.

The helpers at the top (``build_listed``, ``browser``, ``card_marker`` …) are shared with the other
modules of this package.
"""

import datetime
import io
import itertools
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from directory import selectors, services
from directory.models import (
    Consent,
    CoordinatorProfile,
    ProfileField,
    ProfileLanguage,
    WorkplaceType,
)
from portal.accounts import roles
from portal.accounts import services as account_services
from portal.accounts.models import CertificateStatus, User, today
from portal.home.models import SiteSettings
from portal.taxonomy.models import Field, Language, Prefecture

pytestmark = pytest.mark.django_db


# Distinctive values of the optional parts: they must appear only where consented.
WORKPLACE = "秘密の職場"
CONTACT = "hidden-contact@example.jp"
PHONE = "099-555-0123"
BIO = "秘密の自己紹介"
SECRETS = {"workplace": [WORKPLACE], "contact": [CONTACT, PHONE], "bio": [BIO]}
OPTIONAL = ("contact", "workplace", "bio")
SUBSETS = [
    frozenset(combo) for size in range(4) for combo in itertools.combinations(OPTIONAL, size)
]
NAME = "山田 花子"


# Shared helpers -------------------------------------------------------------------------------


def build_listed(
    make_user,
    issue_certificate,
    username,
    *,
    consents=None,
    names=("山田", "花子", "やまだ", "はなこ", "Yamada", "Hanako"),
    prefecture="JP-13",
    field=None,
    language=None,
    workplace_type=WorkplaceType.NPO,
    workplace_name=WORKPLACE,
    contact_email=CONTACT,
    contact_phone=PHONE,
    bio_ja=BIO,
    issued_on=None,
    certificate=True,
):
    """A coordinator with a valid certificate, a full profile and consent given via services.

    ``consents`` maps a scope to the optional parts shown there ({} or None: no consent).
    """
    last, first, last_kana, first_kana, last_romaji, first_romaji = names
    user = make_user(
        username,
        roles.COORDINATOR,
        last_name=last,
        first_name=first,
        family_name_kana=last_kana,
        given_name_kana=first_kana,
        family_name_romaji=last_romaji,
        given_name_romaji=first_romaji,
    )
    if certificate:
        issue_certificate(user, issued_on or today() - datetime.timedelta(days=30))
    home = Prefecture.objects.get(code=prefecture)
    profile = CoordinatorProfile.objects.create(
        user=user,
        workplace_name=workplace_name,
        workplace_type=workplace_type,
        workplace_prefecture=home,
        contact_email=contact_email,
        contact_phone=contact_phone,
        preferred_contact="email",
        bio_ja=bio_ja,
    )
    profile.prefectures.add(home)
    ProfileField.objects.create(
        profile=profile, field=field or Field.objects.order_by("order").first(), is_main=True
    )
    ProfileLanguage.objects.create(
        profile=profile,
        language=language or Language.objects.order_by("order").first(),
        level="business",
    )
    for scope, shown in (consents or {}).items():
        services.consent_grant(user, scope, list(shown))
    return profile


def browser(user=None, language=None):
    """A separate test client (so several people can look at once), optionally signed in."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["portal_language"] = language
    return client


def card_marker(profile) -> str:
    return f'id="profile-{profile.pk}-name"'


def text(response) -> str:
    return response.content.decode()


def assert_shows_exactly(content, profile, shown):
    """The profile's card is on the page with exactly the ``shown`` optional parts."""
    assert card_marker(profile) in content
    for part, values in SECRETS.items():
        for value in values:
            if part in shown:
                assert value in content, f"{part} consented but {value!r} missing"
            else:
                assert value not in content, f"{part} not consented but {value!r} shown"
        assert (f'data-part="{part}"' in content) == (part in shown)
    # The account's own e-mail address is never part of a card.
    assert profile.user.email not in content


def assert_absent(content, profile):
    assert card_marker(profile) not in content
    for values in SECRETS.values():
        for value in values:
            assert value not in content


def ticked(content, name, value=None) -> bool:
    """Whether the checkbox ``name`` (with ``value``) is rendered ticked; it must be on the page."""
    tags = [
        tag
        for tag in re.findall(r"<input\b[^>]*>", content)
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag)
    ]
    assert len(tags) == 1, f"checkbox {name}={value} not found once"
    return re.search(r"\schecked(\s|>|=)", tags[0]) is not None


def set_policy_version(version: int) -> None:
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.consent_policy_version = version
    site_settings.save()


# 1. The consent matrix ---------------------------------------------------------------------------


def _subset_id(shown):
    return "+".join(sorted(shown)) or "nothing"


@pytest.mark.parametrize("shown", SUBSETS, ids=_subset_id)
def test_directory_consent_shows_members_and_staff_exactly_the_chosen_parts(
    listed, coordinator, editor, shown
):
    profile = listed(consents={"directory": shown})
    member, staff, public = browser(coordinator), browser(editor), browser()

    detail = member.get(f"/directory/{profile.pk}/")
    assert detail.status_code == 200
    assert NAME in text(detail)
    assert_shows_exactly(text(detail), profile, shown)

    listing = member.get("/directory/")
    assert listing.status_code == 200
    assert_shows_exactly(text(listing), profile, shown)

    staff_detail = staff.get(f"/directory/{profile.pk}/")
    assert staff_detail.status_code == 200
    assert_shows_exactly(text(staff_detail), profile, shown)

    staff_listing = staff.get("/directory/")
    assert_shows_exactly(text(staff_listing), profile, shown)

    # Consent to the members' directory says nothing about the public list.
    for viewer in (public, member):
        public_list = viewer.get("/coordinators/")
        assert public_list.status_code == 200
        assert NAME not in text(public_list)
        assert_absent(text(public_list), profile)


@pytest.mark.parametrize("shown", SUBSETS, ids=_subset_id)
def test_public_consent_shows_everyone_exactly_the_chosen_parts(listed, coordinator, editor, shown):
    profile = listed(consents={"public": shown})
    member, staff, public = browser(coordinator), browser(editor), browser()

    for viewer in (public, member):
        public_list = viewer.get("/coordinators/")
        assert public_list.status_code == 200
        assert NAME in text(public_list)
        assert_shows_exactly(text(public_list), profile, shown)

    # Consent to the public list does not put anyone in the members' directory.
    for viewer in (member, staff):
        listing = viewer.get("/directory/")
        assert listing.status_code == 200
        assert NAME not in text(listing)
        assert_absent(text(listing), profile)
        assert viewer.get(f"/directory/{profile.pk}/").status_code == 404


def test_each_scope_shows_its_own_choice_of_parts(listed, coordinator):
    profile = listed(consents={"directory": ["contact", "bio"], "public": ["workplace"]})
    assert_shows_exactly(
        text(browser(coordinator).get(f"/directory/{profile.pk}/")), profile, {"contact", "bio"}
    )
    assert_shows_exactly(text(browser().get("/coordinators/")), profile, {"workplace"})


def test_latest_consent_decides_the_parts_shown(listed, coordinator):
    profile = listed(consents={"directory": ["contact", "workplace", "bio"]})
    services.consent_grant(profile.user, "directory", ["bio"])
    assert_shows_exactly(
        text(browser(coordinator).get(f"/directory/{profile.pk}/")), profile, {"bio"}
    )


def test_nobody_is_listed_without_consent(listed, coordinator, editor):
    profile = listed(consents={})
    for viewer in (browser(coordinator), browser(editor)):
        assert_absent(text(viewer.get("/directory/")), profile)
        assert viewer.get(f"/directory/{profile.pk}/").status_code == 404
    assert_absent(text(browser().get("/coordinators/")), profile)


def test_consent_without_a_certificate_lists_nobody(listed, coordinator):
    profile = listed(consents={"directory": OPTIONAL, "public": OPTIONAL}, certificate=False)
    member = browser(coordinator)
    assert_absent(text(member.get("/directory/")), profile)
    assert member.get(f"/directory/{profile.pk}/").status_code == 404
    assert_absent(text(browser().get("/coordinators/")), profile)


def test_unknown_scope_or_part_is_refused(listed):
    profile = listed(consents={})
    with pytest.raises(ValueError):
        services.consent_grant(profile.user, "everyone", [])
    with pytest.raises(ValidationError):
        services.consent_grant(profile.user, "directory", ["home_address"])
    assert not Consent.objects.filter(user=profile.user).exists()


# 2. Withdrawal, expiry, revocation, new policy ----------------------------------------------


def _lapse(profile, how, commit):
    """Make ``profile`` unlisted ``how``; ``commit`` runs what happens when the change commits."""
    user = profile.user
    if how == "withdrawn":
        services.consent_withdraw(user, "directory")
        services.consent_withdraw(user, "public")
    elif how == "expired":
        # The register is corrected (certificate edited in the admin): the certificate was
        # issued in 2019, so its validity ended on 2023-03-31.
        certificate = user.certificates.get()
        certificate.issued_on = datetime.date(2019, 6, 1)
        with commit(execute=True):
            certificate.save()
        assert user.certificate_status() == CertificateStatus.EXPIRED
    elif how == "revoked":
        with commit(execute=True):
            account_services.certificate_revoke(
                certificate=user.certificates.get(),
                revoked_on=today(),
                reason="不正な手段による取得",
            )
        assert user.certificate_status() == CertificateStatus.REVOKED
    elif how == "new-policy":
        set_policy_version(selectors.current_policy_version() + 1)
    else:  # pragma: no cover
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["withdrawn", "expired", "revoked", "new-policy"])
def test_profile_leaves_every_listing(
    listed, coordinator, editor, how, django_capture_on_commit_callbacks
):
    profile = listed(consents={"directory": OPTIONAL, "public": OPTIONAL})
    member, staff, public = browser(coordinator), browser(editor), browser()
    # Listed before …
    assert_shows_exactly(text(member.get("/directory/")), profile, set(OPTIONAL))
    assert_shows_exactly(text(public.get("/coordinators/")), profile, set(OPTIONAL))

    _lapse(profile, how, django_capture_on_commit_callbacks)

    # … and gone everywhere at once afterwards.
    for viewer in (member, staff):
        listing = viewer.get("/directory/")
        assert listing.status_code == 200
        assert_absent(text(listing), profile)
        assert NAME not in text(listing)
        assert viewer.get(f"/directory/{profile.pk}/").status_code == 404
    for viewer in (public, member):
        public_list = viewer.get("/coordinators/")
        assert_absent(text(public_list), profile)
        assert NAME not in text(public_list)
    assert not selectors.visible_profiles("directory").filter(pk=profile.pk).exists()
    assert not selectors.visible_profiles("public").filter(pk=profile.pk).exists()

    # Another member's export holds only that member's own data.
    export = member.get("/accounts/profile/export/")
    assert export.status_code == 200
    raw = text(export)
    assert json.loads(raw)["account"]["username"] == coordinator.username
    assert profile.user.username not in raw
    for values in SECRETS.values():
        for value in values:
            assert value not in raw


def test_withdrawing_one_scope_keeps_the_other(listed, coordinator):
    profile = listed(consents={"directory": ["bio"], "public": ["bio"]})
    services.consent_withdraw(profile.user, "directory")
    member = browser(coordinator)
    assert_absent(text(member.get("/directory/")), profile)
    assert member.get(f"/directory/{profile.pk}/").status_code == 404
    assert_shows_exactly(text(browser().get("/coordinators/")), profile, {"bio"})


def test_withdrawal_is_recorded_and_consent_can_be_given_again(listed, coordinator):
    profile = listed(consents={"directory": ["bio"]})
    withdrawal = services.consent_withdraw(profile.user, "directory")
    assert withdrawal is not None and withdrawal.withdrawn_at is not None
    # Withdrawing twice records nothing more.
    assert services.consent_withdraw(profile.user, "directory") is None
    assert Consent.objects.filter(user=profile.user, scope="directory").count() == 2
    services.consent_grant(profile.user, "directory", ["workplace"])
    assert_shows_exactly(
        text(browser(coordinator).get(f"/directory/{profile.pk}/")), profile, {"workplace"}
    )


def test_new_policy_version_asks_everyone_to_consent_again(listed, coordinator):
    profile = listed(consents={"directory": ["bio"], "public": ["bio"]})
    holder = browser(profile.user, language="en")
    notice = "The consent policy has changed"
    before = text(holder.get("/accounts/profile/"))
    assert notice not in before
    assert ticked(before, "consent-directory-listed")
    assert ticked(before, "consent-directory-fields", "bio")

    set_policy_version(2)

    page = holder.get("/accounts/profile/")
    assert page.status_code == 200
    assert notice in text(page)
    # The consent boxes are no longer ticked and the previews say the profile is not listed.
    assert not ticked(text(page), "consent-directory-listed")
    assert not ticked(text(page), "consent-public-listed")
    assert "You are not listed in the members&#x27; directory." in text(page) or (
        "You are not listed in the members' directory." in text(page)
    )
    member = browser(coordinator)
    assert_absent(text(member.get("/directory/")), profile)
    assert_absent(text(browser().get("/coordinators/")), profile)

    # Consenting again (to the new version) lists the profile in that scope only.
    consent = services.consent_grant(profile.user, "directory", ["bio"])
    assert consent.policy_version == 2
    assert_shows_exactly(text(member.get(f"/directory/{profile.pk}/")), profile, {"bio"})
    assert_absent(text(browser().get("/coordinators/")), profile)
    # The public consent is still outdated, so the notice stays until that one is renewed too.
    assert notice in text(holder.get("/accounts/profile/"))
    services.consent_grant(profile.user, "public", [])
    assert notice not in text(holder.get("/accounts/profile/"))
    assert_shows_exactly(text(browser().get("/coordinators/")), profile, set())


# 9. Demo data --------------------------------------------------------------------------------


def _all_pages(client, url):
    contents, page = [], 1
    while True:
        response = client.get(url, {"per_page": 50, "page": page})
        assert response.status_code == 200
        contents.append(text(response))
        if not response.context["page"].has_next():
            return "".join(contents)
        page += 1


def test_seed_demo_lists_only_consenting_holders_with_valid_certificates():
    call_command("seed_demo", stdout=io.StringIO())
    directory = set(
        selectors.visible_profiles("directory").values_list("user__username", flat=True)
    )
    public = set(selectors.visible_profiles("public").values_list("user__username", flat=True))
    assert "coordinator" in directory
    assert "coordinator" in public
    assert "coordinator2" not in directory | public
    assert CoordinatorProfile.objects.filter(user__username="coordinator2").exists()

    lapsed = [
        user
        for user in User.objects.filter(certificates__isnull=False).distinct()
        if user.certificate_status() != CertificateStatus.VALID
    ]
    assert any(user.username == "expired" for user in lapsed)
    # Some lapsed demo holders did consent: they must still not be listed.
    assert Consent.objects.filter(user__in=lapsed, withdrawn_at__isnull=True).exists()
    assert not {user.username for user in lapsed} & (directory | public)

    # The rendered lists agree with the selector.
    demo_member = User.objects.get(username="coordinator")
    members_view = _all_pages(browser(demo_member), "/directory/")
    public_view = _all_pages(browser(), "/coordinators/")
    listed_profile = CoordinatorProfile.objects.get(user__username="coordinator")
    assert card_marker(listed_profile) in members_view
    assert card_marker(listed_profile) in public_view
    hidden = CoordinatorProfile.objects.filter(user__in=lapsed) | CoordinatorProfile.objects.filter(
        user__username="coordinator2"
    )
    assert hidden.exists()
    for profile in hidden:
        assert card_marker(profile) not in members_view
        assert card_marker(profile) not in public_view
