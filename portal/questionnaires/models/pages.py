"""Questionnaires are Wagtail pages under the single ``QuestionnaireIndexPage``
(``/questionnaires/``), so that they go through the *Agency approval* workflow and the admin
preview shows the form exactly as a coordinator sees it."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from portal.accounts.gate import MembersOnlyPageMixin

from ..blocks import QuestionStreamBlock

INTRO_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class Mode(models.TextChoices):
    IDENTIFIED = "identified", _("Identified: answers are stored with the respondent's name")
    ANONYMOUS = "anonymous", _("Anonymous: answers are stored with no link to the respondent")


def workplace_type_choices():
    """The directory's workplace types (read through the app registry: the project package does
    not import the directory app)."""
    try:
        profile = apps.get_model("directory", "CoordinatorProfile")
    except LookupError:
        return []
    return list(profile._meta.get_field("workplace_type").choices)


class QuestionnaireIndexPage(MembersOnlyPageMixin, Page):
    """``/questionnaires/``: what is open for the member, with their status."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["questionnaires.QuestionnairePage"]
    max_count = 1

    class Meta:
        verbose_name = _("questionnaire index")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import questionnaire_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(questionnaire_index_context(self, request))
        return context


class QuestionnairePageForm(WagtailAdminPageForm):
    target_workplace_types = forms.MultipleChoiceField(
        label=_("Workplace types"),
        required=False,
        choices=workplace_type_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        from ..services import questionnaire_edit_problems

        cleaned = super().clean()
        for field, message in questionnaire_edit_problems(self.instance, cleaned).items():
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned


class QuestionnairePage(MembersOnlyPageMixin, Page):
    """One questionnaire: questions, audience, opening and closing time, mode."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    introduction = RichTextField(_("introduction (Japanese)"), blank=True, features=INTRO_FEATURES)
    introduction_en = RichTextField(
        _("introduction (English)"), blank=True, features=INTRO_FEATURES
    )
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))

    opens_at = models.DateTimeField(_("opens at (Japan time)"))
    closes_at = models.DateTimeField(_("closes at (Japan time)"))
    mode = models.CharField(
        _("mode"),
        max_length=12,
        choices=Mode.choices,
        default=Mode.IDENTIFIED,
        help_text=_("Chosen before the first response; it cannot change afterwards."),
    )
    target_prefectures = ParentalManyToManyField(
        "taxonomy.Prefecture",
        blank=True,
        related_name="+",
        verbose_name=_("prefectures"),
        help_text=_("Coordinators active or working in one of these prefectures."),
    )
    target_fields = ParentalManyToManyField(
        "taxonomy.Field",
        blank=True,
        related_name="+",
        verbose_name=_("fields of consultation"),
        help_text=_("Coordinators with in-depth knowledge of one of these fields."),
    )
    target_workplace_types = models.JSONField(_("workplace types"), default=list, blank=True)
    target_certificates = models.TextField(
        _("explicit list of certificate numbers"),
        blank=True,
        help_text=_("One certificate number per line. Leave empty to ask everyone who matches."),
    )

    base_form_class = QuestionnairePageForm
    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldPanel("introduction"),
        FieldPanel("introduction_en"),
        FieldPanel("questions"),
    ]
    audience_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("mode"),
            ],
            heading=_("Timing and mode"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("target_prefectures", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_fields", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_workplace_types"),
                FieldPanel("target_certificates"),
            ],
            heading=_("Audience: valid coordinators who match every condition set here"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Questions")),
            ObjectList(audience_panels, heading=_("Audience and timing")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    parent_page_types = ["questionnaires.QuestionnaireIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    # Text in the active language ------------------------------------------------------------

    @property
    def localized_title(self) -> str:
        return self.title_en if translation.get_language() == "en" and self.title_en else self.title

    @property
    def localized_introduction(self) -> str:
        if translation.get_language() == "en" and self.introduction_en:
            return self.introduction_en
        return self.introduction

    @cached_property
    def question_set(self):
        from ..questions import QuestionSet

        return QuestionSet.from_stream(self.questions)

    # Timing -----------------------------------------------------------------------------------

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_opened(self, now=None) -> bool:
        return self.opens_at <= (now or timezone.now())

    def has_closed(self, now=None) -> bool:
        return self.closes_at <= (now or timezone.now())

    @property
    def is_anonymous(self) -> bool:
        return self.mode == Mode.ANONYMOUS

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {
                    "closes_at": _(
                        "The closing time must be after the opening time. / "
                        "締切日時は開始日時より後にしてください。"
                    )
                }
            )

    def serve(self, request, *args, **kwargs):
        from ..views import questionnaire_serve

        return questionnaire_serve(request, self)

    def serve_preview(self, request, mode_name):
        from ..views import questionnaire_preview

        return questionnaire_preview(request, self)
