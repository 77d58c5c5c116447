"""The anonymisation report of a case: what the assistant finds in each text field, and which
high-severity findings are still open (neither fixed nor justified by the author).

Authors see it on the submission form, moderators in the admin; approving is refused while
:func:`open_findings` is not empty.
"""

from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..anonymisation import HIGH, KIND_LABELS, scan
from ..models import CaseStudyPage

# The text fields a case is written in, in the order of the form, with their labels.
TEXT_FIELDS = (
    "title",
    "summary",
    "situation",
    "issues",
    "actions",
    "partners_note",
    "outcome_text",
    "lessons",
    "stakeholders",
    "measures",
    "government_feedback",
)
RICH_TEXT_FIELDS = frozenset(TEXT_FIELDS) - {"title", "summary", "partners_note"}


@dataclass(frozen=True)
class FieldFinding:
    field: str
    field_label: str
    kind: str
    kind_label: str
    severity: str
    start: int  # offsets into ``field_text(case, field)``
    end: int
    text: str
    suggestion: str
    justification: str

    @property
    def is_high(self) -> bool:
        return self.severity == HIGH

    @property
    def is_open(self) -> bool:
        return self.is_high and not self.justification


def field_label(field: str) -> str:
    if field == "title":
        return str(_("Title"))
    return str(CaseStudyPage._meta.get_field(field).verbose_name)


def field_text(values, field: str) -> str:
    """The plain text of ``field`` from a case (or a dict of form values), tags removed."""
    value = values.get(field, "") if isinstance(values, dict) else getattr(values, field, "")
    value = str(value or "")
    return strip_tags(value) if field in RICH_TEXT_FIELDS else value


def justification_for(justifications, field: str, kind: str, text: str) -> str:
    for item in justifications or ():
        if item.get("field") == field and item.get("kind") == kind and item.get("text") == text:
            return str(item.get("reason") or "").strip()
    return ""


def case_findings(values, justifications=None) -> list[FieldFinding]:
    """Findings in every text field of ``values`` (a case, or a dict of cleaned form values),
    with the author's justification attached where one matches the same field, kind and text."""
    if justifications is None:
        justifications = getattr(values, "justifications", None) or []
    findings = []
    for field in TEXT_FIELDS:
        text = field_text(values, field)
        if not text:
            continue
        for finding in scan(text):
            snippet = text[finding.start : finding.end]
            findings.append(
                FieldFinding(
                    field=field,
                    field_label=field_label(field),
                    kind=finding.kind,
                    kind_label=str(KIND_LABELS.get(finding.kind, finding.kind)),
                    severity=finding.severity,
                    start=finding.start,
                    end=finding.end,
                    text=snippet,
                    suggestion=str(finding.suggestion),
                    justification=justification_for(justifications, field, finding.kind, snippet),
                )
            )
    return findings


def open_findings(values, justifications=None) -> list[FieldFinding]:
    """High-severity findings without a justification: these block submitting and approving."""
    return [f for f in case_findings(values, justifications) if f.is_open]
