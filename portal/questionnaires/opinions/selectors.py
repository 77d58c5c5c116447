"""Reads of the opinion box: the answers members may read, a member's own opinions, and the
staff listing.

Members never read another member's original text or who sent an opinion: the public listing
loads only the summary and the answer that staff wrote, with the category and the field.
"""

from django.db.models import Q, QuerySet

from portal.accounts import roles
from portal.accounts.gate import is_staff_member

from ..models import Opinion, OpinionStatus

# Roles that triage the opinion box in the admin (superusers too).
TRIAGE_ROLES = (roles.AGENCY_EDITOR, roles.ADMINISTRATOR)

# Statuses under which an opinion with a summary and an answer is shown to members.
PUBLIC_STATUSES = (OpinionStatus.ANSWERED, OpinionStatus.CLOSED)

# The only columns the members' listing reads.
PUBLIC_COLUMNS = (
    "pk",
    "category",
    "status",
    "public_summary",
    "public_answer",
    "answered_at",
    "created_on",
    "field__id",
    "field__name_ja",
    "field__name_en",
)

_TRIAGE_CACHE = "_portal_may_triage_opinions"


def may_triage_opinions(user) -> bool:
    """Agency editors and administrators (and superusers) who may use the admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, _TRIAGE_CACHE, None)
    if cached is None:
        cached = is_staff_member(user) and (
            user.is_superuser or user.groups.filter(name__in=TRIAGE_ROLES).exists()
        )
        setattr(user, _TRIAGE_CACHE, cached)
    return cached


def opinion_triagers() -> QuerySet:
    """Every user who may triage the opinion box."""
    from portal.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=TRIAGE_ROLES))
        .distinct()
    )


def public_opinion_filter() -> Q:
    return (
        Q(status__in=PUBLIC_STATUSES)
        & ~Q(public_summary__regex=r"^\s*$")
        & ~Q(public_answer__regex=r"^\s*$")
    )


def public_opinions(*, category: str | None = None, field: int | None = None) -> QuerySet:
    """Answered opinions members may read, newest answer first, without the original text
    or the author."""
    queryset = (
        Opinion.objects.filter(public_opinion_filter())
        .select_related("field")
        .only(*PUBLIC_COLUMNS)
    )
    if category:
        queryset = queryset.filter(category=category)
    if field:
        queryset = queryset.filter(field_id=field)
    return queryset.order_by("-answered_at", "-created_on", "-pk")


def own_opinions(user) -> QuerySet:
    """The opinions ``user`` sent under their name (anonymous ones have no author)."""
    if not user.is_authenticated:
        return Opinion.objects.none()
    return (
        Opinion.objects.filter(author=user)
        .select_related("field", "prefecture")
        .defer("staff_note")
        .order_by("-created_on", "-pk")
    )


def opinions_for_staff() -> QuerySet:
    """Every opinion, with what the triage listing shows, in one query per page."""
    return Opinion.objects.select_related("author", "field", "prefecture").order_by(
        "-created_on", "-pk"
    )
