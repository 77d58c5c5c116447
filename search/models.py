"""Index updates that an external search server could not take, kept until they are retried."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingIndexOperation(models.Model):
    """One object whose search-index update failed (Elasticsearch unreachable or refusing).

    One row per object: a later failure for the same object replaces the action (the newest
    intention wins) and counts another attempt. ``manage.py search_reindex_pending`` retries the
    rows and deletes those that succeed."""

    class Action(models.TextChoices):
        ADD = "add", _("add or update")
        DELETE = "delete", _("delete")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(_("object id"), max_length=50)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    first_failed_at = models.DateTimeField(_("first failed at"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending index operation")
        verbose_name_plural = _("pending index operations")
        ordering = ["first_failed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_pending_operation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type.app_label}.{self.content_type.model}:{self.object_id}"

    @property
    def model(self):
        return self.content_type.model_class()
