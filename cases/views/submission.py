"""Members write, preview and submit their cases; ``/cases/mine/`` lists them."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.gate import member_required
from portal.sanitize import clean_html

from ..anonymisation import KIND_LABELS
from ..forms import ACTIONS, DRAFT, PREVIEW, SUBMIT, CaseForm
from ..models import CaseState
from ..selectors.anonymisation import RICH_TEXT_FIELDS, TEXT_FIELDS, field_label
from ..selectors.submission import (
    anonymisation_report,
    case_as_written,
    case_is_editable,
    own_case,
    own_case_rows,
    own_cases,
)
from ..services.submission import case_save_draft, case_submit

PAGE_SIZE = 20
_JUSTIFY_RE = re.compile(r"^justify-([a-z_]+)-([a-z_]+)-(\d+)$")

# The form in parts, each a fieldset with a legend.
SECTIONS = (
    ("case", ("title", "case_type", "fields", "prefecture", "summary")),
    ("story", ("situation", "issues", "actions")),
    ("partners", ("partners", "partners_note")),
    ("outcome", ("outcome", "outcome_text", "lessons")),
    ("client", ("client_age_band", "client_status", "client_stay_band", "client_language")),
    ("regional", ("stakeholders", "measures", "government_feedback")),
    ("author", ("attribution",)),
    ("confirm", ("client_consent", "ethics_checklist")),
)


def _section_legends() -> dict[str, str]:
    return {
        "case": _("The case"),
        "story": _("What happened"),
        "partners": _("Partners involved"),
        "outcome": _("Outcome and lessons"),
        "client": _("The client, in coarse terms only"),
        "regional": _("Regional problem"),
        "author": _("Authorship"),
        "confirm": _("Before you submit"),
    }


def _section_help() -> dict[str, str]:
    return {
        "client": _("Never more detail than these bands: they are enough for other members."),
        "regional": _("Required when the case type is “Regional problem”."),
        "confirm": _("Needed to submit the case for review, not to save a draft."),
    }


def justifications_from_post(post, stored) -> list[dict]:
    """The author's justifications: those stored with the case, replaced by what was typed on
    the form for the same finding (an emptied box removes one)."""
    by_key = {(j.get("field"), j.get("kind"), j.get("text")): j for j in stored or ()}
    for name, reason in post.items():
        match = _JUSTIFY_RE.match(name)
        if not match:
            continue
        field, kind = match.group(1), match.group(2)
        if field not in TEXT_FIELDS or kind not in KIND_LABELS:
            continue
        text = post.get(f"{name}-text", "")
        if not text:
            continue
        by_key[(field, kind, text)] = {
            "field": field,
            "kind": kind,
            "text": text,
            "reason": reason.strip()[:2000],
        }
    return [j for j in by_key.values() if str(j.get("reason") or "").strip()]


def _render_form(request, form, case=None, report=None, errors=(), status=200):
    legends = _section_legends()
    help_texts = _section_help()
    report = report or {}
    sections = [
        {
            "key": key,
            "legend": legends[key],
            "help": help_texts.get(key, ""),
            "rows": [(form[name], report.get(name)) for name in names],
        }
        for key, names in SECTIONS
    ]
    context = {
        "form": form,
        "case": case,
        "sections": sections,
        "report": report,
        "open_count": sum(r.open_count for r in report.values()),
        "submit_errors": list(errors),
    }
    return TemplateResponse(request, "cases/submission/form.html", context, status=status)


def _handle(request, case=None):
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method != "POST":
        initial = CaseForm.initial_for(case) if case else None
        return _render_form(request, CaseForm(initial=initial), case)
    if action not in ACTIONS:
        action = DRAFT
    form = CaseForm(request.POST, action=action)
    if not form.is_valid():
        report = None
        if action == SUBMIT:
            # The findings in the valid fields too, so everything can be put right at once.
            stored = case.justifications if case else None
            report = anonymisation_report(
                form.cleaned_data, justifications_from_post(request.POST, stored)
            )
        return _render_form(request, form, case, report, status=400)
    data = form.cleaned_data
    if action in (DRAFT, PREVIEW):
        case = case_save_draft(request.user, data, case)
        if action == PREVIEW:
            return HttpResponseRedirect(reverse("cases:preview", args=[case.pk]))
        messages.success(request, _("Your draft was saved. It is not visible to other members."))
        return HttpResponseRedirect(reverse("cases:edit", args=[case.pk]))
    justifications = justifications_from_post(request.POST, case.justifications if case else None)
    report = anonymisation_report(data, justifications)
    if any(r.open_count for r in report.values()):
        # Refused before anything is stored; everything typed stays on the form.
        return _render_form(request, form, case, report, status=400)
    try:
        with transaction.atomic():
            saved = case_save_draft(request.user, data, case)
            case_submit(request.user, saved, justifications)
    except ValidationError as error:
        # Nothing was stored (rolled back); the form keeps what was typed.
        return _render_form(request, form, case, report, errors=error.messages, status=400)
    messages.success(
        request,
        _("Your case study was submitted. The moderators will review it; you cannot edit it now."),
    )
    return HttpResponseRedirect(reverse("cases:mine"))


@member_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    return _handle(request)


@member_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = own_case(request.user, pk)
    if not case_is_editable(case):
        status = 409 if request.method == "POST" else 200
        return TemplateResponse(
            request,
            "cases/submission/locked.html",
            {"case": case, "in_review": case.state == CaseState.IN_REVIEW},
            status=status,
        )
    return _handle(request, case_as_written(case))


@member_required
@require_http_methods(["GET"])
def case_preview(request, pk: int):
    case = case_as_written(own_case(request.user, pk))
    report = anonymisation_report(case, case.justifications)
    parts = []
    for name in TEXT_FIELDS[1:]:
        value = getattr(case, name)
        if not value:
            continue
        html = (
            SafeString(clean_html(value))  # cleaned when stored and again when shown
            if name in RICH_TEXT_FIELDS
            else linebreaksbr(value, autoescape=True)
        )
        parts.append(
            {"field": name, "label": field_label(name), "html": html, "report": report.get(name)}
        )
    context = {
        "case": case,
        "report": report,
        "parts": parts,
        "editable": case_is_editable(case),
        "fields_of_case": list(case.fields.all()),
        "partners_of_case": list(case.partners.all()),
    }
    return TemplateResponse(request, "cases/submission/preview.html", context)


@member_required
@require_http_methods(["GET"])
def own_case_list(request):
    page = Paginator(own_cases(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": own_case_rows(page.object_list), "query": ""}
    return TemplateResponse(request, "cases/submission/mine.html", context)
