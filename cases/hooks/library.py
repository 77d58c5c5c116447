from wagtail import hooks

from ..models import CaseIndexPage
from ..services.library import assign_case_moderation


@hooks.register("after_create_page")
def case_library_gets_its_workflow(request, page):
    if page.specific_class is CaseIndexPage:
        assign_case_moderation(page)
