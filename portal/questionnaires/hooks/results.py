"""Admin registrations of questionnaire results: URLs, the "Results" button on questionnaire
pages (page header and the page listing's "more" menu) and the audit actions of exports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .. import admin_views
from ..models import QuestionnairePage
from ..results.access import may_view_results


@hooks.register("register_admin_urls")
def questionnaire_results_urls():
    return [
        path(
            "questionnaires/<int:pk>/results/",
            admin_views.results_view,
            name="questionnaires_results",
        ),
        path(
            "questionnaires/<int:pk>/results.csv",
            admin_views.results_csv_view,
            name="questionnaires_results_csv",
        ),
        path(
            "questionnaires/<int:pk>/results.xlsx",
            admin_views.results_xlsx_view,
            name="questionnaires_results_xlsx",
        ),
        path(
            "questionnaires/<int:pk>/raw.csv",
            admin_views.raw_csv_view,
            name="questionnaires_raw_csv",
        ),
        path(
            "questionnaires/<int:pk>/raw.xlsx",
            admin_views.raw_xlsx_view,
            name="questionnaires_raw_xlsx",
        ),
    ]


def _results_button(page, user, priority):
    if not issubclass(page.specific_class or type(page), QuestionnairePage):
        return
    if not may_view_results(user):
        return
    yield Button(
        _("Results"),
        reverse("questionnaires_results", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def questionnaire_results_header_button(page, user, view_name=None, next_url=None):
    yield from _results_button(page, user, priority=75)


@hooks.register("register_page_listing_more_buttons")
def questionnaire_results_listing_button(page, user, next_url=None):
    yield from _results_button(page, user, priority=45)


@hooks.register("register_log_actions")
def questionnaire_results_log_actions(actions):
    actions.register_action(
        admin_views.EXPORT_RESULTS,
        _("Questionnaire results exported"),
        _("Downloaded the aggregated results of the questionnaire"),
    )
    actions.register_action(
        admin_views.EXPORT_RAW,
        _("Questionnaire responses exported"),
        _("Downloaded the raw responses of the questionnaire"),
    )
