"""StreamField blocks of notices and newsletters.

Nothing here fetches from another site while a page renders: a video is either an uploaded file
with a captions track, or a link to a video elsewhere that the reader opens themselves.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

from portal.home.blocks import CalloutBlock, HeadingBlock

VIDEO_EXTENSIONS = (".mp4", ".webm")
CAPTION_EXTENSIONS = (".vtt",)


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    file = DocumentChooserBlock(
        label=_("Video file (MP4 or WebM)"), required=False, help_text=_("Uploaded to documents.")
    )
    captions = DocumentChooserBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("Required with a video file: the video must be usable without sound."),
    )
    captions_language = blocks.ChoiceBlock(
        label=_("Captions language"),
        choices=[("ja", "日本語"), ("en", "English")],
        default="ja",
    )
    external_url = blocks.URLBlock(
        label=_("Or a link to the video on another site"),
        required=False,
        help_text=_("Shown as a link; the page never loads anything from that site."),
    )
    transcript = blocks.TextBlock(label=_("Transcript or summary"), required=False)

    class Meta:
        icon = "media"
        template = "newsletters/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        video, captions, url = value.get("file"), value.get("captions"), value.get("external_url")
        if not video and not url:
            errors["file"] = ValidationError(_("Choose a video file or give a link to the video."))
        if video and url:
            errors["external_url"] = ValidationError(
                _("Give either a video file or a link, not both.")
            )
        if video and not video.filename.lower().endswith(VIDEO_EXTENSIONS):
            errors["file"] = ValidationError(_("The video must be an MP4 or WebM file."))
        if video and not captions:
            errors["captions"] = ValidationError(_("A video file needs a captions track."))
        if captions and not captions.filename.lower().endswith(CAPTION_EXTENSIONS):
            errors["captions"] = ValidationError(_("Captions must be a WebVTT (.vtt) file."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class LawLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Law or notice"), max_length=200)
    url = blocks.URLBlock(label=_("Address"), help_text=_("For example the e-Gov law search."))
    note = blocks.CharBlock(label=_("Note"), max_length=200, required=False)

    class Meta:
        icon = "link"
        template = "newsletters/blocks/law_link.html"


class NoticeBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    callout = CalloutBlock()
    video = VideoBlock(label=_("Video"))
    documents = blocks.ListBlock(
        DocumentChooserBlock(),
        label=_("Attachments"),
        template="newsletters/blocks/documents.html",
    )
    law_links = blocks.ListBlock(
        LawLinkBlock(), label=_("Law texts"), template="newsletters/blocks/law_links.html"
    )
    table = TableBlock(label=_("Table"), template="newsletters/blocks/table.html")


def documents_in(body) -> list:
    """The documents a notice body links to: attachments, video files and their captions."""
    found = []
    for block in body:
        if block.block_type == "documents":
            found.extend(document for document in block.value if document)
        elif block.block_type == "video":
            found.extend(d for d in (block.value.get("file"), block.value.get("captions")) if d)
    return found


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "newsletters/blocks/qa.html"


class InterviewBodyBlock(blocks.StreamBlock):
    qa = QuestionAnswerBlock(label=_("Question and answer"))
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link"])
    heading = HeadingBlock()
