from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from . import admin_views
from .gate import document_needs_gate, gate_response, page_needs_gate
from .models import Certificate
from .viewsets import CertificationViewSetGroup, certificate_action_urls

register_snippet(CertificationViewSetGroup)


@hooks.register("before_serve_page", order=-100)
def member_gate_for_pages(page, request, serve_args, serve_kwargs):
    if page_needs_gate(page):
        return gate_response(request)
    return None


@hooks.register("before_serve_document", order=-100)
def member_gate_for_documents(document, request):
    # Runs before Wagtail's own collection privacy check, which then applies the groups.
    if document_needs_gate(document):
        return gate_response(request)
    return None


@hooks.register("register_admin_urls")
def certification_admin_urls():
    return [
        path(
            "certification/import/",
            admin_views.RegisterImportView.as_view(),
            name="certification_import",
        ),
        path(
            "certification/export/",
            admin_views.RegisterExportView.as_view(),
            name="certification_export",
        ),
        path(
            "certification/<int:pk>/renew/",
            admin_views.CertificateRenewView.as_view(),
            name="certification_renew",
        ),
        path(
            "certification/<int:pk>/revoke/",
            admin_views.CertificateRevokeView.as_view(),
            name="certification_revoke",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import register"),
        reverse("certification_import"),
        icon_name="upload",
        order=251,
        permission="accounts.import_register",
    )


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    return PermissionMenuItem(
        _("Export register"),
        reverse("certification_export"),
        icon_name="download",
        order=252,
        permission="accounts.export_register",
    )


@hooks.register("register_snippet_listing_buttons")
def certificate_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Certificate):
        return
    urls = certificate_action_urls(snippet)
    if user.has_perm("accounts.renew_certificate") and not snippet.revoked_on:
        yield Button(_("Record renewal"), urls["renew"], icon_name="repeat", priority=20)
    if user.has_perm("accounts.revoke_certificate") and not snippet.revoked_on:
        yield Button(_("Revoke"), urls["revoke"], icon_name="cross", priority=30)
