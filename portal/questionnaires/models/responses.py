"""Who was asked, who has answered, and the answers, kept apart.

- ``RosterEntry``: the audience fixed when the questionnaire opens; ``has_responded`` is the only
  mark that a member answered (no time is kept with it).
- ``ResponseSheet`` and ``Answer``: the answers. Neither has a column that refers to a user,
  nor a time, and both have random keys, so their order says nothing about who answered when.
- ``IdentifiedResponse``: in identified mode only, the link from a member to their sheet.
  Anonymous questionnaires never get one.
- ``ResponseDraft``: a member's unsent answers (as typed), deleted when they submit.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .pages import QuestionnairePage


class Roster(models.Model):
    """That the audience of a questionnaire is fixed, and when (kept out of the page so that
    publishing a revision never undoes it)."""

    questionnaire = models.OneToOneField(
        QuestionnairePage, on_delete=models.CASCADE, primary_key=True, related_name="roster"
    )
    taken_at = models.DateTimeField()
    targeted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("questionnaire", "audience")

    def __str__(self) -> str:
        return f"{self.questionnaire_id}: {self.targeted}"


class RosterEntry(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnairePage, on_delete=models.CASCADE, related_name="roster_entries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    prefectures = models.ManyToManyField("taxonomy.Prefecture", blank=True, related_name="+")
    fields = models.ManyToManyField("taxonomy.Field", blank=True, related_name="+")
    has_responded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("targeted coordinator")
        verbose_name_plural = _("targeted coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="questionnaires_roster_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.user_id}"


class ResponseSheet(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        QuestionnairePage, on_delete=models.CASCADE, related_name="sheets"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    """One value of one answer: a multiple choice gives one row per option chosen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sheet = models.ForeignKey(ResponseSheet, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=30)
    option = models.SmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    prefecture = models.ForeignKey(
        "taxonomy.Prefecture", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        "taxonomy.Field", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "option"], name="questionnaires_answer_opt")]

    def __str__(self) -> str:
        return f"{self.question}"


class IdentifiedResponse(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnairePage, on_delete=models.CASCADE, related_name="identified_responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    sheet = models.OneToOneField(ResponseSheet, on_delete=models.CASCADE, related_name="owner")
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("identified response")
        verbose_name_plural = _("identified responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="questionnaires_one_response"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.user_id}"


class ResponseDraft(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnairePage, on_delete=models.CASCADE, related_name="drafts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft response")
        verbose_name_plural = _("draft responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="questionnaires_one_draft"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.user_id}"


class QuestionnaireReminder(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnairePage, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="questionnaires_remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.user_id}"
