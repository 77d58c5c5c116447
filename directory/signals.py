"""Cache purge when a holder's certification changes (revoked, renewed, imported)."""

from django.dispatch import receiver

from portal.accounts.events import certification_changed

from .services import listings_changed


@receiver(certification_changed, dispatch_uid="directory_certification_changed")
def purge_listings(sender, holder, **kwargs):
    listings_changed()
