"""The signed-in user's own profile and consent editor, the own-data export, and privacy headers."""

import datetime
import json

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory import services
from directory.models import Consent, CoordinatorProfile, ProfileField, ProfileLanguage
from portal.taxonomy.models import Field, Language, Prefecture

from .test_consent import (
    BIO,
    CONTACT,
    OPTIONAL,
    PHONE,
    WORKPLACE,
    assert_shows_exactly,
    browser,
    card_marker,
    text,
    ticked,
)

pytestmark = pytest.mark.django_db


PROFILE = "/accounts/profile/"
EXPORT = "/accounts/profile/export/"

MY_WORKPLACE = "自分の職場センター"
MY_CONTACT = "my-own-desk@example.jp"
MY_BIO = "自分の自己紹介です"


@pytest.fixture
def taxonomy():
    fields = list(Field.objects.order_by("order"))
    languages = list(Language.objects.order_by("order"))
    return {
        "tokyo": Prefecture.objects.get(code="JP-13"),
        "shizuoka": Prefecture.objects.get(code="JP-22"),
        "f1": fields[0],
        "f2": fields[1],
        "f3": fields[2],
        "l1": languages[0],
        "l2": languages[1],
    }


def profile_post(
    taxonomy,
    *,
    fields=("f1", "f2"),
    main=("f1",),
    languages=(("l1", "business"),),
    directory=None,
    public=None,
    current=None,
    **overrides,
):
    """Form data for /accounts/profile/ as the browser sends it.

    ``directory``/``public``: None (not listed) or the optional parts to show. ``current``: the
    user's saved profile, whose language rows are sent back unchanged (as the page shows them)
    before the new rows in ``languages``.
    """
    existing = list(ProfileLanguage.objects.filter(profile=current)) if current else []
    data = {
        "prefectures": [taxonomy["tokyo"].pk, taxonomy["shizuoka"].pk],
        "municipalities": "浜松市",
        "wide_area_ok": "on",
        "workplace_name": MY_WORKPLACE,
        "workplace_type": "one-stop",
        "workplace_prefecture": taxonomy["shizuoka"].pk,
        "contact_email": MY_CONTACT,
        "contact_phone": "053-000-1111",
        "preferred_contact": "relay",
        "bio_ja": MY_BIO,
        "bio_en": "",
        "fields_of_consultation": [taxonomy[f].pk for f in fields],
        "main_fields": [taxonomy[f].pk for f in main],
        "profilelanguage_set-TOTAL_FORMS": str(len(existing) + len(languages)),
        "profilelanguage_set-INITIAL_FORMS": str(len(existing)),
        "profilelanguage_set-MIN_NUM_FORMS": "0",
        "profilelanguage_set-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(existing):
        data[f"profilelanguage_set-{index}-id"] = row.pk
        data[f"profilelanguage_set-{index}-language"] = row.language_id
        data[f"profilelanguage_set-{index}-level"] = row.level
    for index, (language, level) in enumerate(languages, start=len(existing)):
        data[f"profilelanguage_set-{index}-language"] = taxonomy[language].pk
        data[f"profilelanguage_set-{index}-level"] = level
    for scope, parts in (("directory", directory), ("public", public)):
        if parts is not None:
            data[f"consent-{scope}-listed"] = "on"
            data[f"consent-{scope}-fields"] = list(parts)
    data.update(overrides)
    return data


def _previews(content):
    """The two preview sections of the profile page: (as members see you, as the public does)."""
    members = content.index("As members see you")
    public = content.index("As the public sees you")
    end = content.index("Download all your data")
    return content[members:public], content[public:end]


# 8. Profile editor -----------------------------------------------------------------------------


def test_saving_the_profile_stores_fields_languages_and_consent(taxonomy, coordinator, editor):
    me = browser(coordinator, language="en")
    response = me.post(
        PROFILE,
        profile_post(
            taxonomy,
            fields=("f1", "f2", "f3"),
            main=("f1", "f3"),
            languages=(("l1", "native"), ("l2", "daily")),
            directory=["workplace", "bio"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == PROFILE

    profile = CoordinatorProfile.objects.get(user=coordinator)
    assert profile.workplace_name == MY_WORKPLACE
    assert set(profile.prefectures.values_list("code", flat=True)) == {"JP-13", "JP-22"}
    assert {(pf.field_id, pf.is_main) for pf in ProfileField.objects.filter(profile=profile)} == {
        (taxonomy["f1"].pk, True),
        (taxonomy["f2"].pk, False),
        (taxonomy["f3"].pk, True),
    }
    assert {
        (pl.language_id, pl.level) for pl in ProfileLanguage.objects.filter(profile=profile)
    } == {(taxonomy["l1"].pk, "native"), (taxonomy["l2"].pk, "daily")}

    consent = Consent.objects.get(user=coordinator, scope="directory")
    assert consent.granted_at is not None and consent.withdrawn_at is None
    assert set(consent.fields) == {"workplace", "bio"}
    assert consent.policy_version == 1
    assert not Consent.objects.filter(user=coordinator, scope="public").exists()
    assert ModelLogEntry.objects.filter(action="directory.consent_grant").count() == 1

    page = text(me.get(PROFILE))
    assert "Your profile was saved" in page
    members_preview, public_preview = _previews(page)
    assert card_marker(profile) in members_preview
    assert MY_WORKPLACE in members_preview
    assert MY_BIO in members_preview
    assert MY_CONTACT not in members_preview
    assert 'data-part="contact"' not in members_preview
    assert "You are not in the public list." in public_preview
    assert card_marker(profile) not in public_preview
    assert ticked(page, "consent-directory-listed")
    assert ticked(page, "consent-directory-fields", "workplace")
    assert ticked(page, "consent-directory-fields", "bio")
    assert not ticked(page, "consent-directory-fields", "contact")
    assert not ticked(page, "consent-public-listed")

    # Other members now find the profile with exactly those parts.
    other = browser(editor)
    listing = text(other.get("/directory/"))
    assert card_marker(profile) in listing
    assert MY_WORKPLACE in listing and MY_BIO in listing and MY_CONTACT not in listing
    assert card_marker(profile) not in text(browser().get("/coordinators/"))


def test_an_edit_shows_at_once_in_a_cached_directory(taxonomy, coordinator, listed):
    """Cards are cached as HTML: saving the profile must not leave the old card in the listing."""
    viewer = browser(listed("viewer", consents={}).user)
    me = browser(coordinator, language="en")
    me.post(PROFILE, profile_post(taxonomy, directory=["workplace"]))
    assert MY_WORKPLACE in text(viewer.get("/directory/"))
    me.post(
        PROFILE,
        profile_post(
            taxonomy,
            directory=["workplace"],
            current=CoordinatorProfile.objects.get(user=coordinator),
            languages=(),
            workplace_name="新しい職場センター",
        ),
    )
    listing = text(viewer.get("/directory/"))
    assert "新しい職場センター" in listing
    assert MY_WORKPLACE not in listing


@pytest.mark.parametrize(
    ("fields", "main", "message"),
    [
        (("f1",), ("f2",), "A main field must also be ticked as a field of consultation."),
        (("f1",), ("f1", "f2"), "A main field must also be ticked as a field of consultation."),
        (("f1", "f2"), (), "Mark at least one of your fields as a main field."),
    ],
    ids=["main-not-ticked", "one-main-not-ticked", "no-main"],
)
def test_a_main_field_must_be_ticked_and_nothing_is_saved_otherwise(
    taxonomy, coordinator, fields, main, message
):
    me = browser(coordinator, language="en")
    response = me.post(
        PROFILE,
        profile_post(taxonomy, fields=fields, main=main, directory=OPTIONAL, public=OPTIONAL),
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not CoordinatorProfile.objects.filter(user=coordinator).exists()
    assert not ProfileField.objects.exists()
    assert not ProfileLanguage.objects.exists()
    assert not Consent.objects.filter(user=coordinator).exists()
    assert not ModelLogEntry.objects.filter(action__startswith="directory.").exists()


def test_a_bad_edit_leaves_an_existing_profile_as_it_was(taxonomy, coordinator):
    me = browser(coordinator)
    me.post(PROFILE, profile_post(taxonomy, directory=["bio"]))
    before = list(ProfileField.objects.values_list("field_id", "is_main").order_by("field_id"))
    response = me.post(
        PROFILE,
        profile_post(
            taxonomy,
            fields=("f3",),
            main=("f1",),
            directory=OPTIONAL,
            workplace_name="変更後の職場",
        ),
    )
    assert response.status_code == 200
    profile = CoordinatorProfile.objects.get(user=coordinator)
    assert profile.workplace_name == MY_WORKPLACE
    assert list(ProfileField.objects.values_list("field_id", "is_main").order_by("field_id")) == (
        before
    )
    assert Consent.objects.filter(user=coordinator).count() == 1
    assert Consent.objects.get(user=coordinator).fields == ["bio"]


def test_unticking_listed_withdraws_consent(taxonomy, coordinator, editor):
    me = browser(coordinator)
    me.post(PROFILE, profile_post(taxonomy, directory=["workplace"], public=["bio"]))
    profile = CoordinatorProfile.objects.get(user=coordinator)
    staff = browser(editor)
    assert card_marker(profile) in text(staff.get("/directory/"))

    response = me.post(
        PROFILE,
        profile_post(taxonomy, directory=None, public=["bio"], languages=(), current=profile),
    )
    assert response.status_code == 302
    records = list(Consent.objects.filter(user=coordinator, scope="directory").order_by("pk"))
    assert len(records) == 2
    assert records[0].withdrawn_at is None
    assert records[1].withdrawn_at is not None
    assert ModelLogEntry.objects.filter(action="directory.consent_withdraw").count() == 1
    assert card_marker(profile) not in text(staff.get("/directory/"))
    assert staff.get(f"/directory/{profile.pk}/").status_code == 404
    # The public listing was not touched.
    assert Consent.objects.filter(user=coordinator, scope="public").count() == 1
    assert card_marker(profile) in text(browser().get("/coordinators/"))
    page = text(browser(coordinator, language="en").get(PROFILE))
    members_preview, public_preview = _previews(page)
    assert "You are not listed in the members" in members_preview
    assert card_marker(profile) not in members_preview
    assert card_marker(profile) in public_preview
    assert not ticked(page, "consent-directory-listed")
    assert ticked(page, "consent-public-listed")


def test_changing_the_parts_records_a_new_consent(taxonomy, coordinator, editor):
    me = browser(coordinator)
    me.post(PROFILE, profile_post(taxonomy, directory=["workplace"]))
    profile = CoordinatorProfile.objects.get(user=coordinator)
    edit = {"languages": (), "current": profile}
    assert (
        me.post(PROFILE, profile_post(taxonomy, directory=["contact"], **edit)).status_code == 302
    )
    assert Consent.objects.filter(user=coordinator, scope="directory").count() == 2
    detail = text(browser(editor).get(f"/directory/{profile.pk}/"))
    assert MY_CONTACT in detail
    assert MY_WORKPLACE not in detail
    # Saving again without changing the consent does not add a record.
    assert (
        me.post(PROFILE, profile_post(taxonomy, directory=["contact"], **edit)).status_code == 302
    )
    assert Consent.objects.filter(user=coordinator, scope="directory").count() == 2


def test_sending_the_same_page_twice_does_not_break(taxonomy, coordinator):
    """A double click on Save (or Save again from the page shown before) sends the language rows
    as new rows a second time: the user must get the form back or a saved profile, never a
    server error, and the language must not be stored twice."""
    me = browser(coordinator)
    me.raise_request_exception = False
    data = profile_post(taxonomy, languages=(("l1", "native"),), directory=["bio"])
    assert me.post(PROFILE, data).status_code == 302
    again = me.post(PROFILE, data)
    assert again.status_code in (200, 302)
    profile = CoordinatorProfile.objects.get(user=coordinator)
    assert ProfileLanguage.objects.filter(profile=profile, language=taxonomy["l1"]).count() == 1


def test_existing_consent_is_shown_ticked(listed):
    profile = listed(consents={"directory": ["bio"]})
    page = text(browser(profile.user).get(PROFILE))
    assert ticked(page, "consent-directory-listed")
    assert ticked(page, "consent-directory-fields", "bio")
    assert not ticked(page, "consent-directory-fields", "workplace")
    assert not ticked(page, "consent-public-listed")


def test_preview_does_not_show_a_listing_the_certificate_no_longer_allows(listed, coordinator):
    """A holder whose certificate lapsed is not listed, whatever their consent: the profile page
    must not show them a card "as members see you" as if they were."""
    profile = listed(consents={"directory": OPTIONAL, "public": OPTIONAL})
    certificate = profile.user.certificates.get()
    certificate.issued_on = datetime.date(2019, 6, 1)
    certificate.save()
    assert card_marker(profile) not in text(browser(coordinator).get("/coordinators/"))
    members_preview, public_preview = _previews(
        text(browser(profile.user, language="en").get(PROFILE))
    )
    assert card_marker(profile) not in members_preview
    assert card_marker(profile) not in public_preview


# 7. IDOR ---------------------------------------------------------------------------------------


def _snapshot(profile):
    profile.refresh_from_db()
    return {
        "profile": (profile.workplace_name, profile.contact_email, profile.bio_ja),
        "prefectures": sorted(profile.prefectures.values_list("pk", flat=True)),
        "fields": sorted(
            ProfileField.objects.filter(profile=profile).values_list("field_id", "is_main")
        ),
        "languages": sorted(
            ProfileLanguage.objects.filter(profile=profile).values_list("language_id", "level")
        ),
        "consents": list(
            Consent.objects.filter(user=profile.user).values_list("pk", "withdrawn_at")
        ),
    }


def test_profile_page_edits_only_the_signed_in_user(taxonomy, listed, coordinator):
    other = listed("other", consents={"directory": OPTIONAL})
    before = _snapshot(other)
    me = browser(coordinator)

    shown = text(me.get(PROFILE, {"user": other.user.pk, "id": other.pk, "pk": other.pk}))
    assert WORKPLACE not in shown and CONTACT not in shown and BIO not in shown

    response = me.post(
        f"{PROFILE}?user={other.user.pk}&pk={other.pk}",
        profile_post(
            taxonomy,
            directory=None,
            user=other.user.pk,
            user_id=other.user.pk,
            id=other.pk,
            pk=other.pk,
            profile=other.pk,
            username=other.user.username,
        ),
    )
    assert response.status_code == 302
    assert _snapshot(other) == before
    mine = CoordinatorProfile.objects.get(user=coordinator)
    assert mine.pk != other.pk
    assert mine.workplace_name == MY_WORKPLACE
    # The other holder is still listed, with their own values.
    assert_shows_exactly(
        text(browser(coordinator).get(f"/directory/{other.pk}/")), other, set(OPTIONAL)
    )


def test_language_rows_of_another_profile_cannot_be_touched(taxonomy, listed, coordinator):
    other = listed("other", consents={"directory": OPTIONAL})
    other_language = ProfileLanguage.objects.get(profile=other)
    before = _snapshot(other)
    me = browser(coordinator)
    me.post(PROFILE, profile_post(taxonomy, languages=(("l2", "basic"),)))
    mine = CoordinatorProfile.objects.get(user=coordinator)

    data = profile_post(taxonomy, languages=(("l2", "native"),))
    data.update(
        {
            "profilelanguage_set-INITIAL_FORMS": "1",
            "profilelanguage_set-0-id": other_language.pk,
            "profilelanguage_set-0-profile": other.pk,
            "profilelanguage_set-0-DELETE": "on",
        }
    )
    assert me.post(PROFILE, data).status_code in (200, 302)
    data["profilelanguage_set-0-DELETE"] = ""
    assert me.post(PROFILE, data).status_code in (200, 302)

    assert _snapshot(other) == before
    assert ProfileLanguage.objects.filter(pk=other_language.pk, profile=other).exists()
    assert ProfileLanguage.objects.filter(profile=mine).count() >= 1


def test_own_profile_can_remove_its_own_language(taxonomy, coordinator):
    me = browser(coordinator)
    me.post(PROFILE, profile_post(taxonomy, languages=(("l1", "native"), ("l2", "basic"))))
    mine = CoordinatorProfile.objects.get(user=coordinator)
    row = ProfileLanguage.objects.get(profile=mine, language=taxonomy["l2"])
    kept = ProfileLanguage.objects.get(profile=mine, language=taxonomy["l1"])
    data = profile_post(taxonomy, languages=())
    data.update(
        {
            "profilelanguage_set-TOTAL_FORMS": "2",
            "profilelanguage_set-INITIAL_FORMS": "2",
            "profilelanguage_set-0-id": kept.pk,
            "profilelanguage_set-0-language": taxonomy["l1"].pk,
            "profilelanguage_set-0-level": "native",
            "profilelanguage_set-1-id": row.pk,
            "profilelanguage_set-1-language": taxonomy["l2"].pk,
            "profilelanguage_set-1-level": "basic",
            "profilelanguage_set-1-DELETE": "on",
        }
    )
    assert me.post(PROFILE, data).status_code == 302
    assert list(ProfileLanguage.objects.filter(profile=mine).values_list("pk", flat=True)) == [
        kept.pk
    ]


# 7. Own-data export ------------------------------------------------------------------------------


def test_export_contains_only_own_data_with_consent_history(listed, coordinator):
    other = listed("other", consents={"directory": OPTIONAL, "public": OPTIONAL})
    mine = listed(
        "mine",
        names=("佐藤", "誠", "さとう", "まこと", "Sato", "Makoto"),
        consents={"directory": ["bio"]},
        workplace_name=MY_WORKPLACE,
        contact_email=MY_CONTACT,
        contact_phone="053-000-1111",
        bio_ja=MY_BIO,
    )
    services.consent_withdraw(mine.user, "directory")
    services.consent_grant(mine.user, "public", ["workplace"])

    response = browser(mine.user).get(
        EXPORT, {"user": other.user.pk, "id": other.pk, "username": other.user.username}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    raw = text(response)
    data = json.loads(raw)

    assert data["account"]["username"] == "mine"
    assert data["account"]["email"] == mine.user.email
    assert data["profile"]["workplace"]["name"] == MY_WORKPLACE
    assert data["profile"]["contact"]["email"] == MY_CONTACT
    assert data["profile"]["bio_ja"] == MY_BIO
    assert [c["number"] for c in data["certificates"]] == [mine.user.certificates.get().number]
    history = [(c["scope"], c["withdrawn_at"] is None, c["fields"]) for c in data["consents"]]
    assert history == [
        ("directory", True, ["bio"]),
        ("directory", False, []),
        ("public", True, ["workplace"]),
    ]
    # Nothing of the other coordinator.
    for value in (
        other.user.username,
        other.user.email,
        WORKPLACE,
        CONTACT,
        PHONE,
        BIO,
        other.user.certificates.get().number,
    ):
        assert value not in raw
    entry = ModelLogEntry.objects.get(action="directory.profile_export")
    assert entry.user_id == mine.user.pk


def test_export_without_a_profile_still_answers(coordinator):
    data = json.loads(text(browser(coordinator).get(EXPORT)))
    assert data["account"]["username"] == coordinator.username
    assert data["profile"] is None
    assert data["consents"] == []


# 7. Privacy headers and login ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("member", "/directory/"),
        ("member", "/directory/?q=山田&per_page=50"),
        ("member", "/directory/{pk}/"),
        ("member", "/coordinators/"),
        ("anonymous", "/coordinators/"),
        ("member", PROFILE),
        ("member", EXPORT),
        ("holder", PROFILE),
        ("holder", EXPORT),
    ],
)
def test_directory_responses_are_never_cached(listed, coordinator, who, path):
    holder = listed(consents={"directory": OPTIONAL, "public": OPTIONAL})
    user = {"member": coordinator, "holder": holder.user, "anonymous": None}[who]
    response = browser(user).get(path.format(pk=holder.pk))
    assert response.status_code == 200
    directives = {d.strip().split("=")[0].lower() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives
    assert "private" in directives
    assert "public" not in directives


def test_capped_and_relay_responses_are_never_cached(listed, coordinator, settings):
    settings.PORTAL_DIRECTORY_DAILY_VIEWS = 0
    holder = listed(consents={"directory": OPTIONAL})
    member = browser(coordinator)
    capped = member.get(f"/directory/{holder.pk}/")
    assert capped.status_code == 429
    assert "no-store" in capped["Cache-Control"] and "private" in capped["Cache-Control"]
    refused = member.post(f"/directory/{holder.pk}/", {"subject": "", "body": ""})
    assert "no-store" in refused["Cache-Control"] and "private" in refused["Cache-Control"]


@pytest.mark.parametrize("path", [PROFILE, EXPORT])
def test_profile_and_export_need_a_login(path):
    response = browser().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={path}"


def test_anonymous_post_to_profile_changes_nothing(taxonomy, listed):
    other = listed("other", consents={"directory": OPTIONAL})
    before = _snapshot(other)
    response = browser().post(PROFILE, profile_post(taxonomy, directory=None, user=other.user.pk))
    assert response.status_code == 302
    assert _snapshot(other) == before


def test_expired_holder_may_still_manage_own_data(expired_coordinator):
    """A lapsed coordinator is not listed but can still see and download their own data."""
    assert browser(expired_coordinator).get(PROFILE).status_code == 200
    data = json.loads(text(browser(expired_coordinator).get(EXPORT)))
    assert data["account"]["username"] == expired_coordinator.username
    assert data["certificates"][0]["status"] == "expired"
