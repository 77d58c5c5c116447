import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code, **env):
    """Run ``code`` in a fresh interpreter with a clean settings environment plus ``env``."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PORTAL_ELASTICSEARCH_URL") and not k.startswith("DJANGO_")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _import_settings(module, **env):
    return _run(f"import {module} as s; print(s.DATABASES['default']['ENGINE'])", **env)


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


def _setting(expression, **env):
    """Evaluate ``expression`` on the dev settings under ``env``."""
    result = _run(f"import portal.settings.dev as s; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_database_url_selects_postgresql_and_default_is_sqlite():
    engine = "s.DATABASES['default']['ENGINE']"
    assert _setting(engine) == "django.db.backends.sqlite3"
    url = "postgres://u:p@127.0.0.1:5432/portal"
    assert _setting(engine, DATABASE_URL=url) == "django.db.backends.postgresql"


def test_elasticsearch_is_used_only_when_configured():
    backend = "s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']"
    assert _setting(backend) == "search.backends.database"
    es = _setting(backend, PORTAL_ELASTICSEARCH_URL="http://127.0.0.1:9200")
    assert es == "search.backends.elasticsearch"
