"""Test settings: PostgreSQL when DATABASE_URL is given (``make test``), SQLite otherwise."""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret-0c4f6c7b2e"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": False,
    }
}
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["loggers"]["portal"]["level"] = "WARNING"
PORTAL_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")
