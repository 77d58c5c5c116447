import re

import pytest
from django.conf import settings
from django.core import mail
from wagtail.models import ModelLogEntry

from portal import audit

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _actions(user):
    return list(
        ModelLogEntry.objects.for_instance(user).order_by("pk").values_list("action", flat=True)
    )


def test_login_form_uses_standard_fields_and_csrf(client):
    content = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert "csrfmiddlewaretoken" in content
    assert '<label for="id_username"' in content


def test_login_and_logout_are_audited(client, coordinator):
    response = client.post("/accounts/login/", {"username": "coord", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/members/").status_code == 302
    assert _actions(coordinator)[-2:] == [audit.LOGIN, audit.LOGOUT]
    entry = ModelLogEntry.objects.filter(action=audit.LOGIN).latest("pk")
    assert entry.user_id == coordinator.pk
    assert entry.data["ip"] == "127.0.0.1"


def test_failed_login_shows_an_error_and_is_audited(client, coordinator):
    response = client.post(
        "/accounts/login/", {"username": "coord", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert _actions(coordinator)[-1] == audit.LOGIN_FAILED


def test_logout_needs_post(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/members/").status_code == 200


def test_expired_coordinator_can_still_log_in(client, expired_coordinator):
    response = client.post(
        "/accounts/login/", {"username": "lapsed", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 403
    assert response.templates[0].name == "accounts/renewal_required.html"


def test_password_reset_by_email(client, coordinator):
    response = client.post("/accounts/password/reset/", {"email": "COORD@example.jp"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord@example.jp"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="coord", password="a-new-long-passphrase")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, coordinator):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.jp"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_default_language_is_japanese(client):
    content = client.get("/").content.decode()
    assert '<html lang="ja">' in content


def test_accept_language_english(client):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content
    assert "Skip to main content" in content


def test_language_switch_sets_cookie_and_profile(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post("/accounts/language/", {"language": "en", "next": "/members/"})
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"
    assert '<html lang="en">' in client.get("/members/").content.decode()
    assert _actions(coordinator)[-1] == audit.LANGUAGE_CHANGE


def test_profile_language_applies_in_a_new_browser(client, coordinator):
    coordinator.preferred_language = "en"
    coordinator.save()
    client.force_login(coordinator)
    assert '<html lang="en">' in client.get("/members/").content.decode()


def test_login_carries_the_profile_language_into_the_cookie(client, coordinator):
    coordinator.preferred_language = "en"
    coordinator.save()
    response = client.post("/accounts/login/", {"username": "coord", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_language_switch_for_anonymous_visitor_and_bad_input(client):
    response = client.post(
        "/accounts/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_urls_have_no_language_prefix(client):
    assert client.get("/en/").status_code == 404
    assert client.get("/accounts/login/").status_code == 200
