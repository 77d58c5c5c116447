"""Case studies: anonymised consultation cases written by coordinators (or agency staff),
reviewed by moderators through the *Case moderation* workflow, and read by members at ``/cases/``.

A case is a Wagtail page under the single ``CaseIndexPage``. Members write it on the site
(``/cases/submit/``) and never in the admin; moderators review it in the admin. The client is
described only in coarse terms (age band, status of residence, length of stay, language); the
author is recorded in ``author`` and is shown to other members only when ``attribution`` is
``named``. Nothing in ``search_fields`` names the author.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import GroupApprovalTask, Page
from wagtail.search import index

from portal.accounts.gate import MembersOnlyPageMixin

# Rich text a member may type; the same features in the admin editor (see portal/sanitize.py).
TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class CaseType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual consultation")
    REGIONAL = "regional", _("Regional problem")


class Attribution(models.TextChoices):
    NAMED = "named", _("Named (linked to my directory profile)")
    ANONYMOUS = "anonymous", _("Anonymous")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY = "partly", _("Partly resolved")
    REFERRED = "referred", _("Referred to another body")
    UNRESOLVED = "unresolved", _("Unresolved")
    ONGOING = "ongoing", _("Ongoing")


class AgeBand(models.TextChoices):
    UNDER_18 = "under18", _("Under 18")
    AGE_18_29 = "18-29", _("18–29")
    AGE_30S = "30s", _("30s")
    AGE_40S = "40s", _("40s")
    AGE_50S = "50s", _("50s")
    AGE_60S = "60s", _("60s")
    AGE_70_PLUS = "70plus", _("70 or over")
    NOT_STATED = "", _("Not stated")


class StayBand(models.TextChoices):
    UNDER_1 = "under1", _("Less than a year")
    YEARS_1_3 = "1-3", _("1–3 years")
    YEARS_3_5 = "3-5", _("3–5 years")
    YEARS_5_10 = "5-10", _("5–10 years")
    OVER_10 = "10plus", _("10 years or more")
    NOT_STATED = "", _("Not stated")


class ResidenceStatus(models.TextChoices):
    """Status-of-residence categories, coarse enough to state in a case."""

    PERMANENT = "permanent", _("Permanent Resident")
    SPECIAL_PERMANENT = "special-permanent", _("Special Permanent Resident")
    LONG_TERM = "long-term", _("Long-Term Resident")
    SPOUSE_JAPANESE = "spouse-japanese", _("Spouse or Child of Japanese National")
    SPOUSE_PERMANENT = "spouse-permanent", _("Spouse or Child of Permanent Resident")
    TECHNICAL_INTERN = "technical-intern", _("Technical Intern Training")
    SPECIFIED_SKILLED = "specified-skilled", _("Specified Skilled Worker")
    ENGINEER = "engineer", _("Engineer/Specialist in Humanities/International Services")
    OTHER_WORK = "other-work", _("Other working status")
    STUDENT = "student", _("Student")
    DEPENDENT = "dependent", _("Dependent")
    DESIGNATED = "designated", _("Designated Activities")
    PROTECTION = "protection", _("Refugee or complementary protection")
    NO_STATUS = "no-status", _("No status of residence")
    NATURALISED = "naturalised", _("Japanese national (naturalised)")
    NOT_STATED = "", _("Not stated")


class CaseState(models.TextChoices):
    """Where a case is, as its author sees it (the workflow keeps the detail)."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", pgettext_lazy("case state", "Published")
    REJECTED = "rejected", _("Rejected")
    UNPUBLISHED = "unpublished", _("Unpublished")


