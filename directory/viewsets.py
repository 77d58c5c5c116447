from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name_ja", "kind", "level", DateColumn("last_verified_on")]
    list_filter = ["kind", "level", "live"]
    search_fields = ["name_ja", "name_en", "address"]
    search_backend_name = None  # substring search in the database, as before partners were indexed
    ordering = ["name_ja"]
