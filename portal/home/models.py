from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    """The public front page: what the certification and the portal are, and the entry points."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A plain content page (about, terms, privacy policy, consent policy …)."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    contact_email = models.EmailField(
        _("contact e-mail"),
        default="portal@example.jp",
        help_text=_("Shown in the footer and used for enquiries about the portal."),
    )
    consent_policy_version = models.PositiveSmallIntegerField(
        _("current consent-policy version"),
        default=1,
        help_text=_(
            "Raise this when the consent policy changes: members are asked to consent again."
        ),
    )
    consent_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("consent-policy page"),
    )
    footer_note = RichTextField(_("footer note"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [FieldPanel("consent_policy_version"), FieldPanel("consent_policy_page")],
            heading=_("Consent policy"),
        ),
        FieldPanel("footer_note"),
    ]

    class Meta:
        verbose_name = _("site settings")
