from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.accounts.gate import Access

from ..selectors.submission import member_home_cases
from ..services import submission


@hooks.register("register_log_actions")
def register_submission_log_actions(actions):
    actions.register_action(
        submission.CASE_DRAFT_SAVE, _("Case study draft saved"), _("Saved a case study draft")
    )
    actions.register_action(
        submission.CASE_SUBMIT,
        _("Case study sent by its author"),
        _("Sent a case study for review"),
    )


@hooks.register("construct_member_home")
def own_cases_on_member_home(user, context):
    if context.get("access") is Access.ADMIT:
        context["own_cases"] = member_home_cases(user)
