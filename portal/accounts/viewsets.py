from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.views.users import UserViewSet

from .forms import PortalUserCreationForm, PortalUserEditForm
from .models import Certificate


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "form"
    menu_label = _("Certificates")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "number",
        "holder",
        DateColumn("issued_on", label=_("Issued on")),
        DateColumn("valid_until", label=_("Valid until")),
        Column("status", label=_("Status"), accessor="status"),
    ]
    list_filter = ["fiscal_year"]
    search_fields = ["number"]
    ordering = ["-issued_on"]
    form_fields = ["number", "holder", "issued_on", "renews", "revoked_on", "revocation_reason"]
