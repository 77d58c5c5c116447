"""Case studies: by workflow state, by field and by prefecture, the time moderators take from a
submission to their decision, and regional-problem cases listed by prefecture.

A case belongs to the period by the day it was (last) submitted; a draft never submitted, by the
day it was last saved. Decisions belong to the period by the day they were made. The prefecture
filter keeps the cases of that prefecture (and the decisions on them).

Decisions are the finished tasks of the *Case moderation* workflow (Wagtail's task states): each
submission (or resubmission) starts one, and the moderators' decision finishes it — approved and
published, changes requested, or rejected (a cancelled task that carries the moderators' reason).
The time is from the start of the task to its end; its median is worked out from the counts of
decisions per hour of waiting, read in one ``GROUP BY``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from .. import sources
from ..filters import Filters
from ..tables import COUNTS, SHARES, Row, Table
from .common import Reading

REGIONAL = "regional"
DRAFT = "draft"
PUBLISHED = "published"
NOT_RECORDED = "not-recorded"
LIST_PER_PREFECTURE = 5
_DAYS = Decimal("0.1")


class HoursBetween(models.Func):
    """Whole hours from one time stamp to a later one (rounded down): ``HoursBetween(start,
    end)``. Written for the two databases the portal runs on."""

    arity = 2
    output_field = models.IntegerField()

    def _parts(self, compiler):
        (start, start_params), (end, end_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return start, end, (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError(f"HoursBetween is not written for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        start, end, params = self._parts(compiler)
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 3600) AS integer)", params

    def as_sqlite(self, compiler, connection, **extra):
        start, end, params = self._parts(compiler)
        # Whole seconds on both sides, so that 48 hours never come out as 47.999….
        seconds = (
            f"(CAST(strftime('%%s', {end}) AS integer) - CAST(strftime('%%s', {start}) AS integer))"
        )
        return f"({seconds} / 3600)", params


def cases(filters: Filters):
    """Case studies in the period (by their day) and the prefecture."""
    pages = sources.case_study().objects.alias(
        day=Coalesce("submitted_at", "latest_revision_created_at", "first_published_at")
    )
    if filters.date_from:
        pages = pages.filter(day__date__gte=filters.date_from)
    if filters.date_to:
        pages = pages.filter(day__date__lte=filters.date_to)
    if filters.prefecture_id is not None:
        pages = pages.filter(prefecture_id=filters.prefecture_id)
    return pages


def _state_choices() -> list[tuple[str, str]]:
    return sources.choices("cases.CaseStudyPage", "state")


def state_table(filters: Filters, reading: Reading) -> Table:
    grouped = dict(
        cases(filters).values("state").annotate(n=Count("pk")).order_by().values_list("state", "n")
    )
    rows = [
        Row([str(label)], [grouped.get(value, 0)], key=value) for value, label in _state_choices()
    ]
    return Table(
        key="case-states",
        title=_("Case studies by workflow state"),
        label_headers=[_("State")],
        count_headers=[_("Case studies")],
        rows=rows,
        rule=SHARES,
        total=[sum(grouped.values())],
        chart="bar",
        note=_("Counted by the day a case was submitted (drafts: last saved)."),
    )


def field_table(filters: Filters, reading: Reading) -> Table:
    links = sources.case_study().fields.through.objects
    grouped = {
        row["field_id"]: (row["n"], row["published"])
        for row in links.filter(casestudypage_id__in=cases(filters).values("pk"))
        .values("field_id")
        .annotate(
            n=Count("casestudypage_id"),
            published=Count("casestudypage_id", filter=Q(casestudypage__state=PUBLISHED)),
        )
        .order_by()
    }
    return Table(
        key="case-fields",
        title=_("Case studies by field of consultation"),
        label_headers=[_("Field of consultation")],
        count_headers=[_("Case studies"), _("Of which published")],
        rows=[Row([f.name], list(grouped.get(f.pk, (0, 0))), key=f.slug) for f in reading.fields],
        rule=COUNTS,
        chart="bar",
        note=_("A case counts in each of its fields."),
    )


def _by_prefecture(filters: Filters, reading: Reading) -> dict:
    """{prefecture id or None: [cases, regional cases, published regional cases]}: one query
    shared by two tables."""
    return reading.shared("cases-by-prefecture", lambda: _count_by_prefecture(filters))


def _count_by_prefecture(filters: Filters) -> dict:
    grouped: dict = {}
    for row in (
        cases(filters)
        .values("prefecture_id")
        .annotate(
            n=Count("pk"),
            regional=Count("pk", filter=Q(case_type=REGIONAL)),
            regional_published=Count("pk", filter=Q(case_type=REGIONAL, state=PUBLISHED)),
        )
        .order_by()
    ):
        grouped[row["prefecture_id"]] = [row["n"], row["regional"], row["regional_published"]]
    return grouped


def _prefecture_rows(filters, reading, grouped, columns) -> list[Row]:
    selected = filters.prefecture.code if filters.prefecture else ""
    rows = [
        Row([p.name], [grouped[p.pk][i] for i in columns], key=p.code, selected=p.code == selected)
        for p in reading.prefectures
        if p.pk in grouped and any(grouped[p.pk][i] for i in columns)
    ]
    if None in grouped and any(grouped[None][i] for i in columns):
        rows.append(Row([_("Not recorded")], [grouped[None][i] for i in columns], NOT_RECORDED))
    return rows


def prefecture_table(filters: Filters, reading: Reading) -> Table:
    grouped = _by_prefecture(filters, reading)
    return Table(
        key="case-prefectures",
        title=_("Case studies by prefecture"),
        label_headers=[_("Prefecture")],
        count_headers=[_("Case studies"), _("Of which regional problems")],
        rows=_prefecture_rows(filters, reading, grouped, (0, 1)),
        rule=SHARES,
        total=[sum(v[0] for v in grouped.values()), sum(v[1] for v in grouped.values())],
        note=_("Prefectures without a case are left out."),
        empty=_("No case study in this period."),
    )


def regional_table(filters: Filters, reading: Reading) -> Table:
    grouped = _by_prefecture(filters, reading)
    return Table(
        key="regional-problems",
        title=_("Regional-problem cases by prefecture"),
        label_headers=[_("Prefecture")],
        count_headers=[_("Regional-problem cases"), _("Of which published")],
        rows=_prefecture_rows(filters, reading, grouped, (1, 2)),
        rule=SHARES,
        total=[sum(v[1] for v in grouped.values()), sum(v[2] for v in grouped.values())],
        note=_("Every state, drafts included. The newest cases of each prefecture are listed."),
        empty=_("No regional-problem case in this period."),
    )


def regional_listing(filters: Filters, reading: Reading) -> list[dict]:
    """The newest regional-problem cases of each prefecture (at most five each), submitted ones
    only, for the page: [{"prefecture", "code", "cases": [{"title", "state", "url", "day"}]}]."""
    names = {p.pk: (p.name, p.code, p.number) for p in reading.prefectures}
    states = dict(_state_choices())
    ranked = (
        cases(filters)
        .filter(case_type=REGIONAL)
        .exclude(state=DRAFT)
        .annotate(
            on=F("day"),
            rank=Window(
                RowNumber(),
                partition_by=[F("prefecture_id")],
                order_by=[F("day").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=LIST_PER_PREFECTURE)
        .values("pk", "title", "state", "prefecture_id", "on")
    )
    groups: dict = {}
    for row in ranked:
        groups.setdefault(row["prefecture_id"], []).append(
            {
                "title": row["title"],
                "state": states.get(row["state"], row["state"]),
                "url": reverse("wagtailadmin_pages:edit", args=[row["pk"]]),
                "day": row["on"],
            }
        )
    listing = []
    for prefecture_id, items in groups.items():
        name, code, number = names.get(prefecture_id, (_("Not recorded"), NOT_RECORDED, 10_000))
        listing.append({"prefecture": name, "code": code, "number": number, "cases": items})
    listing.sort(key=lambda group: group["number"])
    return listing


# Moderation -----------------------------------------------------------------------------------

APPROVED = TaskState.STATUS_APPROVED
CHANGES = TaskState.STATUS_REJECTED  # Wagtail's "rejected" task: the author is asked for changes
REJECTED = TaskState.STATUS_CANCELLED  # with the moderators' reason: refused for good


def decisions(filters: Filters):
    """Finished moderation tasks decided by moderators in the period, on cases of the prefecture."""
    tasks = TaskState.objects.filter(
        task_id__in=sources.case_moderation_task().objects.values("pk"),
        finished_at__isnull=False,
    ).filter(Q(status__in=[APPROVED, CHANGES]) | (Q(status=REJECTED) & ~Q(comment="")))
    if filters.date_from:
        tasks = tasks.filter(finished_at__date__gte=filters.date_from)
    if filters.date_to:
        tasks = tasks.filter(finished_at__date__lte=filters.date_to)
    if filters.prefecture_id is not None:
        ids = (
            sources.case_study()
            .objects.filter(prefecture_id=filters.prefecture_id)
            .annotate(key=Cast("pk", models.CharField()))
            .values("key")
        )
        tasks = tasks.filter(workflow_state__object_id__in=ids)
    return tasks


def median(frequencies: dict[int, int]) -> Decimal | None:
    """The median of values given as {value: how many times}."""
    n = sum(frequencies.values())
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found = []
    seen = 0
    for value in sorted(frequencies):
        upper = seen + frequencies[value]
        found.extend(value for position in wanted if seen <= position < upper)
        seen = upper
    return Decimal(sum(found)) / len(found)


def _days(hours: Decimal | None) -> Decimal | None:
    return None if hours is None else (hours / 24).quantize(_DAYS, rounding=ROUND_HALF_UP)


def decision_hours(filters: Filters) -> dict[str, dict[int, int]]:
    """{status: {whole hours waited: decisions}}."""
    grouped: dict[str, dict[int, int]] = {APPROVED: {}, CHANGES: {}, REJECTED: {}}
    for row in (
        decisions(filters)
        .annotate(hours=HoursBetween("started_at", "finished_at"))
        .values("status", "hours")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        bucket = grouped[row["status"]]
        bucket[row["hours"]] = bucket.get(row["hours"], 0) + row["n"]
    return grouped


def timing_table(filters: Filters, reading: Reading) -> Table:
    grouped = decision_hours(filters)
    labels = {
        APPROVED: _("Approved and published"),
        CHANGES: _("Changes requested"),
        REJECTED: _("Rejected"),
    }
    rows = [
        Row(
            [labels[status]],
            [sum(grouped[status].values())],
            key=status,
            stats=[_days(median(grouped[status]))],
        )
        for status in (APPROVED, CHANGES, REJECTED)
    ]
    everything: dict[int, int] = {}
    for bucket in grouped.values():
        for hours, n in bucket.items():
            everything[hours] = everything.get(hours, 0) + n
    return Table(
        key="case-decisions",
        title=_("Time from submission to decision"),
        label_headers=[_("Decision")],
        count_headers=[_("Decisions")],
        stat_headers=[_("Median days")],
        rows=rows,
        rule=SHARES,
        total=[sum(everything.values())],
        total_stats=[_days(median(everything))],
        note=_(
            "Each submission or resubmission and the moderators' decision on it, counted by the "
            "day of the decision. Medians in days (whole hours waited, divided by 24)."
        ),
    )


def median_days(filters: Filters) -> Decimal | None:
    """The median days from submission to decision over every decision (home panel)."""
    everything: dict[int, int] = {}
    for bucket in decision_hours(filters).values():
        for hours, n in bucket.items():
            everything[hours] = everything.get(hours, 0) + n
    return _days(median(everything))


TABLES = {
    "case-states": state_table,
    "case-fields": field_table,
    "case-prefectures": prefecture_table,
    "case-decisions": timing_table,
    "regional-problems": regional_table,
}


def state_counts() -> dict[str, int]:
    """Every case study by state, today (home panel)."""
    return dict(
        sources.case_study()
        .objects.values("state")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("state", "n")
    )
