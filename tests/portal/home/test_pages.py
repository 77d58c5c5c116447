import datetime
import re

import pytest
from wagtail.models import Site

from portal.home.models import HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root():
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage


def test_home_page_explains_the_portal_with_landmarks(client):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Support Coordinators for Foreign Nationals" in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content
    assert re.search(r'<nav[^>]+aria-label="Main"', content)
    assert 'href="/accounts/login/"' in content


def test_navigation_shows_member_area_only_to_those_who_may_enter(
    client, coordinator, expired_coordinator, editor
):
    assert 'href="/members/"' not in client.get("/").content.decode()
    client.force_login(expired_coordinator)
    content = client.get("/").content.decode()
    assert 'href="/members/"' not in content
    assert "/admin/" not in content
    client.force_login(coordinator)
    content = client.get("/").content.decode()
    assert 'href="/members/"' in content
    assert 'href="/admin/"' not in content
    client.force_login(editor)
    content = client.get("/").content.decode()
    assert 'href="/members/"' in content
    assert 'href="/admin/"' in content


def test_footer_shows_the_contact_address_from_site_settings(client):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "help@portal.example.jp"
    settings.save()
    assert "mailto:help@portal.example.jp" in client.get("/").content.decode()


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_members_page_shows_status_expiry_and_empty_states(english, coordinator):
    english.force_login(coordinator)
    content = english.get("/members/").content.decode()
    certificate = coordinator.current_certificate()
    assert certificate.valid_until.strftime("%Y-%m-%d") in content
    assert "status--valid" in content
    assert "No national notices have been published yet." in content
    assert "No questionnaire is open for you at the moment." in content
    assert "You have not submitted any case study yet." in content


@pytest.fixture
def english(client):
    client.cookies["portal_language"] = "en"
    return client


def _freeze_today(monkeypatch, day):
    from django.utils import timezone

    original = timezone.localdate

    def localdate(value=None, timezone=None):
        if value is None and timezone is None:
            return day
        return original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def test_members_page_warns_when_expiry_is_near(english, make_user, issue_certificate, monkeypatch):
    user = make_user("soon")
    issue_certificate(user, datetime.date(2024, 10, 1))  # valid to 2028-03-31
    english.force_login(user)
    _freeze_today(monkeypatch, datetime.date(2027, 12, 1))
    assert "expires in" not in english.get("/members/").content.decode()
    _freeze_today(monkeypatch, datetime.date(2028, 2, 1))
    assert "Your certificate expires in 59 days." in english.get("/members/").content.decode()
    _freeze_today(monkeypatch, datetime.date(2028, 3, 31))
    assert "Your certificate expires in 0 days." in english.get("/members/").content.decode()
    _freeze_today(monkeypatch, datetime.date(2028, 4, 1))
    assert english.get("/members/").status_code == 403
