from wagtail import hooks

from ..models import CaseIndexPage
from ..services.library import assign_case_moderation


@hooks.register("after_create_page")
def case_library_gets_its_workflow(request, page):
    if page.specific_class is CaseIndexPage:
        assign_case_moderation(page)


@hooks.register("construct_digest")
def case_studies_in_digest(user, start, end, sections):
    """The digest's *Case studies* section: cases first published in the period, with title,
    summary and link (never the author)."""
    from django.utils.translation import gettext

    from newsletters.selectors.digests import DigestItem, DigestSection

    from ..selectors.library import digest_cases

    items = [
        DigestItem(title, url, summary) for title, url, summary in digest_cases(user, start, end)
    ]
    sections.append(DigestSection("cases", gettext("Case studies"), items))


@hooks.register("construct_own_data")
def own_cases_in_export(user, data):
    """The author's own cases, drafts included, in their own-data export."""
    from ..selectors.library import own_cases_data

    data["cases"] = own_cases_data(user)
