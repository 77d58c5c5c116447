"""Smoke tests for the embedded default: they also run on their own against SQLite."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.smoke


@pytest.mark.django_db
def test_seeded_site_renders_home_and_login(client):
    call_command("seed_demo", stdout=io.StringIO())
    home = client.get("/")
    assert home.status_code == 200
    assert "支援コーディネーターポータル" in home.content.decode()
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert client.login(username="coordinator", password="portal-demo")
    assert client.get("/members/").status_code == 200


def test_make_run_path_on_a_fresh_sqlite_file(tmp_path):
    """migrate + seed_demo with the development settings on a new SQLite file, as `make run` does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
    )
    for args in (["migrate", "--noinput"], ["seed_demo"], ["check"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    assert "coordinator" in result.stdout or (tmp_path / "fresh.sqlite3").stat().st_size > 0


@pytest.mark.django_db
def test_search_survives_a_table_wide_delete_of_its_index_in_either_order():
    """``manage.py flush`` empties the index tables in no fixed order; on SQLite the full-text
    table may go first, and the entries' delete trigger must then leave it intact."""
    from django.db import connection
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    from portal.home.models import StandardPage

    root = Page.objects.get(depth=1)
    root.add_child(instance=StandardPage(title="在留資格の案内", slug="smoke-old"))
    tables = [IndexEntry._meta.db_table]
    if connection.vendor == "sqlite":
        tables.insert(0, f"{IndexEntry._meta.db_table}_fts")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - model table names
    fresh = root.add_child(instance=StandardPage(title="在留資格の更新", slug="smoke-new"))
    assert [page.pk for page in StandardPage.objects.search("在留資格")] == [fresh.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {tables[0]}({tables[0]}) VALUES ('integrity-check')")  # noqa: S608
