"""National notices: law and system revisions, procedures, certification news, disasters."""

import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.accounts.gate import document_needs_gate

from ..blocks import NoticeBodyBlock, documents_in


class NoticeCategory(models.TextChoices):
    LAW_REVISION = "law-revision", _("Law revision")
    SYSTEM_CHANGE = "system-change", _("System change")
    PROCEDURE = "procedure", _("Procedure")
    CERTIFICATION = "certification", _("Certification and renewal")
    DISASTER = "disaster", _("Disaster")
    OTHER = "other", _("Other")


class Importance(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important: members confirm they have read it")


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Everyone")


class NoticeIndexPage(Page):
    """``/notices/``: the list of current notices (the page's view lives in ``views.py``)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletters.NoticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("notice index")

    def get_context(self, request, *args, **kwargs):
        from ..selectors.notices import notice_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(notice_index_context(self, request))
        return context


class NoticePage(Page):
    summary = models.TextField(_("summary (Japanese)"), max_length=600)
    summary_en = models.TextField(_("summary (English)"), max_length=600, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=NoticeCategory.choices)
    fields = ParentalManyToManyField(
        "taxonomy.Field", blank=True, related_name="+", verbose_name=_("fields of consultation")
    )
    nationwide = models.BooleanField(_("nationwide"), default=True)
    prefectures = ParentalManyToManyField(
        "taxonomy.Prefecture",
        blank=True,
        related_name="+",
        verbose_name=_("prefectures concerned"),
        help_text=_("Only when the notice is not nationwide."),
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    importance = models.CharField(
        _("importance"), max_length=10, choices=Importance.choices, default=Importance.NORMAL
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    body = StreamField(NoticeBodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("summary_en"),
        index.SearchField("body"),
        index.FilterField("audience"),
        index.FilterField("category"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("importance"),
                FieldPanel("audience"),
                FieldPanel("effective_date"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("fields", widget=forms.CheckboxSelectMultiple),
                FieldPanel("nationwide"),
                FieldPanel("prefectures", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who it concerns"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["newsletters.NoticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    @property
    def members_only(self) -> bool:
        """Members-only notices sit behind the member gate (see ``portal.accounts.gate``)."""
        return self.audience == Audience.MEMBERS

    @property
    def requires_acknowledgement(self) -> bool:
        return self.importance == Importance.IMPORTANT

    @property
    def localized_summary(self) -> str:
        if translation.get_language() == "en" and self.summary_en:
            return self.summary_en
        return self.summary

    def clean(self):
        super().clean()
        if self.members_only:
            public = [d.title for d in documents_in(self.body) if not document_needs_gate(d)]
            if public:
                raise ValidationError(
                    _(
                        "This notice is for members, but anyone can download these documents: "
                        "%(documents)s. Move them to the “Members' documents” collection, or "
                        "make the notice public."
                    ),
                    params={
                        "documents": ("、" if translation.get_language() == "ja" else ", ").join(
                            public
                        )
                    },
                    code="public_documents",
                )
        if self.nationwide and self.pk and self.prefectures.exists():
            raise ValidationError(
                {
                    "prefectures": _(
                        "A nationwide notice concerns every prefecture: clear this list."
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        from ..selectors.notices import notice_context

        context = super().get_context(request, *args, **kwargs)
        context.update(notice_context(self, request.user))
        return context


class Acknowledgement(models.Model):
    """A member confirmed reading an important notice."""

    notice = models.ForeignKey(
        NoticePage, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="one_acknowledgement_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.user_id}"


class AcknowledgementReminder(models.Model):
    """A reminder e-mail sent for an unacknowledged notice: at most one per member and notice."""

    notice = models.ForeignKey(NoticePage, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="one_reminder_per_notice")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.user_id}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret of a member's personal feed URL; revoking it makes a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_feed_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{'revoked' if self.revoked_at else 'active'}"


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No e-mail digest")
    WEEKLY = "weekly", _("Weekly digest")


class DigestSubscription(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    frequency = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.NONE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.frequency}"


class DigestDelivery(models.Model):
    """One digest sent to one member for one period: never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period_start"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.period_start}"
