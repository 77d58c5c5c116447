from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory and partners")

    def ready(self):
        from . import signals  # noqa: F401  (cache purge on certification changes)
