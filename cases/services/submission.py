"""Writes of case authors: save a draft, submit it to the *Case moderation* workflow.

A case written on the site is a page that is not live. While its author may edit it (draft,
changes requested) the page row holds what the author last saved, and every save adds a
revision; moderators review and publish revisions in the admin.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState

from portal.audit import audit
from portal.sanitize import clean_html
from portal.taxonomy.models import Field

from ..models import CaseIndexPage, CaseState, CaseStudyPage, CaseType
from ..selectors.anonymisation import RICH_TEXT_FIELDS, case_findings, open_findings
from ..selectors.submission import case_as_written, case_is_editable

CASE_DRAFT_SAVE = "portal.case_draft_save"
CASE_SUBMIT = "portal.case_author_submit"

# Values copied as they are from the cleaned form data.
PLAIN_FIELDS = (
    "title",
    "case_type",
    "summary",
    "partners_note",
    "outcome",
    "client_age_band",
    "client_status",
    "client_stay_band",
    "attribution",
)
REGIONAL_FIELDS = ("stakeholders", "measures", "government_feedback")


def _new_slug() -> str:
    while True:
        slug = f"case-{secrets.token_hex(4)}"
        if not CaseStudyPage.objects.filter(slug=slug).exists():
            return slug


def _apply(case: CaseStudyPage, data: dict) -> None:
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(case, name, (data[name] or "").strip())
    for name in RICH_TEXT_FIELDS:
        if name in data:
            # Always stored cleaned, whatever the caller passed.
            setattr(case, name, clean_html(data[name] or "").strip())
    if case.case_type != CaseType.REGIONAL:
        for name in REGIONAL_FIELDS:
            setattr(case, name, "")
    if "prefecture" in data:
        case.prefecture_id = data["prefecture"] or None
    if "client_language" in data:
        case.client_language_id = data["client_language"] or None
    if "client_consent" in data:
        case.client_consent = bool(data["client_consent"])
    if "ethics_checklist" in data:
        case.ethics_checklist = sorted(set(data["ethics_checklist"] or ()))
    if "fields" in data:
        case.fields = list(Field.objects.filter(pk__in=data["fields"] or ()))
    if "partners" in data:
        case.partners = list(data["partners"] or ())


# Row-level facts the author's list and the moderators read, also while a version is live.
META_FIELDS = ("state", "submitted_at", "justifications", "client_consent", "ethics_checklist")


def _store(case: CaseStudyPage, user) -> None:
    """Save the page row and add a revision. While a published version is live, its content
    stays as it is (the revision carries the changes) and only the row's facts are updated."""
    if case.live:
        case.save(update_fields=list(META_FIELDS), clean=False)
    else:
        case.save()
    case.save_revision(user=user)


def case_save_draft(user, data: dict, case: CaseStudyPage | None = None) -> CaseStudyPage:
    """Create (``case=None``) or update the author's draft from cleaned form ``data``.

    The case stays a draft (or keeps *changes requested*); nothing is published."""
    with transaction.atomic():
        if case is None:
            index = CaseIndexPage.objects.get()
            case = CaseStudyPage(
                slug=_new_slug(),
                live=False,
                author=user,
                state=CaseState.DRAFT,
            )
            _apply(case, data)
            index.add_child(instance=case)
        else:
            case = CaseStudyPage.objects.select_for_update().get(pk=case.pk)
            if case.author_id != user.pk or not case_is_editable(case):
                raise ValidationError(_("This case study cannot be edited now."))
            _apply(case, data)
        _store(case, user)
        audit(case, CASE_DRAFT_SAVE, user=user, data={"state": case.state})
    return case


def _submission_errors(case: CaseStudyPage) -> list[str]:
    from ..forms import ETHICS_KEYS

    errors = []
    if not case.client_consent:
        errors.append(_("Confirm that the client consented before you submit the case."))
    if set(ETHICS_KEYS) - set(case.ethics_checklist or ()):
        errors.append(_("Check the case for every item and tick it before you submit."))
    findings = open_findings(case, case.justifications)
    if findings:
        errors.append(
            _(
                "%(count)d possible personal details are neither fixed nor justified: change the "
                "text or explain why each must stay."
            )
            % {"count": len(findings)}
        )
    return errors


def case_submit(user, case: CaseStudyPage, justifications: list[dict]) -> CaseStudyPage:
    """Send the author's saved case to the moderators with ``justifications``
    (``[{"field", "kind", "text", "reason"}]``): starts the *Case moderation* workflow, or
    resumes it when the moderators had asked for changes.

    Raises ``ValidationError`` while consent or the ethics checklist is missing or a
    high-severity finding of the anonymisation assistant is open."""
    with transaction.atomic():
        case = CaseStudyPage.objects.select_for_update().get(pk=case.pk)
        if case.author_id != user.pk or not case_is_editable(case):
            raise ValidationError(_("This case study cannot be submitted now."))
        case = case_as_written(case)
        # Keep only justifications of high findings that are in the text now.
        present = {(f.field, f.kind, f.text) for f in case_findings(case, []) if f.is_high}
        case.justifications = [
            {
                "field": str(item["field"]),
                "kind": str(item["kind"]),
                "text": str(item["text"]),
                "reason": str(item["reason"]).strip(),
            }
            for item in justifications
            if str(item.get("reason") or "").strip()
            and (item["field"], item["kind"], item["text"]) in present
        ]
        errors = _submission_errors(case)
        if errors:
            raise ValidationError(errors)
        workflow_state = case.current_workflow_state
        workflow = case.get_workflow()
        if workflow_state is None and workflow is None:
            raise ValidationError(
                _("Case studies cannot be submitted at the moment. Please contact the agency.")
            )
        resumed = bool(
            workflow_state and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        )
        case.state = CaseState.IN_REVIEW
        case.submitted_at = timezone.now()
        _store(case, user)
        if resumed:
            workflow_state.resume(user)
        else:
            workflow.start(case, user)
        audit(
            case,
            CASE_SUBMIT,
            user=user,
            data={"resubmitted": resumed, "justifications": len(case.justifications)},
        )
    return case
