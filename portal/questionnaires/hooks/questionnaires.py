from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..selectors import open_questionnaires_for_home
from ..services import QUESTIONNAIRE_REMIND, QUESTIONNAIRE_ROSTER


@hooks.register("register_log_actions")
def questionnaire_log_actions(actions):
    actions.register_action(
        QUESTIONNAIRE_ROSTER, _("Fix questionnaire audience"), _("Audience fixed")
    )
    actions.register_action(
        QUESTIONNAIRE_REMIND, _("Send questionnaire reminders"), _("Reminders sent")
    )


hooks.register("construct_member_home", open_questionnaires_for_home)
