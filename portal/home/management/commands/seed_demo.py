import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.accounts.demo import DEMO_ACCOUNTS

# Order matters: accounts first, then content that refers to them. Each app's ``demo.py`` exposes
# ``seed(stdout)``; apps without one are skipped.
DEMO_APPS = (
    "portal.accounts",
    "portal.home",
    "directory",
    "newsletters",
    "workshops",
    "cases",
    "portal.questionnaires",
    "portal.dashboard",
)


class Command(BaseCommand):
    help = _("Load the demo accounts and content (idempotent and deterministic).")

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            module_name = f"{app}.demo"
            if (
                importlib.util.find_spec(app) is None
                or importlib.util.find_spec(module_name) is None
            ):
                continue
            importlib.import_module(module_name).seed(stdout=self.stdout)
            self.stdout.write(f"  {module_name}: ok")
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write(
            _("Demo logins (password: %(password)s):") % {"password": settings.PORTAL_DEMO_PASSWORD}
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<13} {account.role}")
