from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Case study workshops")

    def ready(self):
        from . import signals  # noqa: F401  (waiting list moves up when capacity grows)
