"""Public certificate verification (/verify/<number>/ and its badge.json) and the holder's own
certificate page (/accounts/certificate/), where the name on the public page is switched on.

Statuses are computed for today, so the certificates here are issued relative to today; the
badge dates use a fixed issue date (2024-10-01 -> valid until 2028-03-31).
"""

import datetime
import time
import urllib.parse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from wagtail.models import ModelLogEntry

from portal.accounts.models import User, today

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HIDDEN_NAME_EN = "Not shown (the holder has not allowed it)"
RENEWAL_EN = (
    "Completing the renewal training gives you a new certificate with a new period of validity"
)
RENEWAL_JA = "更新研修を修了すると、新たな有効期間の認定証が交付されます"


@pytest.fixture(autouse=True)
def _clear_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public():
    """An anonymous visitor (separate from the signed-in ``client`` of ``client_for``)."""
    return Client()


@pytest.fixture
def holder(make_user):
    return make_user(
        "verified",
        last_name="山田",
        first_name="花子",
        family_name_romaji="Yamada",
        given_name_romaji="Hanako",
    )


def page_url(number: str) -> str:
    return f"/verify/{urllib.parse.quote(number)}/"


def badge_url(number: str) -> str:
    return f"/verify/{urllib.parse.quote(number)}/badge.json"


def ymd(day: datetime.date) -> str:
    return day.strftime("%Y-%m-%d")


def _wait_unless_window_has_room(window: int, needed: float = 3.0) -> None:
    """Keep a throttle test inside one counting window (windows are aligned to the clock)."""
    remaining = window - time.time() % window
    if remaining < needed:
        time.sleep(remaining + 0.1)


# Status pages ------------------------------------------------------------------------------


def _valid(holder, issue):
    return issue(holder, today() - datetime.timedelta(days=30))


def _expired(holder, issue):
    return issue(holder, datetime.date(2019, 6, 1))  # valid until 2023-03-31


def _revoked(holder, issue):
    certificate = issue(holder, today() - datetime.timedelta(days=400))
    certificate.revoked_on = today() - datetime.timedelta(days=2)
    certificate.revocation_reason = "Ground for disqualification found"
    certificate.save()
    return certificate


def _pending(holder, issue):
    return issue(holder, today() + datetime.timedelta(days=10))


@pytest.mark.parametrize(
    ("make_certificate", "status", "label_en", "label_ja"),
    [
        (_valid, "valid", "Valid", "有効"),
        (_expired, "expired", "Expired", "期限切れ"),
        (_revoked, "revoked", "Revoked", "取消済み"),
        (_pending, "pending", "Not yet valid", "有効期間開始前"),
    ],
)
def test_status_page_shows_status_and_dates(
    make_certificate, status, label_en, label_ja, holder, issue_certificate, public
):
    certificate = make_certificate(holder, issue_certificate)
    assert certificate.status() == status

    response = public.get(page_url(certificate.number), **ENGLISH)

    assert response.status_code == 200
    assert response.context["status"] == status
    content = response.content.decode()
    assert f'status--{status}">{label_en}<' in content
    assert certificate.number in content
    assert ymd(certificate.issued_on) in content
    assert ymd(certificate.valid_until) in content
    if status == "revoked":
        assert "Revoked on" in content
        assert ymd(certificate.revoked_on) in content
    else:
        assert "Revoked on" not in content
    assert response["Cache-Control"] == "no-store"

    # Without a language preference the page is in Japanese.
    cache.clear()
    japanese = public.get(page_url(certificate.number))
    assert f'status--{status}">{label_ja}<' in japanese.content.decode()


def test_fixed_dates_appear_on_the_page(holder, issue_certificate, public):
    certificate = issue_certificate(holder, datetime.date(2024, 10, 1))

    content = public.get(page_url(certificate.number), **ENGLISH).content.decode()

    assert "2024-10-01" in content
    assert "2028-03-31" in content


# The holder's name --------------------------------------------------------------------------


def test_name_is_hidden_by_default(holder, issue_certificate, public):
    certificate = _valid(holder, issue_certificate)

    content = public.get(page_url(certificate.number), **ENGLISH).content.decode()
    badge = public.get(badge_url(certificate.number)).json()

    assert HIDDEN_NAME_EN in content
    assert "山田" not in content
    assert "Hanako" not in content
    assert "name" not in badge["credentialSubject"]
    assert "山田" not in str(badge)


