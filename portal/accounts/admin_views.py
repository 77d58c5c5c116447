"""Certification admin views: register import and export, renewal and revocation."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal import audit

from . import selectors, services
from .forms import (
    CertificateRenewForm,
    CertificateRevokeForm,
    RegisterExportForm,
    RegisterImportForm,
)
from .models import Certificate, today
from .register import import_register


class PermissionRequiredAdminView(WagtailAdminTemplateMixin, FormView):
    permission_required = ""
    header_icon = "form"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegisterImportView(PermissionRequiredAdminView):
    permission_required = "accounts.import_register"
    template_name = "accounts/admin/register_import.html"
    form_class = RegisterImportForm
    page_title = gettext_lazy("Import the register")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_register(
            upload.read(),
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            actor=self.request.user,
        )
        if report.imported:
            messages.success(self.request, _("The register was imported."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


class RegisterExportView(PermissionRequiredAdminView):
    permission_required = "accounts.export_register"
    template_name = "accounts/admin/register_export.html"
    form_class = RegisterExportForm
    page_title = gettext_lazy("Export the register")

    def get(self, request, *args, **kwargs):
        if "format" in request.GET:
            form = self.form_class(request.GET)
            if form.is_valid():
                return self.download(form.cleaned_data)
            return self.render_to_response(self.get_context_data(form=form))
        return super().get(request, *args, **kwargs)

    def download(self, filters):
        rows = selectors.register_rows(status=filters["status"], prefecture=filters["prefecture"])
        count = rows.count()
        audit.audit(
            self.request.user,
            audit.REGISTER_EXPORT,
            user=self.request.user,
            data={
                "status": filters["status"] or "all",
                "prefecture": filters["prefecture"].code if filters["prefecture"] else "all",
                "format": filters["format"],
                "rows": count,
            },
        )
        stamp = today().strftime("%Y%m%d")
        if filters["format"] == "xlsx":
            return self._xlsx(rows, f"register-{stamp}.xlsx")
        return self._csv(rows, f"register-{stamp}.csv")

    def _csv(self, rows, filename):
        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def stream():
            yield "\ufeff"  # BOM: Excel in Japan then reads UTF-8 correctly
            yield writer.writerow(selectors.REGISTER_EXPORT_COLUMNS)
            for row in selectors.register_export_values(rows):
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def _xlsx(self, rows, filename):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("register")
        sheet.append(list(selectors.REGISTER_EXPORT_COLUMNS))
        for row in selectors.register_export_values(rows):
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class CertificateActionView(PermissionRequiredAdminView):
    template_name = "accounts/admin/certificate_action.html"

    def dispatch(self, request, *args, **kwargs):
        self.certificate = get_object_or_404(
            Certificate.objects.select_related("holder"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.certificate, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = field if field in form.fields else None
                for text in errors:
                    form.add_error(target, text)
            return self.form_invalid(form)
        return redirect(reverse("wagtailsnippets_accounts_certificate:list"))


class CertificateRenewView(CertificateActionView):
    permission_required = "accounts.renew_certificate"
    form_class = CertificateRenewForm
    page_title = gettext_lazy("Record renewal")

    def perform(self, data):
        new = services.certificate_renew(
            previous=self.certificate,
            number=data["number"],
            completed_on=data["completed_on"],
            actor=self.request.user,
        )
        messages.success(
            self.request,
            _("Certificate %(new)s now renews %(old)s.")
            % {"new": new.number, "old": self.certificate.number},
        )


class CertificateRevokeView(CertificateActionView):
    permission_required = "accounts.revoke_certificate"
    form_class = CertificateRevokeForm
    page_title = gettext_lazy("Revoke certificate")

    def perform(self, data):
        services.certificate_revoke(
            certificate=self.certificate,
            revoked_on=data["revoked_on"],
            reason=data["reason"],
            actor=self.request.user,
        )
        messages.success(
            self.request,
            _("Certificate %(number)s was revoked.") % {"number": self.certificate.number},
        )
