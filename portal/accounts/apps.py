from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and certification")

    def ready(self):
        from . import signals  # noqa: F401  (connects the login audit receivers)


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the portal's name and language fields in its forms."""

    user_viewset = "portal.accounts.viewsets.PortalUserViewSet"
