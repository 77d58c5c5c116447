"""Admin views of the dashboard: one page per part (overview, case studies, knowledge sharing)
and the downloads of its tables. Every download writes an audit entry."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.audit import audit
from portal.spreadsheets import download

from . import exports
from .access import CASES, may_view, parts_for
from .filters import filters_from
from .sections import SECTIONS, TABLE_PART, build
from .selectors.cases import regional_listing
from .selectors.common import Reading

DASHBOARD_EXPORT = "portal.dashboard_export"


def forbidden(request, status=403, message=""):
    """A plain refusal inside the admin (``PermissionDenied`` in an admin view would send the
    user to the admin home with a message instead)."""
    return TemplateResponse(
        request,
        "dashboard/forbidden.html",
        {
            "page_title": gettext_lazy("Activity dashboard"),
            "header_title": gettext_lazy("Activity dashboard"),
            "message": message,
            "parts": [SECTIONS[part] for part in parts_for(request.user)],
        },
        status=status,
    )


class PartView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/part.html"
    header_icon = "table"
    part = ""

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user, self.part):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def section(self):
        return SECTIONS[self.part]

    def get_page_title(self):
        return gettext_lazy("Activity dashboard")

    def get_page_subtitle(self):
        return self.section.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": gettext_lazy("Activity dashboard")},
            {"url": "", "label": self.section.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters, valid = filters_from(self.request.GET)
        reading = Reading()
        tables = build(self.section.tables, filters, reading)
        query = filters.query()
        for table in tables:
            table.download_urls = {
                file_format: reverse("dashboard_download", args=[table.key, file_format]) + query
                for file_format in exports.FORMATS
            }
        context.update(
            section=self.section,
            parts=[SECTIONS[part] for part in parts_for(self.request.user)],
            form=form,
            filters=filters,
            filters_valid=valid,
            tables=tables,
            section_downloads={
                file_format: reverse("dashboard_download", args=[self.part, file_format]) + query
                for file_format in exports.FORMATS
            },
            query=query,
            regional=regional_listing(filters, reading) if self.part == CASES else None,
        )
        return context


class DownloadView(View):
    """One table (``key`` is a table's key) or every table of a part (``key`` is the part)."""

    def get(self, request, key: str, file_format: str):
        if file_format not in exports.FORMATS:
            raise Http404
        if key in SECTIONS:
            part, keys = key, SECTIONS[key].tables
        elif key in TABLE_PART:
            part, keys = TABLE_PART[key], (key,)
        else:
            raise Http404
        if not may_view(request.user, part):
            return forbidden(request)
        form, filters, valid = filters_from(request.GET)
        if not valid:
            errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            return forbidden(request, status=400, message=errors)
        tables = build(keys, filters)
        content = exports.document(tables, filters, file_format)
        audit(
            request.user,
            DASHBOARD_EXPORT,
            user=request.user,
            data={
                "table": key,
                "format": file_format,
                "filters": filters.params(),
                "rows": sum(len(table.rows) for table in tables),
            },
        )
        return download(content, exports.FORMATS[file_format], exports.filename(key, file_format))


overview_view = PartView.as_view(part="overview")
cases_view = PartView.as_view(part="cases")
knowledge_view = PartView.as_view(part="knowledge")
download_view = DownloadView.as_view()
