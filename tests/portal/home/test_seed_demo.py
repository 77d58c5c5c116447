import io

import pytest
from django.apps import apps
from django.core.management import call_command

from portal.accounts.models import CertificateStatus, User

pytestmark = pytest.mark.django_db

SNAPSHOT_MODELS = (
    "accounts.User",
    "accounts.Certificate",
    "auth.Group",
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.PageLogEntry",
    "home.SiteSettings",
    "directory.CoordinatorProfile",
    "directory.ProfileField",
    "directory.ProfileLanguage",
    "directory.Consent",
    "directory.Partner",
)


def _snapshot():
    rows = {}
    for label in SNAPSHOT_MODELS:
        model = apps.get_model(label)
        exclude = {"last_login", "updated_at", "latest_revision_created_at"}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        rows[label] = list(model.objects.order_by("pk").values_list(*fields))
    rows["memberships"] = list(
        User.groups.through.objects.order_by("user_id", "group_id").values_list(
            "user_id", "group_id"
        )
    )
    return rows


def test_seed_demo_twice_gives_the_same_rows():
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"admin", "editor", "moderator", "coordinator", "coordinator2", "expired"} <= usernames
    assert len(first["directory.CoordinatorProfile"]) >= 50
    assert len(first["directory.Partner"]) >= 40


def test_demo_accounts_match_their_stories(settings):
    call_command("seed_demo", stdout=io.StringIO())
    named = {"admin", "editor", "moderator", "coordinator", "coordinator2", "expired"}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=named).prefetch_related("groups", "certificates")
    }
    assert set(users) == named
    assert users["coordinator"].certificate_status() == CertificateStatus.VALID
    assert users["coordinator2"].certificate_status() == CertificateStatus.VALID
    assert users["expired"].certificate_status() == CertificateStatus.EXPIRED
    assert users["admin"].is_superuser
    assert [g.name for g in users["editor"].groups.all()] == ["Agency editor"]
    assert not users["editor"].certificates.exists()
    for user in users.values():
        assert user.check_password(settings.PORTAL_DEMO_PASSWORD)


def test_seed_demo_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "portal-demo" in out
    for name in ("admin", "editor", "moderator", "coordinator", "coordinator2", "expired"):
        assert name in out


def test_demo_pages_render(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.get("/about-certification/").status_code == 200
    content = client.get("/consent-policy/").content.decode()
    assert "同意" in content
