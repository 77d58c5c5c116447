"""Answering a questionnaire (``/questionnaires/<slug>/``; the member gate runs before this)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.gate import is_staff_member

from .forms import ResponseForm, data_from_answers, data_from_draft, draft_data
from .models import IdentifiedResponse, QuestionnairePage, ResponseDraft
from .questions import OTHER, Vocabulary
from .services import (
    ResponseRefused,
    ResponseStatus,
    draft_save,
    is_targeted,
    response_status,
    response_submit,
)

TEMPLATE = "questionnaires/questionnaire_page.html"


def _initial(form: ResponseForm, data) -> dict:
    """Form ``initial`` from stored form data (a draft, or earlier answers), so that the page
    shows them without reporting errors before the member acts."""
    initial = {}
    for name, field in form.fields.items():
        if name not in data:
            continue
        values = data.getlist(name)
        initial[name] = values if isinstance(field, forms.MultipleChoiceField) else values[0]
    return initial


def _state(page: QuestionnairePage, now) -> str:
    if not page.has_opened(now):
        return "upcoming"
    return "closed" if page.has_closed(now) else "open"


def answer_summary(page: QuestionnairePage, answers) -> list[tuple[str, str]]:
    """(question, answer as read) for the member's own stored answers, in question order."""
    by_question: dict[str, list] = {}
    for answer in answers:
        by_question.setdefault(answer.question, []).append(answer)
    rows = []
    for question in page.question_set:
        stored = by_question.get(question.key)
        if not stored:
            continue
        if question.kind in {"single_choice", "multiple_choice", "likert"}:
            parts = []
            for a in stored:
                text = question.describe_value(a.option)
                parts.append(f"{text}: {a.text}" if a.option == OTHER and a.text else text)
            value = ", ".join(parts)
        elif question.kind == "number":
            unit = f" {question.unit_text}" if question.unit_text else ""
            value = f"{stored[0].number.normalize():f}{unit}"
        elif question.kind == "date":
            value = stored[0].date.isoformat()
        elif question.kind == "prefecture":
            value = question.describe_value(stored[0].prefecture_id)
        elif question.kind == "field":
            value = question.describe_value({a.field_id for a in stored})
        else:
            value = stored[0].text
        rows.append((question.text, value))
    return rows


def _render(request, page, context, status=200):
    context = {"page": page, "self": page, **context}
    return TemplateResponse(request, TEMPLATE, context, status=status)


def questionnaire_preview(request, page: QuestionnairePage):
    """The admin preview: the form exactly as a member sees it, with nothing to submit."""
    form = ResponseForm(page.question_set, Vocabulary.get())
    return _render(request, page, {"form": form, "preview": True, "state": "open"})


def questionnaire_serve(request, page: QuestionnairePage):
    user = request.user
    now = timezone.now()
    if is_staff_member(user):
        form = ResponseForm(page.question_set, Vocabulary.get())
        context = {"form": form, "preview": True, "staff_view": True, "state": _state(page, now)}
        context["results_url"] = reverse("questionnaires_results", args=[page.pk])
        return _render(request, page, context)
    if not is_targeted(page, user, now):
        raise Http404
    state = _state(page, now)
    status = response_status(page, user)
    link = None
    if not page.is_anonymous:
        link = (
            IdentifiedResponse.objects.filter(questionnaire_id=page.pk, user=user)
            .select_related("sheet")
            .first()
        )
    context = {"state": state, "status": status, "link": link}
    if state == "upcoming":
        return _render(request, page, context)
    if state == "closed" or (page.is_anonymous and status == ResponseStatus.SUBMITTED):
        if request.method == "POST":
            messages.error(
                request,
                _("This questionnaire is closed; answers can no longer be saved.")
                if state == "closed"
                else _("You have already responded to this anonymous questionnaire."),
            )
            return redirect(page.url)
        if link is not None:
            context["summary"] = answer_summary(page, link.sheet.answers.all())
        return _render(request, page, context)

    vocabulary = Vocabulary.get()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "draft" and status != ResponseStatus.SUBMITTED:
            try:
                draft_save(page, user, draft_data(request.POST), now)
            except ResponseRefused as refused:
                messages.error(request, str(refused))
                return redirect(page.url)
            messages.success(
                request,
                _("Your draft is saved. You can come back and finish before %(time)s.")
                % {"time": timezone.localtime(page.closes_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect(page.url)
        form = ResponseForm(page.question_set, vocabulary, data=request.POST)
        if form.is_valid():
            try:
                response_submit(page, user, form.answer_rows(), now)
            except ResponseRefused as refused:
                messages.error(request, str(refused))
                return redirect(page.url)
            if page.is_anonymous:
                messages.success(request, _("Thank you. Your answers were recorded anonymously."))
            elif status == ResponseStatus.SUBMITTED:
                messages.success(request, _("Your response has been updated."))
            else:
                messages.success(
                    request,
                    _("Thank you. Your response is submitted; you can change it until closing."),
                )
            return redirect(page.url)
        if status != ResponseStatus.SUBMITTED:
            draft_save(page, user, draft_data(request.POST), now)  # nothing typed is lost
            context["draft_kept"] = True
        context["form"] = form
        return _render(request, page, context)

    form = ResponseForm(page.question_set, vocabulary)
    if link is not None:
        form.initial = _initial(
            form, data_from_answers(page.question_set, link.sheet.answers.all())
        )
    else:
        draft = ResponseDraft.objects.filter(questionnaire_id=page.pk, user=user).first()
        if draft is not None:
            form.initial = _initial(form, data_from_draft(draft.data))
    context["form"] = form
    return _render(request, page, context)
