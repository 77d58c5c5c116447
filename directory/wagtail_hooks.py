import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import ModelLogEntry
from wagtail.snippets.models import register_snippet

from . import services
from .models import Partner
from .services import PARTNER_SUGGEST
from .viewsets import PartnerViewSet


@hooks.register("register_log_actions")
def register_directory_log_actions(actions):
    actions.register_action(
        services.CONSENT_GRANT, _("Directory consent given"), _("Gave consent to be listed")
    )
    actions.register_action(
        services.CONSENT_WITHDRAW,
        _("Directory consent withdrawn"),
        _("Withdrew consent to be listed"),
    )
    actions.register_action(
        services.PROFILE_UPDATE, _("Profile updated"), _("Updated their profile")
    )
    actions.register_action(
        services.PROFILE_EXPORT, _("Own data exported"), _("Downloaded their own data")
    )
    actions.register_action(
        services.RELAY_SEND, _("Directory message sent"), _("Sent a message through the directory")
    )
    actions.register_action(
        PARTNER_SUGGEST, _("Partner suggested"), _("Suggested a partner or a correction")
    )
    actions.register_action(
        services.VIEW_CAP,
        _("Directory view limit reached"),
        _("Reached the daily limit of profile views"),
    )


register_snippet(PartnerViewSet)


@hooks.register("construct_snippet_action_menu")
def partners_publish_through_review(menu_items, request, context):
    """Only administrators publish partners directly; editors' changes go through review."""
    if context.get("model") is not Partner or request.user.has_perm("directory.delete_partner"):
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


class ViewCapAlertsPanel(Component):
    """Administrators' home panel: members who reached the daily profile-view limit."""

    name = "directory_view_cap_alerts"
    order = 50
    template_name = "directory/admin/view_cap_panel.html"

    def get_context_data(self, parent_context=None):
        since = timezone.now() - datetime.timedelta(days=7)
        entries = (
            ModelLogEntry.objects.filter(action=services.VIEW_CAP, timestamp__gte=since)
            .select_related("user")
            .order_by("-timestamp")[:20]
        )
        return {"entries": entries}


@hooks.register("construct_homepage_panels")
def add_view_cap_alerts(request, panels):
    if request.user.has_perm("directory.view_consent"):
        panels.append(ViewCapAlertsPanel())
