"""Reads for case authors: their own cases, whether one may be edited, and the anonymisation
report shown on the submission form and the preview."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail.models import Page, TaskState, WorkflowState

from ..models import CaseState, CaseStudyPage
from .anonymisation import TEXT_FIELDS, FieldFinding, case_findings, field_text

EDITABLE_STATES = frozenset({CaseState.DRAFT, CaseState.CHANGES_REQUESTED})
MEMBER_HOME_CASES = 5


def case_is_editable(case: CaseStudyPage) -> bool:
    """Authors edit a case only while it is a draft or changes were requested, never while the
    moderators review it (the workflow is in progress) or lock it."""
    if case.state not in EDITABLE_STATES:
        return False
    workflow_state = case.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return False
    return not case.locked or case.locked_by_id == case.author_id


def own_case(user, pk: int) -> CaseStudyPage:
    """The user's own case, or 404 (other people's cases do not exist for them)."""
    case = (
        CaseStudyPage.objects.filter(pk=pk, author=user)
        .select_related("prefecture", "client_language")
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_as_written(case: CaseStudyPage) -> CaseStudyPage:
    """The case as its author last saved it (the latest revision when a version is live)."""
    if case.live and case.has_unpublished_changes:
        return case.get_latest_revision_as_object()
    return case


def own_cases(user):
    """The user's cases, newest first."""
    return CaseStudyPage.objects.filter(author=user).order_by("-pk")


@dataclass(frozen=True)
class OwnCaseRow:
    case: CaseStudyPage
    title: str
    state: str
    state_label: str
    submitted_at: object
    moderation_note: str
    rejection_comment: str
    edit_url: str
    view_url: str
    preview_url: str

    @property
    def url(self) -> str:
        """Where the case opens from a short list: edit, published page or preview."""
        return self.edit_url or self.view_url or self.preview_url


def _latest_rejection_comments(pks: list[int]) -> dict[int, str]:
    """The comment of the latest rejected task of each case's workflows, in one query."""
    if not pks:
        return {}
    rows = (
        TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=[str(pk) for pk in pks],
        )
        .exclude(comment="")
        .order_by("-finished_at", "-pk")
        .values_list("workflow_state__object_id", "comment")
    )
    comments: dict[int, str] = {}
    for object_id, comment in rows:
        comments.setdefault(int(object_id), comment)
    return comments


def _editable_ids(cases) -> set[int]:
    """Ids of the cases whose author may edit them, with the workflow states read in one query."""
    candidates = [c.pk for c in cases if c.state in EDITABLE_STATES]
    if not candidates:
        return set()
    in_review = set(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in candidates],
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).values_list("object_id", flat=True)
    )
    return {
        c.pk
        for c in cases
        if c.pk in candidates
        and str(c.pk) not in in_review
        and (not c.locked or c.locked_by_id == c.author_id)
    }


def own_case_rows(cases) -> list[OwnCaseRow]:
    """Rows of ``/cases/mine/`` for a page of ``own_cases`` (a fixed number of queries)."""
    cases = list(cases)
    comments = _latest_rejection_comments([c.pk for c in cases])
    editable = _editable_ids(cases)
    rows = []
    for case in cases:
        published = case.live and case.state == CaseState.PUBLISHED
        rows.append(
            OwnCaseRow(
                case=case,
                title=case.title,
                state=case.state,
                state_label=str(case.get_state_display()),
                submitted_at=case.submitted_at,
                moderation_note=case.moderation_note,
                rejection_comment=comments.get(case.pk, ""),
                edit_url=reverse("cases:edit", args=[case.pk]) if case.pk in editable else "",
                view_url=(case.url or "") if published else "",
                preview_url=reverse("cases:preview", args=[case.pk]),
            )
        )
    return rows


def member_home_cases(user) -> list[OwnCaseRow]:
    """The user's newest cases for the member start page (``title`` and ``url`` each)."""
    return own_case_rows(own_cases(user)[:MEMBER_HOME_CASES])


# ---------------------------------------------------------------------------
# The anonymisation report as authors see it
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportItem:
    finding: FieldFinding
    number: int  # 1-based among the high findings of the same field and kind
    reason: str

    @property
    def input_name(self) -> str:
        return f"justify-{self.finding.field}-{self.finding.kind}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.finding.is_high and not self.reason


@dataclass
class FieldReport:
    field: str
    label: str
    marked: SafeString
    items: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if item.is_open)


def marked_text(text: str, findings) -> SafeString:
    """``text`` escaped, each finding wrapped in ``<mark>``, newlines as ``<br>``."""
    pieces = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < position:
            continue  # overlapping warning: its text is marked already
        pieces.append(
            (
                text[position : finding.start],
                finding.severity,
                finding.kind,
                text[finding.start : finding.end],
            )
        )
        position = finding.end
    html = format_html(
        "{}{}",
        format_html_join(
            "",
            '{}<mark class="finding finding--{}" data-part="finding-mark" data-kind="{}">{}</mark>',
            pieces,
        ),
        text[position:],
    )
    return linebreaksbr(html.strip(), autoescape=False)


def anonymisation_report(values, justifications) -> dict[str, FieldReport]:
    """Per text field with findings: the marked plain text and each finding with the author's
    justification (``justifications`` in the stored format)."""
    by_field: dict[str, list] = defaultdict(list)
    for finding in case_findings(values, justifications):
        by_field[finding.field].append(finding)
    reports = {}
    for name in TEXT_FIELDS:
        findings = by_field.get(name)
        if not findings:
            continue
        counters: dict[str, int] = defaultdict(int)
        items = []
        for finding in findings:
            number = 0
            if finding.is_high:
                counters[finding.kind] += 1
                number = counters[finding.kind]
            items.append(ReportItem(finding, number, finding.justification))
        reports[name] = FieldReport(
            field=name,
            label=findings[0].field_label,
            marked=marked_text(field_text(values, name), findings),
            items=items,
        )
    return reports
