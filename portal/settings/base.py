"""Settings shared by every environment.

Environment variables read here:
- ``DATABASE_URL``: a database URL; unset means the SQLite file ``db.sqlite3`` in the project root.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``PORTAL_ELASTICSEARCH_URL``: an Elasticsearch URL; unset means database search.
  ``PORTAL_ELASTICSEARCH_INDEX`` (index name prefix, default ``portal``) and
  ``PORTAL_ELASTICSEARCH_KUROMOJI`` (``1`` when the analysis-kuromoji plugin is installed) go with it.
- ``PORTAL_BASE_URL``: absolute URL of the site, used in e-mails and admin notifications.
- ``DEFAULT_FROM_EMAIL`` and ``EMAIL_*``: outgoing mail (see production.py).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    # Project packages (portal/*) first so their templates win.
    "portal",
    "portal.accounts",
    "portal.taxonomy",
    "portal.home",
    "portal.questionnaires",
    "portal.dashboard",
    # Domain apps.
    "directory",
    "newsletters",
    "workshops",
    "cases",
    "search",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "django.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.accounts.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The portal's statements are short; PostgreSQL's JIT compilation (on by default above a plan
    # cost that a search over a large index reaches) costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian: no placeholder "AnonymousUser" row in the user table.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "members"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days

# Internationalisation: Japanese first, English second; no language prefix in URLs.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = _("Support Coordinator Portal")
# Absolute address of the site, used in e-mails, feeds and admin notifications.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
# Documents are streamed by a view that applies collection privacy and the member gate.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = True
WAGTAILUSERS_PASSWORD_REQUIRED = True
# Staff log in through the same form as coordinators, so every login is audited in one place.
WAGTAILADMIN_LOGIN_URL = "accounts:login"
# Workflow e-mails go to the groups of each task only: a superuser has no reason to learn who
# submitted an anonymous case study.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_USER_EDIT_FORM = "portal.accounts.forms.PortalUserEditForm"
WAGTAIL_USER_CREATION_FORM = "portal.accounts.forms.PortalUserCreationForm"
WAGTAIL_USER_CUSTOM_FIELDS = [
    "name_kanji",
    "name_kana",
    "name_romaji",
    "preferred_language",
]

# Search: the portal's database backend (search.backends, Japanese-aware) unless an Elasticsearch
# URL is configured.
PORTAL_ELASTICSEARCH_URL = os.environ.get("PORTAL_ELASTICSEARCH_URL", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
if PORTAL_ELASTICSEARCH_URL:
    # Elasticsearch answers; the database index is kept up to date next to it ("database": Wagtail
    # updates every listed backend) and answers when Elasticsearch is unreachable
    # (search.backends.fallback). Failed Elasticsearch updates are queued for
    # ``manage.py search_reindex_pending``; no retries and a short timeout bound a save meanwhile.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [PORTAL_ELASTICSEARCH_URL],
            "INDEX": os.environ.get("PORTAL_ELASTICSEARCH_INDEX", "portal"),
            "TIMEOUT": 5,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            # The analysis-kuromoji plugin adds morphological ranking; bigrams work without it.
            "KUROMOJI": os.environ.get("PORTAL_ELASTICSEARCH_KUROMOJI", "") in ("1", "true", "yes"),
        },
        "database": WAGTAILSEARCH_BACKENDS["default"],
    }

# Background tasks (Wagtail 8 uses django-tasks): run immediately unless configured otherwise.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# E-mail
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@example.jp")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Portal
PORTAL_DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "portal-demo")
# Days before a certificate's end date from which members see an expiry warning.
PORTAL_CERTIFICATE_WARNING_DAYS = 90

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "portal": {"handlers": ["console"], "level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
    },
}
# Lookups per client per window (seconds) on /verify/: numbers cannot be enumerated.
PORTAL_VERIFY_RATE = (30, 600)

# No avatar requests to outside services (privacy, and the site works offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Directory: profile pages a member may open per day, and contact-relay messages per sender per hour.
PORTAL_DIRECTORY_DAILY_VIEWS = 200
PORTAL_RELAY_PER_HOUR = 5

# Notices: days after publication before members who have not confirmed an important notice get
# one reminder e-mail (manage.py send_notice_reminders).
PORTAL_NOTICE_REMINDER_DAYS = int(os.environ.get("PORTAL_NOTICE_REMINDER_DAYS", "7"))
# Questionnaire reminders go to non-respondents this many days before closing.
PORTAL_QUESTIONNAIRE_REMINDER_DAYS = int(os.environ.get("PORTAL_QUESTIONNAIRE_REMINDER_DAYS", "3"))

# Files that must never be served directly (coordinators' photos): outside MEDIA_ROOT.
PORTAL_PRIVATE_MEDIA_ROOT = os.environ.get(
    "PORTAL_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")
)
