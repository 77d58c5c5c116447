"""Development settings: ``make run`` uses these."""

from .base import *

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-5f1c0e9e1b7a4c2d")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
