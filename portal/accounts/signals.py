"""Login, logout and failed-login receivers: each one writes an audit entry."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal import audit

from . import services


@receiver(user_logged_in, dispatch_uid="portal_audit_login")
def audit_login(sender, request, user, **kwargs):
    services.login_audit(user, request, action=audit.LOGIN)


@receiver(user_logged_out, dispatch_uid="portal_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        services.login_audit(user, request, action=audit.LOGOUT)


@receiver(user_login_failed, dispatch_uid="portal_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    services.login_failed_audit(credentials.get("username", ""), request)
