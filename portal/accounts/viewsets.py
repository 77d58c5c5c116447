from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.users.views.users import UserViewSet

from .forms import PortalUserCreationForm, PortalUserEditForm
from .models import Certificate, Disqualification, RegisterImport


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "form"
    menu_label = _("Certificates")
    list_display = [
        "number",
        "holder",
        DateColumn("issued_on", label=_("Issued on")),
        DateColumn("valid_until", label=_("Valid until")),
        Column("status", label=_("Status"), accessor="status"),
    ]
    list_filter = ["fiscal_year", "workplace_prefecture"]
    search_fields = ["number", "holder__last_name", "holder__first_name", "holder__email"]
    ordering = ["-issued_on"]
    # Revocation and renewal go through their own audited actions, not the edit form.
    form_fields = ["number", "holder", "issued_on", "workplace", "workplace_prefecture"]


class DisqualificationViewSet(SnippetViewSet):
    model = Disqualification
    icon = "warning"
    menu_label = _("Disqualifications")
    list_display = ["holder", "ground", DateColumn("occurred_on"), DateColumn("barred_until")]
    list_filter = ["ground"]
    form_fields = ["holder", "ground", "occurred_on", "note"]


class RegisterImportViewSet(SnippetViewSet):
    model = RegisterImport
    icon = "download"
    menu_label = _("Import history")
    list_display = [
        "filename",
        "imported_by",
        "created_at",
        "rows",
        "certificates_created",
        "certificates_updated",
        "unchanged",
    ]
    inspect_view_enabled = True
    # Records are written by the import itself; administrators only view them.
    form_fields = ["filename"]


class CertificationViewSetGroup(SnippetViewSetGroup):
    items = (CertificateViewSet, DisqualificationViewSet, RegisterImportViewSet)
    menu_icon = "form"
    menu_label = _("Certification")
    menu_name = "certification"
    menu_order = 250


def certificate_action_urls(certificate: Certificate) -> dict[str, str]:
    return {
        "renew": reverse("certification_renew", args=[certificate.pk]),
        "revoke": reverse("certification_revoke", args=[certificate.pk]),
    }
