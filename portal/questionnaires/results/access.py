"""Who may read results: agency editors and administrators (and superusers) read results and
download the aggregated files; only administrators (and superusers) download raw responses.
Moderators and coordinators do neither."""

from __future__ import annotations

from portal.accounts import roles
from portal.accounts.gate import is_staff_member

RESULTS_ROLES = frozenset({roles.AGENCY_EDITOR, roles.ADMINISTRATOR})
RAW_ROLES = frozenset({roles.ADMINISTRATOR})

_CACHE = "_portal_questionnaire_result_roles"


def _roles(user) -> frozenset[str]:
    """The user's result roles, read once per user object."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        names = user.groups.filter(name__in=RESULTS_ROLES).values_list("name", flat=True)
        cached = frozenset(names)
        setattr(user, _CACHE, cached)
    return cached


def _admitted(user, allowed: frozenset[str]) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not is_staff_member(user):
        return False
    return user.is_superuser or bool(_roles(user) & allowed)


def may_view_results(user) -> bool:
    """Results page and aggregated exports."""
    return _admitted(user, RESULTS_ROLES)


def may_export_raw(user) -> bool:
    """Raw responses of identified questionnaires."""
    return _admitted(user, RAW_ROLES)
