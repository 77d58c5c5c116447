"""Reads of the questionnaire feature for members: what is addressed to me, and my status."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from portal.accounts.gate import is_staff_member

from .models import QuestionnaireIndexPage, QuestionnairePage, ResponseDraft, Roster, RosterEntry
from .services import ResponseStatus, roster_ensure, targeted_users


@dataclass
class QuestionnaireRow:
    page: QuestionnairePage
    status: str  # ResponseStatus or "" for staff
    state: str  # "upcoming", "open", "closed"

    @property
    def title(self) -> str:
        return self.page.localized_title

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def closes_at(self):
        return self.page.closes_at


def _state(page: QuestionnairePage, now) -> str:
    if not page.has_opened(now):
        return "upcoming"
    return "closed" if page.has_closed(now) else "open"


def questionnaires_for(user, now=None) -> list[QuestionnaireRow]:
    """The live questionnaires addressed to ``user`` (a coordinator) with their status: open ones
    first by closing time, then upcoming, then closed ones they were asked to answer. Queries do
    not grow with the number of questionnaires that are open."""
    now = now or timezone.now()
    pages = list(QuestionnairePage.objects.live().order_by("closes_at", "pk").defer_streamfields())
    if not pages:
        return []
    opened = [p for p in pages if p.has_opened(now)]
    taken = set(
        Roster.objects.filter(questionnaire_id__in=[p.pk for p in opened]).values_list(
            "questionnaire_id", flat=True
        )
    )
    for page in opened:
        if page.pk not in taken:
            roster_ensure(page, now)
    entries = dict(
        RosterEntry.objects.filter(
            user_id=user.pk, questionnaire_id__in=[p.pk for p in opened]
        ).values_list("questionnaire_id", "has_responded")
    )
    drafts = set(
        ResponseDraft.objects.filter(user_id=user.pk).values_list("questionnaire_id", flat=True)
    )
    rows = []
    for page in pages:
        state = _state(page, now)
        if state == "upcoming":
            if not targeted_users(page, timezone.localdate(now)).filter(pk=user.pk).exists():
                continue
        elif page.pk not in entries:
            continue
        if entries.get(page.pk):
            status = ResponseStatus.SUBMITTED
        elif page.pk in drafts:
            status = ResponseStatus.DRAFT
        else:
            status = ResponseStatus.NOT_STARTED
        rows.append(QuestionnaireRow(page, status, state))
    order = {"open": 0, "upcoming": 1, "closed": 2}
    # Open and upcoming by closing time; closed ones most recent first.
    rows.sort(
        key=lambda r: (
            order[r.state],
            (-1 if r.state == "closed" else 1) * r.page.closes_at.timestamp(),
        )
    )
    return rows


def questionnaires_for_staff(now=None) -> list[QuestionnaireRow]:
    now = now or timezone.now()
    pages = QuestionnairePage.objects.live().order_by("-opens_at", "pk").defer_streamfields()
    return [QuestionnaireRow(page, "", _state(page, now)) for page in pages]


def questionnaire_index_context(index_page, request) -> dict:
    user = request.user
    if is_staff_member(user):
        rows = questionnaires_for_staff()
        return {"rows": rows, "staff_view": True}
    rows = questionnaires_for(user)
    return {"rows": rows, "staff_view": False}


def open_questionnaires_for_home(user, context: dict) -> None:
    """``construct_member_home``: open questionnaires the member has not submitted yet."""
    from portal.accounts.gate import Access

    if context.get("access") is not Access.ADMIT or is_staff_member(user):
        return
    index = QuestionnaireIndexPage.objects.live().first()
    context["questionnaires_url"] = index.url if index is not None else ""
    context["opinions_url"] = reverse("opinions:list")
    context["open_questionnaires"] = [
        row
        for row in questionnaires_for(user)
        if row.state == "open" and row.status != ResponseStatus.SUBMITTED
    ]
