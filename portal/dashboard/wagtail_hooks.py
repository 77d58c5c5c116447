"""Admin registrations of the dashboard: URLs, the menu, the summary panels on the admin home
and the audit action of downloads."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views
from .access import may_view, parts_for
from .panels import CaseSummaryPanel, CoordinatorSummaryPanel
from .sections import SECTIONS


@hooks.register("register_admin_urls")
def dashboard_urls():
    return [
        path("dashboard/", admin_views.overview_view, name="dashboard_overview"),
        path("dashboard/cases/", admin_views.cases_view, name="dashboard_cases"),
        path("dashboard/knowledge/", admin_views.knowledge_view, name="dashboard_knowledge"),
        path(
            "dashboard/download/<slug:key>.<str:file_format>",
            admin_views.download_view,
            name="dashboard_download",
        ),
    ]


class PartMenuItem(MenuItem):
    """A part of the dashboard, shown to those who may read it."""

    def __init__(self, section):
        super().__init__(
            section.title,
            reverse(section.url_name),
            name=f"dashboard-{section.part}",
            icon_name=section.icon,
        )
        self.part = section.part

    def is_shown(self, request):
        return may_view(request.user, self.part)


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return SubmenuMenuItem(
        _("Activity dashboard"),
        Menu(items=[PartMenuItem(section) for section in SECTIONS.values()]),
        name="activity-dashboard",
        icon_name="table",
        order=210,
    )


@hooks.register("construct_homepage_panels")
def dashboard_home_panels(request, panels):
    parts = parts_for(request.user)
    if "overview" in parts:
        panels.append(CoordinatorSummaryPanel())
    if "cases" in parts:
        panels.append(CaseSummaryPanel())


@hooks.register("register_log_actions")
def dashboard_log_actions(actions):
    actions.register_action(
        admin_views.DASHBOARD_EXPORT,
        _("Dashboard table downloaded"),
        _("Downloaded a table of the activity dashboard"),
    )
