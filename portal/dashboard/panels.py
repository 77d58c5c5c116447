"""Summary panels on the admin home: the register today (administrators and agency editors) and
the moderation of case studies (also moderators). Each links to its part of the dashboard."""

from __future__ import annotations

import datetime

from django.urls import reverse
from wagtail.admin.ui.components import Component

from portal.accounts.models import today

from .filters import Filters
from .selectors import cases, coordinators

DECISION_DAYS = 365


class CoordinatorSummaryPanel(Component):
    name = "dashboard_coordinators"
    order = 40
    template_name = "dashboard/panels/coordinators.html"

    def get_context_data(self, parent_context=None):
        filters = Filters()
        status = coordinators.status_counts(filters)
        consent = coordinators.consent_counts(filters)
        return {
            "status": status,
            "valid": status[coordinators.VALID] + status[coordinators.EXPIRING],
            "warning_days": coordinators.warning_days(),
            "directory": consent["directory"][coordinators.CONSENT_GRANTED],
            "public": consent["public"][coordinators.CONSENT_GRANTED],
            "url": reverse("dashboard_overview"),
        }


class CaseSummaryPanel(Component):
    name = "dashboard_cases"
    order = 45
    template_name = "dashboard/panels/cases.html"

    def get_context_data(self, parent_context=None):
        states = cases.state_counts()
        since = today() - datetime.timedelta(days=DECISION_DAYS)
        return {
            "in_review": states.get("in_review", 0),
            "changes_requested": states.get("changes_requested", 0),
            "published": states.get("published", 0),
            "median_days": cases.median_days(Filters(date_from=since)),
            "days": DECISION_DAYS,
            "url": reverse("dashboard_cases"),
        }
