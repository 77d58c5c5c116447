"""Admin views of questionnaire results: the results page, aggregated exports (agency editors
and administrators) and raw responses of identified questionnaires (administrators).

Every download writes an audit entry on the questionnaire page (its history in the admin).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.audit import audit
from portal.spreadsheets import CSV_TYPE, XLSX_TYPE, download

from .models import QuestionnairePage
from .results import exports
from .results.access import may_export_raw, may_view_results
from .results.aggregate import questionnaire_results
from .results.suppression import LEGEND, THRESHOLD
from .services import roster_ensure, roster_taken

EXPORT_RESULTS = "questionnaires.export_results"
EXPORT_RAW = "questionnaires.export_raw"


def forbidden(request):
    """A plain 403 inside the admin (raising ``PermissionDenied`` in an admin view would send
    the user to the dashboard with a message instead)."""
    return TemplateResponse(
        request,
        "questionnaires/results/forbidden.html",
        {"page_title": gettext_lazy("Results"), "header_title": gettext_lazy("Results")},
        status=403,
    )


class ResultsAccessMixin:
    """Checks the role before anything is read, then loads the questionnaire."""

    raw = False

    def dispatch(self, request, *args, **kwargs):
        allowed = may_export_raw if self.raw else may_view_results
        if not allowed(request.user):
            return forbidden(request)
        self.page = get_object_or_404(QuestionnairePage, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def _fix_audience(page) -> None:
    """Rates are counted against the audience fixed at opening: fix it now if the questionnaire
    has opened and nobody has fixed it yet (a member's first visit usually does)."""
    if not roster_taken(page):
        roster_ensure(page)


class ResultsView(ResultsAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "questionnaires/results/results.html"
    header_icon = "table"
    page_title = gettext_lazy("Results")

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page
        _fix_audience(page)
        raw = may_export_raw(self.request.user) and not page.is_anonymous
        context.update(
            page=page,
            results=questionnaire_results(page),
            legend=LEGEND,
            threshold=THRESHOLD,
            csv_url=reverse("questionnaires_results_csv", args=[page.pk]),
            xlsx_url=reverse("questionnaires_results_xlsx", args=[page.pk]),
            raw_csv_url=reverse("questionnaires_raw_csv", args=[page.pk]) if raw else "",
            raw_xlsx_url=reverse("questionnaires_raw_xlsx", args=[page.pk]) if raw else "",
            edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        )
        return context


class ResultsExportView(ResultsAccessMixin, View):
    """Aggregated results, every count under the small-count rule."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        page = self.page
        _fix_audience(page)
        results = questionnaire_results(page, with_texts=False)
        if self.file_format == "xlsx":
            content, content_type = exports.aggregated_xlsx(results), XLSX_TYPE
        else:
            content, content_type = exports.aggregated_csv(results), CSV_TYPE
        audit(
            page,
            EXPORT_RESULTS,
            user=request.user,
            data={
                "format": self.file_format,
                "kind": "aggregated",
                "questions": len(results.questions),
            },
        )
        return download(content, content_type, exports.filename(page, "results", self.file_format))


class RawExportView(ResultsAccessMixin, View):
    """Raw responses of an identified questionnaire; anonymous ones have none (404)."""

    raw = True
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        page = self.page
        if page.is_anonymous:
            raise Http404
        if self.file_format == "xlsx":
            content, rows = exports.raw_xlsx(page)
            content_type = XLSX_TYPE
        else:
            content, rows = exports.raw_csv(page)
            content_type = CSV_TYPE
        audit(
            page,
            EXPORT_RAW,
            user=request.user,
            data={"format": self.file_format, "kind": "raw", "rows": rows},
        )
        return download(
            content, content_type, exports.filename(page, "responses", self.file_format)
        )


results_view = ResultsView.as_view()
results_csv_view = ResultsExportView.as_view(file_format="csv")
results_xlsx_view = ResultsExportView.as_view(file_format="xlsx")
raw_csv_view = RawExportView.as_view(file_format="csv")
raw_xlsx_view = RawExportView.as_view(file_format="xlsx")
