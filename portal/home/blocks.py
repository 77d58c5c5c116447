"""StreamField blocks shared by the portal's pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.accounts.gate import document_needs_gate


class MembersDocumentChooserBlock(DocumentChooserBlock):
    """A document for members only: it must sit in the *Members' documents* collection (or below
    it), whose files are served to admitted members only."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not document_needs_gate(value):
            raise ValidationError(
                _(
                    "This document can be downloaded by anyone. Move it to the "
                    "“Members' documents” collection first."
                )
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Level"), choices=[("h2", "H2"), ("h3", "H3")], default="h2")

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("Tone"),
        choices=[("info", _("Information")), ("important", _("Important"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "home/blocks/callout.html"


class LinkCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Or a site path"), required=False, help_text=_("For example /notices/")
    )

    class Meta:
        icon = "link"
        template = "home/blocks/link_card.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    callout = CalloutBlock()
    links = blocks.ListBlock(
        LinkCardBlock(), label=_("Link cards"), template="home/blocks/link_cards.html"
    )
