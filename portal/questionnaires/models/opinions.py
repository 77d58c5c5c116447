"""The opinion box: requests and opinions to the national government, always open to members.

An opinion sent anonymously keeps no author. Staff triage each one (status, internal note) and
may publish an answer, which members then read beside a summary of the opinion that staff
write (the original text is never shown to other members).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpinionCategory(models.TextChoices):
    REQUEST = "request", _("Request to the national government")
    SYSTEM = "system", _("Problem with a law or system")
    REGIONAL_GAP = "regional-gap", _("Gap in local support")
    TRAINING = "training", _("Training and certification")
    PORTAL = "portal", _("This portal")
    OTHER = "other", _("Other")


class OpinionStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("opinion status", "New")
    UNDER_REVIEW = "under_review", _("Under review")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("opinion status", "Closed")


class Opinion(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
        verbose_name=_("author"),
        help_text=_("Empty when the opinion was sent anonymously."),
    )
    category = models.CharField(_("category"), max_length=20, choices=OpinionCategory.choices)
    field = models.ForeignKey(
        "taxonomy.Field",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field of consultation"),
    )
    prefecture = models.ForeignKey(
        "taxonomy.Prefecture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    text = models.TextField(_("opinion"))
    created_on = models.DateField(_("received on"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OpinionStatus.choices, default=OpinionStatus.NEW
    )
    staff_note = models.TextField(_("internal note"), blank=True)
    public_summary = models.TextField(
        _("summary shown to members"),
        blank=True,
        help_text=_("Write it without personal details; the original text is never shown."),
    )
    public_answer = models.TextField(_("answer shown to members"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinion box")
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_answer.strip() and self.public_summary.strip())
