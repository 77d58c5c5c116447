"""Who reads the dashboard: administrators and agency editors (and superusers) read every part
and download every table; moderators read and download the case-study part only; coordinators,
other staff and anonymous visitors read nothing."""

from __future__ import annotations

from portal.accounts import roles
from portal.accounts.gate import is_staff_member

FULL_ROLES = frozenset({roles.AGENCY_EDITOR, roles.ADMINISTRATOR})
CASE_ROLES = FULL_ROLES | {roles.MODERATOR}

# Parts of the dashboard and the roles that read each.
OVERVIEW = "overview"
CASES = "cases"
KNOWLEDGE = "knowledge"
PART_ROLES = {OVERVIEW: FULL_ROLES, CASES: CASE_ROLES, KNOWLEDGE: FULL_ROLES}

_CACHE = "_portal_dashboard_roles"


def _roles(user) -> frozenset[str]:
    """The user's dashboard roles, read once per user object."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=CASE_ROLES).values_list("name", flat=True))
        setattr(user, _CACHE, cached)
    return cached


def may_view(user, part: str) -> bool:
    """Whether ``user`` may read ``part`` of the dashboard (and download its tables)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not is_staff_member(user):
        return False
    return user.is_superuser or bool(_roles(user) & PART_ROLES[part])


def parts_for(user) -> list[str]:
    """The parts ``user`` may read, in menu order."""
    return [part for part in (OVERVIEW, CASES, KNOWLEDGE) if may_view(user, part)]
