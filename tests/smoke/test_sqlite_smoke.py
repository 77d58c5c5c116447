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
