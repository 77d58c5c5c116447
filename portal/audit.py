"""One entry point for audit entries, stored in Wagtail's log (Reports → Site history).

Actions are registered with labels in ``portal/wagtail_hooks.py``.
"""

from typing import Any

from django.db import models
from wagtail.log_actions import log

LOGIN = "portal.login"
LOGIN_FAILED = "portal.login_failed"
LOGOUT = "portal.logout"
LANGUAGE_CHANGE = "portal.language_change"
CERTIFICATE_ISSUE = "portal.certificate_issue"
CERTIFICATE_RENEW = "portal.certificate_renew"
CERTIFICATE_REVOKE = "portal.certificate_revoke"
DISQUALIFICATION_RECORD = "portal.disqualification_record"
VERIFICATION_NAME = "portal.verification_name"
REGISTER_IMPORT = "portal.register_import"
REGISTER_EXPORT = "portal.register_export"
DEMO_SEED = "portal.demo_seed"


def audit(instance: models.Model, action: str, *, user=None, data: dict[str, Any] | None = None):
    """Record ``action`` on ``instance`` by ``user`` with optional JSON-serialisable ``data``."""
    return log(instance, action, user=user, data=data or {})
