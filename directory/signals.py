"""Cache purge when a holder's certification changes (revoked, renewed, imported)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.accounts.events import certification_changed
from portal.accounts.models import Certificate

from .services import listings_changed, profile_reindex


@receiver(certification_changed, dispatch_uid="directory_certification_changed")
def purge_listings(sender, holder, **kwargs):
    listings_changed()
    profile_reindex(holder)


@receiver(post_save, sender=Certificate, dispatch_uid="directory_certificate_saved")
@receiver(post_delete, sender=Certificate, dispatch_uid="directory_certificate_deleted")
def purge_listings_on_certificate_edit(sender, instance, **kwargs):
    """Admin edits of a certificate (issue date, holder) can change who is listed."""
    listings_changed()
    profile_reindex(instance.holder)
