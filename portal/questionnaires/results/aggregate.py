"""Reading the results of a questionnaire for staff.

:func:`questionnaire_results` counts in the database (``GROUP BY``) and runs the same number of
queries whatever the number of respondents:

1. and 2. the prefectures and fields, for their names;
3. the audience fixed at opening (``Roster``);
4. overall response: targeted members, respondents, and those with no known prefecture/field;
5. response by prefecture (a member counts in each prefecture of activity or workplace);
6. response by field of consultation (a member counts in each of their fields);
7. respondents per question (distinct response sheets);
8. counts per question and value: option, Likert point, prefecture, field, number, month of a
   date (distinct response sheets);
9. the free-text answers (and "other" texts), for staff review only — never exported in the
   aggregated files.

Every count goes through :mod:`.suppression` before it leaves this module: the results hold
:class:`~.suppression.Cell` objects, never a bare count that a template could show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from portal.taxonomy.models import Field, Prefecture

from ..models import Answer, QuestionnairePage, Roster, RosterEntry
from ..questions import LIKERT_LABELS, OTHER, Question
from . import suppression
from .charts import ChartRow, bar_chart
from .suppression import Cell, Rate

CHOICE_KINDS = {"single_choice", "multiple_choice"}
COUNTED_KINDS = CHOICE_KINDS | {"likert", "prefecture", "field", "date"}
TEXT_KINDS = {"short_text", "long_text"}
_MEAN = Decimal("0.01")


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``10.00`` → ``10``)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class RateRow:
    label: str
    rate: Rate

    @property
    def targeted(self) -> int:
        return self.rate.targeted

    @property
    def responded(self) -> Cell:
        return self.rate.responded


@dataclass
class ResponseRates:
    taken_at: datetime.datetime | None
    overall: Rate
    by_prefecture: list[RateRow]
    by_field: list[RateRow]


@dataclass(frozen=True)
class OptionRow:
    label: str
    cell: Cell


@dataclass(frozen=True)
class NumberStats:
    """Statistics of a number question; ``mean`` and ``median`` are ``None`` below the
    threshold."""

    n: Cell
    mean: Decimal | None
    median: Decimal | None
    unit: str

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass
class QuestionResult:
    question: Question
    respondents: Cell
    rows: list[OptionRow] = field(default_factory=list)
    single_answer: bool = False
    stats: NumberStats | None = None
    texts: list[str] = field(default_factory=list)
    other_texts: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.question.number

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def has_chart(self) -> bool:
        return bool(self.rows)

    @property
    def table_id(self) -> str:
        return f"q-{self.key}-table"

    @property
    def chart_id(self) -> str:
        return f"q-{self.key}-chart"

    @property
    def chart(self):
        if not self.rows:
            return ""
        return bar_chart(
            [ChartRow(row.label, row.cell) for row in self.rows],
            chart_id=self.chart_id,
            title=_("Question %(number)s: %(text)s") % {"number": self.number, "text": self.text},
            table_id=self.table_id,
        )


@dataclass
class QuestionnaireResults:
    page: QuestionnairePage
    rates: ResponseRates
    questions: list[QuestionResult]

    @property
    def responded(self) -> Cell:
        return self.rates.overall.responded


# Response rates ---------------------------------------------------------------------------


def _rate_rows(labelled: list[tuple[str, int, int]], targeted: int, responded: int):
    """Rows (label, targeted, responded) under the rule; secondary suppression when the rows
    split the audience exactly (their targeted members add up to everyone)."""
    partition = sum(t for _label, t, _r in labelled) == targeted
    cells, _overall = suppression.rates(
        [(t, r) for _label, t, r in labelled], targeted, responded, partition=partition
    )
    return [RateRow(label, rate) for (label, _t, _r), rate in zip(labelled, cells, strict=True)]


def response_rates(page: QuestionnairePage, prefectures: list, fields: list) -> ResponseRates:
    roster = Roster.objects.filter(questionnaire_id=page.pk).first()
    entries = RosterEntry.objects.filter(questionnaire_id=page.pk)
    prefecture_link = RosterEntry.prefectures.through
    field_link = RosterEntry.fields.through
    totals = entries.annotate(
        with_prefecture=Exists(prefecture_link.objects.filter(rosterentry_id=OuterRef("pk"))),
        with_field=Exists(field_link.objects.filter(rosterentry_id=OuterRef("pk"))),
    ).aggregate(
        targeted=Count("pk"),
        responded=Count("pk", filter=Q(has_responded=True)),
        no_prefecture=Count("pk", filter=Q(with_prefecture=False)),
        no_prefecture_responded=Count("pk", filter=Q(with_prefecture=False, has_responded=True)),
        no_field=Count("pk", filter=Q(with_field=False)),
        no_field_responded=Count("pk", filter=Q(with_field=False, has_responded=True)),
    )
    targeted, responded = totals["targeted"], totals["responded"]

    def grouped(link, column):
        return {
            row[column]: (row["targeted"], row["responded"])
            for row in link.objects.filter(rosterentry__questionnaire_id=page.pk)
            .values(column)
            .annotate(
                targeted=Count("rosterentry_id"),
                responded=Count("rosterentry_id", filter=Q(rosterentry__has_responded=True)),
            )
            .order_by()
        }

    unknown = _("Not recorded")
    by_prefecture = grouped(prefecture_link, "prefecture_id")
    prefecture_rows = [(p.name, *by_prefecture[p.pk]) for p in prefectures if p.pk in by_prefecture]
    if totals["no_prefecture"]:
        prefecture_rows.append(
            (unknown, totals["no_prefecture"], totals["no_prefecture_responded"])
        )
    by_field = grouped(field_link, "field_id")
    field_rows = [(f.name, *by_field[f.pk]) for f in fields if f.pk in by_field]
    if totals["no_field"]:
        field_rows.append((unknown, totals["no_field"], totals["no_field_responded"]))

    _cells, overall = suppression.rates([], targeted, responded, partition=False)
    return ResponseRates(
        taken_at=roster.taken_at if roster else None,
        overall=overall,
        by_prefecture=_rate_rows(prefecture_rows, targeted, responded),
        by_field=_rate_rows(field_rows, targeted, responded),
    )


# Questions --------------------------------------------------------------------------------


def _options(question: Question, counts: dict, prefectures: list, fields: list):
    """(label, value) of the rows of a counted question, in their natural order."""
    kind = question.kind
    if kind in CHOICE_KINDS:
        rows = [(option.text, i) for i, option in enumerate(question.options)]
        if question.allow_other or counts.get(OTHER):
            rows.append((_("Other"), OTHER))
        return rows
    if kind == "likert":
        return [(str(label), value) for value, label in LIKERT_LABELS.items()]
    # A vocabulary (47 prefectures, some twenty fields) would be mostly zeros: only the values
    # someone chose are listed.
    if kind == "prefecture":
        return [(p.name, p.pk) for p in prefectures if counts.get(p.pk)]
    if kind == "field":
        return [(f.name, f.pk) for f in fields if counts.get(f.pk)]
    if kind == "date":
        return [(month.strftime("%Y-%m"), month) for month in sorted(counts)]
    return []


def _value_of(kind: str, row: dict):
    if kind in CHOICE_KINDS or kind == "likert":
        return row["option"]
    if kind == "prefecture":
        return row["prefecture_id"]
    if kind == "field":
        return row["field_id"]
    if kind == "date":
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        return month
    if kind == "number":
        return row["number"]
    return None


def _number_stats(question: Question, frequencies: dict[Decimal, int], n: int) -> NumberStats:
    mean = median = None
    if suppression.statistics_shown(n):
        total = sum(value * times for value, times in frequencies.items())
        mean = plain((total / n).quantize(_MEAN, rounding=ROUND_HALF_UP))
        values = sorted(frequencies)
        # The middle answer(s) of the n answers, found from the cumulative counts.
        wanted = [(n - 1) // 2, n // 2]
        found = []
        seen = 0
        for value in values:
            upper = seen + frequencies[value]
            found.extend(value for position in wanted if seen <= position < upper)
            seen = upper
        median = plain((sum(found) / len(found)).quantize(_MEAN, rounding=ROUND_HALF_UP))
    return NumberStats(suppression.count(n), mean, median, question.unit_text)


def _question_result(question, respondents, counts, texts, others, prefectures, fields):
    kind = question.kind
    result = QuestionResult(question, suppression.count(respondents))
    if kind == "number":
        result.stats = _number_stats(question, counts, respondents)
        return result
    if kind in TEXT_KINDS:
        result.texts = texts
        return result
    result.single_answer = not question.is_set
    options = _options(question, counts, prefectures, fields)
    spread = suppression.distribution(
        [counts.get(value, 0) for _label, value in options],
        respondents,
        single_answer=result.single_answer,
    )
    result.respondents = spread.total
    result.rows = [
        OptionRow(label, cell) for (label, _value), cell in zip(options, spread.cells, strict=True)
    ]
    result.other_texts = others
    return result


def questionnaire_results(
    page: QuestionnairePage, *, with_texts: bool = True
) -> QuestionnaireResults:
    """Response rates and per-question results of ``page``, every count under the small-count
    rule. ``with_texts=False`` skips reading free-text answers (exports never contain them)."""
    prefectures = list(Prefecture.objects.order_by("number"))
    fields = list(Field.objects.all())
    rates = response_rates(page, prefectures, fields)

    questions = list(page.question_set)
    answers = Answer.objects.filter(sheet__questionnaire_id=page.pk)
    respondents = dict(
        answers.values("question")
        .annotate(n=Count("sheet_id", distinct=True))
        .order_by()
        .values_list("question", "n")
    )
    kinds = {q.key: q.kind for q in questions}
    counted = [q.key for q in questions if q.kind in COUNTED_KINDS | {"number"}]
    counts: dict[str, dict] = {key: {} for key in kinds}
    if counted:
        grouped = (
            answers.filter(question__in=counted)
            .annotate(month=TruncMonth("date"))
            .values("question", "option", "prefecture_id", "field_id", "number", "month")
            .annotate(n=Count("sheet_id", distinct=True))
            .order_by()
        )
        for row in grouped:
            value = _value_of(kinds[row["question"]], row)
            if value is None:
                continue
            bucket = counts[row["question"]]
            bucket[value] = bucket.get(value, 0) + row["n"]

    texts: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    text_keys = [q.key for q in questions if q.kind in TEXT_KINDS]
    other_keys = [q.key for q in questions if q.kind in CHOICE_KINDS]
    if with_texts and (text_keys or other_keys):
        # Alphabetical: the order says nothing about who answered when.
        rows = (
            answers.filter(Q(question__in=text_keys) | Q(question__in=other_keys, option=OTHER))
            .exclude(text="")
            .order_by("question", "text")
            .values_list("question", "option", "text")
        )
        for key, option, text in rows:
            target = others if option == OTHER and kinds.get(key) in CHOICE_KINDS else texts
            target.setdefault(key, []).append(text)

    results = [
        _question_result(
            q,
            respondents.get(q.key, 0),
            counts.get(q.key, {}),
            texts.get(q.key, []),
            others.get(q.key, []),
            prefectures,
            fields,
        )
        for q in questions
    ]
    return QuestionnaireResults(page, rates, results)
