"""Newsletters of regional interviews, and the interviewee confirmation step of their workflow."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index

from ..blocks import InterviewBodyBlock


class NewsletterIndexPage(Page):
    members_only = True

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletters.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("newsletter index")

    def get_context(self, request, *args, **kwargs):
        from ..selectors.interviews import newsletter_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(newsletter_index_context(self, request))
        return context


class NewsletterIssuePage(Page):
    """One issue: a lead and two or three interviews with coordinators of a region."""

    members_only = True

    issue_number = models.PositiveIntegerField(_("issue number"))
    issue_date = models.DateField(_("issue date"))
    lead = models.TextField(_("lead"), blank=True)
    lead_en = models.TextField(_("lead (English)"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("lead_en"),
        index.RelatedFields("interviews", [index.SearchField("title"), index.SearchField("body")]),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("issue_number"),
        FieldPanel("issue_date"),
        FieldPanel("lead"),
        FieldPanel("lead_en"),
        InlinePanel("interviews", label=_("Interviews"), min_num=1),
    ]
    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def get_context(self, request, *args, **kwargs):
        from ..selectors.interviews import newsletter_issue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(newsletter_issue_context(self, request))
        return context

    def permissions_for_user(self, user):
        # Publishing waits until every interviewee confirmed the interviews being published.
        from ..permissions import NewsletterIssuePermissionTester

        return NewsletterIssuePermissionTester(user, self)


class Interview(Orderable, ClusterableModel):
    issue = ParentalKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="interviews")
    title = models.CharField(_("title"), max_length=200)
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interviewed coordinator"),
        help_text=_("They confirm the draft before the issue can be published."),
    )
    region = models.ForeignKey(
        "taxonomy.Prefecture",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region (prefecture)"),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
        help_text=_("Shown only if the interviewee agrees when confirming the draft."),
    )
    body = StreamField(InterviewBodyBlock(), verbose_name=_("interview"))

    panels = [
        FieldPanel("title"),
        FieldPanel("interviewee"),
        FieldPanel("region"),
        FieldPanel("photo"),
        FieldPanel("body"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("interview")


class IntervieweeConfirmationTask(Task):
    """Workflow step: every interviewee reviews the draft and confirms it or asks for changes.

    The task approves itself once every interviewee of the issue confirmed; a request for changes
    rejects it, which sends the issue back to the editors with the interviewee's comment."""

    class Meta:
        verbose_name = _("interviewee confirmation")
        verbose_name_plural = _("interviewee confirmations")

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        from ..services.interviews import interviewee_confirmation_start

        interviewee_confirmation_start(task_state, user)
        return task_state

    def user_can_access_editor(self, obj, user):
        return False

    def locked_for_user(self, obj, user):
        # Editors can still correct the draft while interviewees read it; a new revision asks
        # the interviewees again (see services.interviewee_confirmation_start).
        return False

    def get_actions(self, obj, user):
        # Nobody approves on the interviewees' behalf; the editors may only cancel and resubmit.
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Every interviewed coordinator confirms the draft of their interview.")


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CONFIRMED = "confirmed", _("Confirmed")
    CHANGES = "changes", _("Changes requested")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class IntervieweeConfirmation(models.Model):
    """One interviewee's answer on one draft of an issue."""

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="interviewee_confirmations"
    )
    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(
        max_length=10, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING
    )
    photo_consent = models.BooleanField(_("my photo may be shown"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "interviewee"], name="one_confirmation_per_interviewee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}:{self.interviewee_id}:{self.status}"
