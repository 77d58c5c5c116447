"""Cache purge when a holder's certification changes (revoked, renewed, imported), when the
consent policy version changes, and when the vocabulary shown on cards changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from portal.accounts.events import certification_changed
from portal.accounts.models import Certificate
from portal.home.models import SiteSettings
from portal.taxonomy.models import Field, Language, Prefecture, Qualification

from .models import Partner
from .selectors import partners_changed, policy_changed
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


@receiver(post_save, sender=SiteSettings, dispatch_uid="directory_site_settings_saved")
@receiver(post_save, sender=Site, dispatch_uid="directory_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="directory_site_deleted")
def purge_policy_version(sender, **kwargs):
    policy_changed()
    listings_changed()


def purge_cards(sender, **kwargs):
    """Cards and partner lists show vocabulary names: a renamed field or language must not linger
    in them."""
    listings_changed()
    partners_changed()


@receiver(post_save, sender=Partner, dispatch_uid="directory_partner_saved")
@receiver(post_delete, sender=Partner, dispatch_uid="directory_partner_deleted")
def purge_partner_lists(sender, **kwargs):
    partners_changed()


for model in (Field, Language, Prefecture, Qualification):
    post_save.connect(purge_cards, sender=model, dispatch_uid=f"directory_cards_{model.__name__}")
    post_delete.connect(
        purge_cards, sender=model, dispatch_uid=f"directory_cards_del_{model.__name__}"
    )
