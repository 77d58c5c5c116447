"""Invitation e-mails for holders a register import created: a link to choose a password."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import User

BATCH = 500


def invitation_message(user: User, connection=None) -> EmailMultiAlternatives:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    link = base + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": link, "login_url": base + reverse("accounts:login")}
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    return EmailMultiAlternatives(subject, body, to=[user.email], connection=connection)


def send_invitations(users: Iterable[User]) -> int:
    """Send each new holder a link to choose a password; returns the number sent."""
    connection = get_connection()
    sent = 0
    batch = []
    for user in users.iterator(chunk_size=BATCH) if hasattr(users, "iterator") else users:
        batch.append(invitation_message(user, connection))
        if len(batch) >= BATCH:
            sent += connection.send_messages(batch) or 0
            batch = []
    if batch:
        sent += connection.send_messages(batch) or 0
    return sent
