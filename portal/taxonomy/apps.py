from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "portal.taxonomy"
    label = "taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self):
        from . import models, signals

        signals.connect(
            [
                models.Field,
                models.ImmigrationBureau,
                models.Prefecture,
                models.Language,
                models.Qualification,
            ]
        )
