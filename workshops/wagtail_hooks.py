from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import services


@hooks.register("register_log_actions")
def register_workshop_log_actions(actions):
    actions.register_action(
        services.REGISTER, _("Workshop registration"), _("Registered for a workshop")
    )
    actions.register_action(
        services.CANCEL, _("Workshop cancellation"), _("Cancelled a workshop registration")
    )
    actions.register_action(
        services.PROMOTE,
        _("Workshop waiting list moved up"),
        _("Moved up from the waiting list to a seat"),
    )
    actions.register_action(
        services.EXPORT, _("Workshop attendees exported"), _("Downloaded the attendee list")
    )
