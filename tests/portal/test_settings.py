import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(module, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(
        "portal.settings.production", DJANGO_ALLOWED_HOSTS="portal.example.jp"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _import_settings(
        "portal.settings.production",
        DJANGO_SECRET_KEY="k" * 64,
        DJANGO_ALLOWED_HOSTS="portal.example.jp",
    )
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql_and_default_is_sqlite():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    default = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings.dev as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert default.stdout.strip() == "django.db.backends.sqlite3"
    env["DATABASE_URL"] = "postgres://u:p@127.0.0.1:5432/portal"
    pg = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings.dev as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert pg.stdout.strip() == "django.db.backends.postgresql"


def test_elasticsearch_is_used_only_when_configured():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_ELASTICSEARCH_URL"}
    code = "import portal.settings.dev as s; print(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])"
    run = lambda e: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], cwd=ROOT, env=e, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert run(env) == "wagtail.search.backends.database"
    assert run({**env, "PORTAL_ELASTICSEARCH_URL": "http://127.0.0.1:9200"}).endswith(
        "elasticsearch9"
    )
