from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import audit


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action(audit.LOGIN, _("Log in"), _("Logged in"))
    actions.register_action(audit.LOGIN_FAILED, _("Failed login"), _("Failed login attempt"))
    actions.register_action(audit.LOGOUT, _("Log out"), _("Logged out"))
    actions.register_action(audit.LANGUAGE_CHANGE, _("Language change"), _("Changed language"))
    actions.register_action(
        audit.CERTIFICATE_ISSUE, _("Certificate issued"), _("Certificate issued")
    )
    actions.register_action(
        audit.CERTIFICATE_RENEW, _("Certificate renewed"), _("Certificate renewed")
    )
    actions.register_action(
        audit.CERTIFICATE_REVOKE, _("Certificate revoked"), _("Certificate revoked")
    )
    actions.register_action(
        audit.DISQUALIFICATION_RECORD,
        _("Disqualification recorded"),
        _("Disqualification recorded"),
    )
    actions.register_action(
        audit.VERIFICATION_NAME,
        _("Verification name setting"),
        _("Changed whether the name shows on the verification page"),
    )
    actions.register_action(audit.REGISTER_IMPORT, _("Register imported"), _("Register imported"))
    actions.register_action(audit.REGISTER_EXPORT, _("Register exported"), _("Register exported"))
    actions.register_action(audit.DEMO_SEED, _("Demo data loaded"), _("Demo data loaded"))
