"""Wagtail hooks of national notices: audit actions, the admin report and the member start page."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from portal.accounts.gate import is_staff_member

from ..models import NoticePage
from ..selectors.notices import member_home_notices
from ..services import notices as services
from ..views import notices as views


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action(
        services.NOTICE_ACKNOWLEDGE, _("Notice confirmed"), _("Confirmed reading the notice")
    )
    actions.register_action(
        services.NOTICE_REMIND,
        _("Notice reminders sent"),
        _("Reminders sent to members who have not confirmed the notice"),
    )
    actions.register_action(
        services.NOTICE_ACKNOWLEDGEMENT_EXPORT,
        _("Notice confirmations exported"),
        _("Downloaded the confirmations of the notice"),
    )
    actions.register_action(
        services.FEED_TOKEN_REVOKE,
        _("Feed address replaced"),
        _("Replaced their personal notice feed address"),
    )


@hooks.register("register_admin_urls")
def notice_admin_urls():
    return [
        path(
            "notices/<int:page_id>/acknowledgements/",
            views.acknowledgement_report_view,
            name="notice_acknowledgements",
        )
    ]


def _report_button(page, user, priority):
    if (
        isinstance(page, NoticePage)
        and page.requires_acknowledgement
        and page.first_published_at is not None
        and is_staff_member(user)
    ):
        yield Button(
            _("Confirmations of reading"),
            reverse("notice_acknowledgements", args=[page.pk]),
            icon_name="tick-inverse",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def notice_report_header_button(page, user, view_name=None, next_url=None):
    yield from _report_button(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def notice_report_listing_button(page, user, next_url=None):
    yield from _report_button(page, user, priority=45)


@hooks.register("construct_member_home")
def notices_on_member_home(user, context):
    context["new_notices"] = member_home_notices(user, context.get("access"))
