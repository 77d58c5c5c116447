"""Admin registrations of the opinion box: its permission policy, triage viewset and audit
actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from ..models import Opinion
from ..opinions import services
from ..opinions.viewsets import OpinionPermissionPolicy, OpinionViewSet

# Registered before anything asks Wagtail for the model's policy.
register_permission_policy(Opinion, OpinionPermissionPolicy(Opinion))


@hooks.register("register_admin_viewset")
def register_opinion_viewset():
    return OpinionViewSet()


@hooks.register("register_log_actions")
def register_opinion_log_actions(actions):
    actions.register_action(
        services.OPINION_SUBMIT, _("Opinion sent"), _("Sent an opinion to the opinion box")
    )
    actions.register_action(
        services.OPINION_TRIAGE, _("Opinion triaged"), _("Changed the triage of an opinion")
    )