class CaseIndexPage(MembersOnlyPageMixin, Page):
    """``/cases/``: the library of published cases, with filters."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cases.CaseStudyPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .selectors.library import case_library_context

        context = super().get_context(request, *args, **kwargs)
        context.update(case_library_context(self, request))
        return context

    class Meta:
        verbose_name = _("case library")
        verbose_name_plural = _("case libraries")


class CaseStudyPage(MembersOnlyPageMixin, Page):
    """One anonymised case. Its author writes it on the site; moderators approve it."""

    case_type = models.CharField(
        _("case type"), max_length=12, choices=CaseType.choices, default=CaseType.INDIVIDUAL
    )
    fields = ParentalManyToManyField(
        "taxonomy.Field", related_name="case_studies", verbose_name=_("fields of consultation")
    )
    prefecture = models.ForeignKey(
        "taxonomy.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("prefecture"),
    )
    summary = models.TextField(_("summary"), max_length=600)
    situation = RichTextField(_("situation"), features=TEXT_FEATURES)
    issues = RichTextField(_("issues identified"), features=TEXT_FEATURES)
    actions = RichTextField(_("support plan and actions taken"), features=TEXT_FEATURES)
    partners = ParentalManyToManyField(
        "directory.Partner",
        blank=True,
        related_name="case_studies",
        verbose_name=_("partners involved"),
    )
    partners_note = models.TextField(
        _("other partners involved (kind of organisation)"), blank=True, max_length=1000
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    outcome_text = RichTextField(_("outcome in detail"), features=TEXT_FEATURES, blank=True)
    lessons = RichTextField(_("lessons and points for others"), features=TEXT_FEATURES)
    # The client, in coarse terms only.
    client_age_band = models.CharField(
        _("client's age band"), max_length=8, choices=AgeBand.choices, blank=True
    )
    client_status = models.CharField(
        _("client's status of residence"),
        max_length=20,
        choices=ResidenceStatus.choices,
        blank=True,
    )
    client_stay_band = models.CharField(
        _("client's length of stay"), max_length=8, choices=StayBand.choices, blank=True
    )
    client_language = models.ForeignKey(
        "taxonomy.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language used"),
    )
    # Regional problems only.
    stakeholders = RichTextField(_("stakeholders"), features=TEXT_FEATURES, blank=True)
    measures = RichTextField(_("measures taken"), features=TEXT_FEATURES, blank=True)
    government_feedback = RichTextField(
        _("what the national or local government should know"),
        features=TEXT_FEATURES,
        blank=True,
    )
    # The author and what they confirmed. Never shown to other members for anonymous cases.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_studies",
        verbose_name=_("author"),
    )
    attribution = models.CharField(
        _("attribution"), max_length=10, choices=Attribution.choices, default=Attribution.ANONYMOUS
    )
    client_consent = models.BooleanField(_("the client consented to sharing"), default=False)
    ethics_checklist = models.JSONField(_("ethics checklist"), default=list, blank=True)
    # Justifications the author gave for high-severity findings of the anonymisation assistant:
    # [{"field": ..., "kind": ..., "text": ..., "reason": ...}].
    justifications = models.JSONField(_("justifications"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT
    )
    # The last reason moderators gave (changes requested, rejected, unpublished), for the author.
    moderation_note = models.TextField(_("note from the moderators"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("situation"),
        index.SearchField("issues"),
        index.SearchField("actions"),
        index.SearchField("outcome_text"),
        index.SearchField("lessons"),
        index.SearchField("stakeholders"),
        index.SearchField("measures"),
        index.FilterField("case_type"),
        index.FilterField("client_status"),
        index.FilterField("prefecture"),
    ]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("case_type"),
                FieldPanel("fields"),
                FieldPanel("prefecture"),
                FieldPanel("summary"),
            ],
            heading=_("The case"),
        ),
        FieldPanel("situation"),
        FieldPanel("issues"),
        FieldPanel("actions"),
        MultiFieldPanel(
            [FieldPanel("partners"), FieldPanel("partners_note")],
            heading=_("Partners involved"),
        ),
        FieldPanel("outcome"),
        FieldPanel("outcome_text"),
        FieldPanel("lessons"),
        MultiFieldPanel(
            [
                FieldPanel("client_age_band"),
                FieldPanel("client_status"),
                FieldPanel("client_stay_band"),
                FieldPanel("client_language"),
            ],
            heading=_("The client (coarse terms only)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("stakeholders"),
                FieldPanel("measures"),
                FieldPanel("government_feedback"),
            ],
            heading=_("Regional problem"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("attribution"),
                FieldPanel("client_consent", read_only=True),
                FieldPanel("moderation_note", read_only=True),
            ],
            heading=_("Author"),
        ),
    ]

    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        from .selectors.library import case_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(case_page_context(self, request))
        return context

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def permissions_for_user(self, user):
        # Only moderators and administrators publish, and never with open anonymisation findings.
        from .permissions import CaseStudyPermissionTester

        return CaseStudyPermissionTester(user, self)

    def save(self, *args, **kwargs):
        # A case has no Wagtail owner: its writer is ``author``. Wagtail indexes the owner of
        # every page, and nothing in the index may point to the author of an anonymous case.
        self.owner = None
        return super().save(*args, **kwargs)


class CaseModerationTask(GroupApprovalTask):
    """The moderators' review: approve (refused while high-severity findings of the anonymisation
    assistant are open), request changes with a reason, or reject with a reason."""

    # "reject" is Wagtail's request for changes (the author resubmits); this one is final.
    REJECT_FINAL = "reject-case"
    REASON_ACTIONS = ("reject", REJECT_FINAL)

    def start(self, workflow_state, user=None):
        # Runs for a first submission and for a resubmission (``WorkflowState.resume``).
        task_state = super().start(workflow_state, user=user)
        from .services.moderation import case_moderation_start

        case_moderation_start(task_state, user)
        return task_state

    def user_moderates(self, user) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or self._user_in_groups(user)

    def get_actions(self, obj, user):
        if not self.user_moderates(user):
            return []
        from .selectors.moderation import approval_allowed

        actions = [("reject", _("Request changes"), True)]
        if approval_allowed(obj):
            actions.append(("approve", _("Approve and publish"), False))
        actions.append((self.REJECT_FINAL, _("Reject"), True))
        return actions

    def get_form_for_action(self, action):
        if action in self.REASON_ACTIONS:
            from .views.moderation import ModerationReasonForm

            return ModerationReasonForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action in self.REASON_ACTIONS:
            return "cases/moderation/workflow_action_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from django.core.exceptions import PermissionDenied, ValidationError

        from .services import moderation as services

        comment = kwargs.get("comment", "")
        try:
            if action_name == "approve":
                services.case_approve(task_state, user, comment=comment)
            elif action_name == "reject":
                services.case_request_changes(task_state, user, comment)
            elif action_name == self.REJECT_FINAL:
                services.case_reject(task_state, user, comment)
            else:
                raise PermissionDenied
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error

    @classmethod
    def get_description(cls):
        return _(
            "Moderators approve and publish a case, request changes with a reason, or reject it."
        )

    class Meta:
        verbose_name = _("Case moderation task")
        verbose_name_plural = _("Case moderation tasks")
