"""Reads of the case moderation: who moderates, what blocks an approval, and the anonymisation
report moderators read in the admin."""

from django.contrib.auth import get_user_model

from portal.accounts.roles import ADMINISTRATOR, MODERATOR, STAFF_ROLES

from ..models import Attribution, CaseStudyPage
from .anonymisation import case_findings, open_findings


def _in_groups(user, names) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=names).exists()


def is_case_moderator(user) -> bool:
    """Moderators (and superusers) review, unpublish and approve cases."""
    return _in_groups(user, (MODERATOR,))


def may_publish_cases(user) -> bool:
    """Only moderators and administrators ever publish a case; editors and coordinators never."""
    return _in_groups(user, (MODERATOR, ADMINISTRATOR))


def may_read_anonymisation_report(user) -> bool:
    """Staff (moderators, administrators, agency editors) read the anonymisation report."""
    return _in_groups(user, STAFF_ROLES)


def case_moderators():
    """Every active member of the Moderator group: they are told about submitted cases."""
    return (
        get_user_model()
        .objects.filter(groups__name=MODERATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def is_case(page) -> bool:
    return page is not None and issubclass(page.specific_class or type(page), CaseStudyPage)


def latest_case(page) -> CaseStudyPage:
    """The case as in its latest revision (what moderators review and approving publishes)."""
    page = page.specific
    if page.latest_revision_id is None and not page.revisions.exists():
        return page
    return page.get_latest_revision_as_object()


def approval_blockers(page) -> list:
    """Open high-severity findings of the latest revision: approving is refused while any is."""
    return open_findings(latest_case(page))


def approval_allowed(page) -> bool:
    return not approval_blockers(page)


def author_shown_to_moderators(case) -> str:
    """The author's name for moderators' e-mails: empty for anonymous cases."""
    if case.attribution != Attribution.NAMED or case.author_id is None:
        return ""
    author = case.author
    return author.get_full_name() or author.get_username()


def anonymisation_report(page) -> dict:
    """The findings of the latest revision, for the admin report."""
    case = latest_case(page)
    findings = case_findings(case)
    return {
        "case": case,
        "findings": findings,
        "open_count": sum(finding.is_open for finding in findings),
        "high_count": sum(finding.is_high for finding in findings),
    }
