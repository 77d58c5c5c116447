"""Atom feeds: the public feed lists public live notices only; a member's personal feed at a
secret address lists members-only notices too, and stops working once revoked or once the member
is no longer admitted."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from newsletters.models import FeedToken
from newsletters.services.notices import FEED_TOKEN_REVOKE, feed_token_for, feed_token_revoke
from portal.accounts.models import today

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> dict[str, ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    return {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}


@pytest.fixture
def notices(make_notice, days_ago):
    return {
        "public": make_notice(
            title="公開",
            audience="public",
            summary="公開の要約",
            category="disaster",
            published_at=days_ago(2),
        ),
        "members": make_notice(title="会員向け", audience="members", published_at=days_ago(1)),
        "draft": make_notice(title="下書き公開", audience="public", live=False),
        "members_draft": make_notice(title="下書き会員", audience="members", live=False),
    }


def personal_url(user) -> str:
    return reverse("notices:personal_feed", args=[feed_token_for(user).token])


def test_public_feed_has_public_live_notices_only(client, notices):
    found = entries(client.get("/notices/feed/"))
    assert list(found) == ["公開"]
    entry = found["公開"]
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{notices['public'].url}"
    assert entry.findtext(f"{ATOM}summary") == "公開の要約"
    assert entry.findtext(f"{ATOM}published")
    assert entry.find(f"{ATOM}category") is not None


def test_public_feed_is_the_same_for_members(client_for, coordinator, notices):
    assert list(entries(client_for(coordinator).get("/notices/feed/"))) == ["公開"]


def test_personal_feed_lists_members_only_notices(client, coordinator, notices):
    found = entries(client.get(personal_url(coordinator)))
    assert list(found) == ["会員向け", "公開"]  # newest first, drafts absent


def test_personal_feed_is_private(client, coordinator, notices):
    response = client.get(personal_url(coordinator))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_unknown_token_is_not_found(client, notices):
    assert client.get("/notices/feed/not-a-real-token-at-all/").status_code == 404


def test_revoked_token_is_not_found(client, coordinator, notices):
    old = personal_url(coordinator)
    new_token = feed_token_revoke(coordinator)
    assert client.get(old).status_code == 404
    fresh = reverse("notices:personal_feed", args=[new_token.token])
    assert fresh != old
    assert "会員向け" in entries(client.get(fresh))
    assert FeedToken.objects.filter(user=coordinator, revoked_at__isnull=True).count() == 1
    entry = ModelLogEntry.objects.get(action=FEED_TOKEN_REVOKE)
    assert entry.user_id == coordinator.pk


def test_token_of_a_member_whose_certificate_lapsed_is_not_found(
    client, coordinator, issue_certificate, notices
):
    url = personal_url(coordinator)
    assert client.get(url).status_code == 200
    certificate = coordinator.certificates.get()
    certificate.revoked_on = today()
    certificate.revocation_reason = "test"
    certificate.save()
    assert client.get(url).status_code == 404


def test_token_of_an_expired_coordinator_is_not_found(client, expired_coordinator, notices):
    assert client.get(personal_url(expired_coordinator)).status_code == 404


def test_token_of_a_deactivated_user_is_not_found(client, coordinator, notices):
    url = personal_url(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get(url).status_code == 404


def test_index_shows_the_personal_feed_to_members_only(
    client, client_for, coordinator, expired_coordinator, notice_index, notices
):
    html = client.get(notice_index.url).content.decode()
    assert 'href="/notices/feed/"' in html
    assert 'data-part="personal-feed"' not in html
    assert (
        'data-part="personal-feed"'
        not in client_for(expired_coordinator).get(notice_index.url).content.decode()
    )
    html = client_for(coordinator).get(notice_index.url).content.decode()
    token = FeedToken.objects.get(user=coordinator, revoked_at__isnull=True).token
    assert f"http://testserver/notices/feed/{token}/" in html
    assert reverse("notices:feed_revoke") in html


def test_revoke_view(client, client_for, coordinator, notice_index, notices):
    member_client = client_for(coordinator)
    member_client.get(notice_index.url)
    old = FeedToken.objects.get(user=coordinator, revoked_at__isnull=True)
    response = member_client.post(reverse("notices:feed_revoke"), {"next": notice_index.url})
    assert response.status_code == 302 and response["Location"] == notice_index.url
    old.refresh_from_db()
    assert old.revoked_at is not None
    new = FeedToken.objects.get(user=coordinator, revoked_at__isnull=True)
    assert new.token in member_client.get(notice_index.url).content.decode()
    # A foreign "next" is ignored; GET is refused; anonymous visitors go to the login page.
    response = member_client.post(reverse("notices:feed_revoke"), {"next": "https://evil.example/"})
    assert response["Location"] == notice_index.url
    assert member_client.get(reverse("notices:feed_revoke")).status_code == 405
    client.logout()
    assert client.post(reverse("notices:feed_revoke"))["Location"].startswith("/accounts/login/")


def test_feed_token_for_is_stable(coordinator):
    assert feed_token_for(coordinator) == feed_token_for(coordinator)


def test_feed_does_not_list_a_notice_past_its_expiry(client, make_notice):
    from django.utils import timezone

    from newsletters.models import NoticePage

    notice = make_notice(title="期限切れ")
    NoticePage.objects.filter(pk=notice.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "期限切れ" not in entries(client.get("/notices/feed/"))
