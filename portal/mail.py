"""Links and e-mails that leave the site: absolute URLs, messages in the recipient's language,
and sending once the transaction commits."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("portal.mail")


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``PORTAL_BASE_URL``); a full URL is kept."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def localized_message(recipient, template: str, context: dict) -> EmailMessage:
    """``<template>_subject.txt`` and ``<template>.txt`` rendered in the recipient's language,
    addressed to them (the subject on one line)."""
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    context = {**context, "recipient": recipient}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(
        " ".join(subject.split()),
        body,
        to=[recipient.email],
        headers={"Content-Language": language},
    )


def send_on_commit(message: EmailMessage, what: str) -> None:
    """Send ``message`` once the transaction commits (nothing for a change rolled back). A mail
    server failure is logged and never undoes the change."""
    transaction.on_commit(partial(_deliver, message, what))


def _deliver(message: EmailMessage, what: str) -> None:
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s e-mail to %s", what, message.to)
