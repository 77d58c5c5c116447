"""Reads for the weekly e-mail digest."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail import hooks

from portal.accounts.gate import Access, member_access
from portal.accounts.roles import COORDINATOR

from ..models import DigestFrequency, NewsletterIssuePage


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # absolute
    summary: str = ""


@dataclass(frozen=True)
class DigestSection:
    key: str
    heading: str
    items: list


def last_week(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday–Sunday week before the week of ``on``: the period a digest sent on ``on``
    covers. Running the command twice in one week gives the same period, so it sends once."""
    this_monday = on - datetime.timedelta(days=on.weekday())
    start = this_monday - datetime.timedelta(days=7)
    return start, this_monday - datetime.timedelta(days=1)


def subscribers():
    """Active coordinators who chose the weekly digest (their certificate is checked per user)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=COORDINATOR,
            digest_subscription__frequency=DigestFrequency.WEEKLY,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _absolute(url: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def _published_in(queryset, start: datetime.date, end: datetime.date):
    return queryset.filter(
        first_published_at__date__gte=start, first_published_at__date__lte=end
    ).order_by("first_published_at", "pk")


def digest_sections(user, start: datetime.date, end: datetime.date) -> list[DigestSection]:
    """What was published in the period that ``user`` may see, by kind, in the active language.

    Other features add sections through the ``construct_digest`` hook:
    ``fn(user, start, end, sections)`` appends ``DigestSection`` rows."""
    from django.utils.translation import gettext as _

    from .notices import visible_notices

    if member_access(user) is not Access.ADMIT:
        return []
    notices = _published_in(visible_notices(user), start, end)
    issues = _published_in(NewsletterIssuePage.objects.live().public(), start, end)
    sections = [
        DigestSection(
            "notices",
            _("National notices"),
            [
                DigestItem(n.title, _absolute(n.url), n.localized_summary)
                for n in notices.specific()
            ],
        ),
        DigestSection(
            "newsletters",
            _("Newsletters"),
            [DigestItem(i.title, _absolute(i.url), i.lead) for i in issues.specific()],
        ),
    ]
    for fn in hooks.get_hooks("construct_digest"):
        fn(user, start, end, sections)
    return [section for section in sections if section.items]
