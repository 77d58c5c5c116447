"""Seats freed by a larger capacity go to the waiting list as soon as the page is published."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import WorkshopPage


@receiver(page_published, sender=WorkshopPage, dispatch_uid="workshops_capacity_published")
def promote_after_publish(sender, instance, revision=None, **kwargs):
    from .services import waitlist_promote

    waitlist_promote(instance, actor=getattr(revision, "user", None))
