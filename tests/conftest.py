import datetime
import itertools
import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from portal.accounts import roles, services
from portal.accounts.models import User, today

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start each test from an empty cache (directory listings and throttles live there)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _expected_database(django_db_setup, django_db_blocker):
    """Fail loudly if the suite runs on another database than the runner promised."""
    expected = os.environ.get("PORTAL_TEST_EXPECT_DB")
    if expected:
        assert connection.vendor == expected, (
            f"tests expected {expected} but run on {connection.vendor}"
        )


def _user(username, role=None, **fields):
    user = User.objects.create_user(
        username=username,
        password="correct horse battery",
        email=fields.pop("email", f"{username}@example.jp"),
        last_name=fields.pop("last_name", "試験"),
        first_name=fields.pop("first_name", username),
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _certificate(user, issued_on, **kwargs):
    return services.certificate_issue(
        holder=user, number=f"T-{next(_numbers):05d}", issued_on=issued_on, **kwargs
    )


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def issue_certificate(db):
    return _certificate


@pytest.fixture
def coordinator(db):
    user = _user("coord", roles.COORDINATOR, family_name_romaji="Shiken", given_name_romaji="Aya")
    _certificate(user, today() - datetime.timedelta(days=30))
    return user


@pytest.fixture
def expired_coordinator(db):
    user = _user("lapsed", roles.COORDINATOR)
    _certificate(user, datetime.date(2019, 6, 1))  # FY2019 -> valid to 2023-03-31
    return user


@pytest.fixture
def revoked_coordinator(db):
    user = _user("revoked", roles.COORDINATOR)
    certificate = _certificate(user, today() - datetime.timedelta(days=400))
    certificate.revoked_on = today() - datetime.timedelta(days=2)
    certificate.revocation_reason = "Ground for disqualification found"
    certificate.save()
    return user


@pytest.fixture
def editor(db):
    return _user("agency-editor", roles.AGENCY_EDITOR)


@pytest.fixture
def moderator(db):
    return _user("case-moderator", roles.MODERATOR)


@pytest.fixture
def administrator(db):
    return _user("portal-admin", roles.ADMINISTRATOR)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