def test_name_is_shown_after_the_holder_allows_it(holder, issue_certificate, client_for, public):
    certificate = _valid(holder, issue_certificate)

    response = client_for(holder).post("/accounts/certificate/", {"show_name": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/certificate/"
    holder.refresh_from_db()
    assert holder.show_name_on_verification is True

    japanese = public.get(page_url(certificate.number)).content.decode()
    english = public.get(page_url(certificate.number), **ENGLISH).content.decode()
    badge = public.get(badge_url(certificate.number)).json()

    assert "山田 花子" in japanese
    assert "Hanako YAMADA" in english
    assert HIDDEN_NAME_EN not in english
    assert badge["credentialSubject"]["name"] == "山田 花子"


def test_name_is_hidden_again_after_the_holder_withdraws(
    holder, issue_certificate, client_for, public
):
    certificate = _valid(holder, issue_certificate)
    member = client_for(holder)
    member.post("/accounts/certificate/", {"show_name": "on"})

    response = member.post("/accounts/certificate/", {})  # checkbox left empty

    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.show_name_on_verification is False
    content = public.get(page_url(certificate.number), **ENGLISH).content.decode()
    assert HIDDEN_NAME_EN in content
    assert "Hanako" not in content
    assert "name" not in public.get(badge_url(certificate.number)).json()["credentialSubject"]


def test_own_page_shows_the_saved_setting(holder, issue_certificate, client_for):
    _valid(holder, issue_certificate)
    member = client_for(holder)

    assert member.get("/accounts/certificate/").context["form"]["show_name"].value() is False
    member.post("/accounts/certificate/", {"show_name": "on"})
    assert member.get("/accounts/certificate/").context["form"]["show_name"].value() is True


def test_changing_the_setting_is_audited(holder, issue_certificate, client_for):
    _valid(holder, issue_certificate)
    member = client_for(holder)

    member.post("/accounts/certificate/", {"show_name": "on"})
    member.post("/accounts/certificate/", {"show_name": "on"})  # no change, no second entry
    member.post("/accounts/certificate/", {})

    entries = list(
        ModelLogEntry.objects.filter(
            action="portal.verification_name",
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(holder.pk),
        ).order_by("timestamp", "pk")
    )
    assert [entry.data for entry in entries] == [{"show_name": True}, {"show_name": False}]
    assert all(entry.user_id == holder.pk for entry in entries)


# Looking numbers up -------------------------------------------------------------------------


def test_lower_case_number_finds_the_certificate(holder, issue_certificate, public):
    certificate = _valid(holder, issue_certificate)
    lower = certificate.number.lower()
    assert lower != certificate.number  # e.g. "t-00001"

    response = public.get(page_url(lower), **ENGLISH)

    assert response.status_code == 200
    assert response.context["certificate"] == certificate
    assert certificate.number in response.content.decode()
    assert public.get(badge_url(lower)).json()["credentialStatus"]["certificateNumber"] == (
        certificate.number
    )


def test_full_width_number_finds_the_certificate(holder, issue_certificate, public):
    certificate = _valid(holder, issue_certificate)
    # "T-00001" typed with a Japanese input method: "Ｔ－００００１" (and lower-case "ｔ").
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in certificate.number)
    assert full_width != certificate.number

    for typed in (full_width, full_width.lower(), f" {certificate.number} "):
        response = public.get(page_url(typed), **ENGLISH)
        assert response.status_code == 200, typed
        assert response.context["certificate"] == certificate


def test_unknown_number_is_404(holder, issue_certificate, public):
    certificate = _valid(holder, issue_certificate)
    unknown = "Z-99999"
    assert unknown != certificate.number

    response = public.get(page_url(unknown), **ENGLISH)

    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert public.get(badge_url(unknown)).status_code == 404
    assert public.get(badge_url(unknown)).json() == {"error": "not found"}


@pytest.mark.parametrize(
    "path", ["/verify/../etc/", "/verify/..%2Fetc/", "/verify/a/", "/verify/" + "x" * 40 + "/"]
)
def test_malformed_number_is_404(path, holder, issue_certificate, public):
    _valid(holder, issue_certificate)

    response = public.get(path, **ENGLISH)

    assert response.status_code == 404


@pytest.mark.parametrize("number", ["a", "x" * 40, "-AB", "T_00001"])
def test_malformed_number_badge_is_404(number, holder, issue_certificate, public):
    _valid(holder, issue_certificate)

    response = public.get(badge_url(number))

    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


# badge.json -----------------------------------------------------------------------------------


def test_badge_fields(holder, issue_certificate, public):
    certificate = issue_certificate(holder, datetime.date(2024, 10, 1))
    expected_status = certificate.status()

    response = public.get(badge_url(certificate.number))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc+ld+json")
    badge = response.json()
    assert "https://www.w3.org/ns/credentials/v2" in badge["@context"]
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "OpenBadgeCredential" in badge["type"]
    assert "VerifiableCredential" in badge["type"]
    assert badge["validFrom"].startswith("2024-10-01")
    assert badge["validUntil"].startswith("2028-03-31")
    assert badge["credentialStatus"]["status"] == expected_status
    assert badge["credentialStatus"]["certificateNumber"] == certificate.number
    assert badge["id"].endswith(badge_url(certificate.number))
    assert badge["credentialStatus"]["id"].endswith(page_url(certificate.number))
    assert "name" not in badge["credentialSubject"]


@pytest.mark.parametrize(
    ("make_certificate", "status"),
    [(_valid, "valid"), (_expired, "expired"), (_revoked, "revoked"), (_pending, "pending")],
)
def test_badge_status_matches_the_register(
    make_certificate, status, holder, issue_certificate, public
):
    certificate = make_certificate(holder, issue_certificate)

    badge = public.get(badge_url(certificate.number)).json()

    assert badge["credentialStatus"]["status"] == status
    assert badge["validFrom"].startswith(ymd(certificate.issued_on))
    assert badge["validUntil"].startswith(ymd(certificate.valid_until))
    if status == "revoked":
        assert badge["credentialStatus"]["revokedOn"] == ymd(certificate.revoked_on)
    else:
        assert badge["credentialStatus"]["revokedOn"] is None


# Throttling -----------------------------------------------------------------------------------


def test_fourth_lookup_is_throttled_and_other_clients_are_served(
    settings, holder, issue_certificate, public
):
    settings.PORTAL_VERIFY_RATE = (3, 600)
    certificate = _valid(holder, issue_certificate)
    _wait_unless_window_has_room(600)

    for _ in range(3):
        assert public.get(page_url(certificate.number), **ENGLISH).status_code == 200

    response = public.get(page_url(certificate.number), **ENGLISH)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many lookups" in response.content.decode()
    assert "status--" not in response.content.decode()  # nothing about the certificate
    assert ymd(certificate.valid_until) not in response.content.decode()

    other = public.get(page_url(certificate.number), REMOTE_ADDR="192.0.2.44", **ENGLISH)
    assert other.status_code == 200


def test_pages_and_badges_share_one_count(settings, holder, issue_certificate, public):
    settings.PORTAL_VERIFY_RATE = (3, 600)
    certificate = _valid(holder, issue_certificate)
    _wait_unless_window_has_room(600)

    assert public.get(page_url(certificate.number)).status_code == 200
    assert public.get(badge_url(certificate.number)).status_code == 200
    assert public.get(page_url("Z-99999")).status_code == 404  # unknown numbers count too

    response = public.get(badge_url(certificate.number))

    assert response.status_code == 429
    assert response.json() == {"error": "too many requests"}
    assert public.get(page_url(certificate.number)).status_code == 429
    assert public.get(badge_url(certificate.number), REMOTE_ADDR="192.0.2.44").status_code == 200


def test_throttled_badge_tells_when_to_retry(settings, holder, issue_certificate, public):
    settings.PORTAL_VERIFY_RATE = (3, 600)
    certificate = _valid(holder, issue_certificate)
    _wait_unless_window_has_room(600)

    for _ in range(3):
        assert public.get(badge_url(certificate.number)).status_code == 200
    response = public.get(badge_url(certificate.number))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"


# The holder's own certificate page ------------------------------------------------------------


def test_own_certificate_page_requires_login(client):
    response = client.get("/accounts/certificate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/accounts/certificate/" in urllib.parse.unquote(response["Location"])


def test_anonymous_cannot_change_the_name_setting(holder, issue_certificate, client, public):
    certificate = _valid(holder, issue_certificate)

    response = client.post("/accounts/certificate/", {"show_name": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    holder.refresh_from_db()
    assert holder.show_name_on_verification is False
    assert "山田" not in public.get(page_url(certificate.number)).content.decode()


def test_expired_coordinator_sees_renewal_explanation(expired_coordinator, client_for):
    response = client_for(expired_coordinator).get("/accounts/certificate/")

    assert response.status_code == 200
    content = response.content.decode()
    certificate = expired_coordinator.certificates.get()
    assert certificate.number in content
    assert "2023-03-31" in content
    assert "期限切れ" in content  # the profile's language (Japanese) is used
    assert RENEWAL_JA in content


def test_expired_english_coordinator_sees_renewal_explanation_in_english(
    make_user, issue_certificate, client_for
):
    user = make_user("lapsed-en", preferred_language="en")
    issue_certificate(user, datetime.date(2019, 6, 1))

    response = client_for(user).get("/accounts/certificate/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Expired" in content
    assert RENEWAL_EN in content


def test_valid_coordinator_sees_no_renewal_explanation(coordinator, client_for):
    response = client_for(coordinator).get("/accounts/certificate/")

    assert response.status_code == 200
    content = response.content.decode()
    assert coordinator.certificates.get().number in content
    assert RENEWAL_JA not in content
    assert f"/verify/{coordinator.certificates.get().number}/badge.json" in content


@pytest.mark.django_db
def test_lookup_form_sends_the_visitor_to_the_verification_page(client):
    response = client.get("/verify/", {"number": " ｓｃ－２０２４－０００１ "})
    assert response.status_code == 302
    assert response["Location"] == "/verify/SC-2024-0001/"
    page = client.get("/verify/")
    assert page.status_code == 200
    assert 'name="number"' in page.content.decode()
    bad = client.get("/verify/", {"number": "../etc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200
    assert "as printed on the certificate card" in bad.content.decode()
    assert 'href="/verify/"' in client.get("/").content.decode()
