"""The small-count rule: the only place that decides which numbers of a result may be shown.

Results leave the portal (to ministries, in reports), so no table, chart or export may let a
reader learn what one or two identifiable members answered.

Primary suppression
    A count of 1 or 2 respondents (``0 < n < THRESHOLD``) is never shown: it reads ``<3``.
    A count of 0 is shown as 0: "nobody chose this" says nothing about any one person, and
    hiding zeros would only make the hidden cells easier to guess.

Secondary suppression (single-answer distributions)
    When every respondent gives exactly one answer (single choice, Likert, prefecture, a single
    field, the month of a date) the cells add up to the total shown beside them, so one hidden
    cell could be recovered by subtraction. There, further non-zero cells are hidden — always
    the smallest one left — until no ``<3`` cell can be worked out from the total, knowing that
    a ``<3`` cell holds 1 or 2 and any other hidden cell at least 3. Those cells read ``x``.
    If even hiding every other cell is not enough, the total is hidden (``x``) as well. The same
    applies to a response-rate table whose rows split the audience exactly (each targeted member
    in one row): its respondent counts are a distribution of the overall number of respondents.
    Where one respondent may count in several rows (multiple choice, several fields, members
    active in several prefectures) the cells do not add up to a total and only the primary
    rule applies. In a response-rate row of only one or two targeted members the respondents
    are always hidden (``x``), even 0: any number there would tell whether they answered.

Percentages and rates
    A hidden count has no percentage (nor rate), and when the total is hidden no percentage is
    shown at all (a count and its percentage give the total away).

Statistics of numbers
    The mean and median of a number question are shown only when at least ``THRESHOLD`` members
    answered it; the number who answered follows the primary rule.

Legend: ``<3`` = "1 or 2 respondents"; ``x`` = "hidden so that a ``<3`` cell cannot be worked
out from the total". Both appear in every place a result is shown or exported.

Limits: each table is protected on its own. When a table's total has to be hidden (only a 1 and
a 3 are left, say), the same number may still be read elsewhere — the overall number of
respondents, or the respondents of another question everyone answered — and a reader who puts
the two together can recover the small cell. This happens only with very few respondents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

THRESHOLD = 3
SMALL = "<3"
HIDDEN = "x"

LEGEND = (
    (SMALL, _("1 or 2 respondents: the number is not shown.")),
    (
        HIDDEN,
        _("Hidden so that a number of 1 or 2 cannot be worked out from the total."),
    ),
)

_PERCENT = Decimal("0.1")


def is_small(n: int) -> bool:
    """Whether a count of respondents must never be shown (1 or 2)."""
    return 0 < n < THRESHOLD


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal (``None`` when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown. A suppressed cell does not hold its value at all, so no
    template, chart or export can show it by mistake."""

    count: int | None
    mark: str = ""  # "", SMALL or HIDDEN
    percent: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return bool(self.mark)

    @property
    def display(self) -> str:
        return self.mark or str(self.count)

    @property
    def percent_display(self) -> str:
        return "" if self.percent is None else f"{self.percent}%"

    @property
    def percent_label(self) -> str:
        """The percentage as shown in a table: the mark of a hidden cell, else the percentage
        (empty when there is none to show)."""
        return self.mark or self.percent_display

    @property
    def export_value(self) -> int | str:
        """The count, or its mark: what a spreadsheet cell holds."""
        return self.mark or self.count

    @property
    def export_percent(self) -> Decimal | str:
        if self.percent is not None:
            return self.percent
        return self.mark


def count(n: int, total: int | None = None) -> Cell:
    """One count under the primary rule, with its percentage of ``total`` when given."""
    if is_small(n):
        return Cell(None, SMALL)
    return Cell(n, "", percent(n, total) if total is not None else None)


@dataclass(frozen=True)
class Distribution:
    cells: list[Cell]
    total: Cell


def _determined(counts: Sequence[int], marks: Sequence[str]) -> bool:
    """Whether the value of some ``SMALL`` cell follows from the total: each ``SMALL`` cell is
    known to hold 1…THRESHOLD-1, each ``HIDDEN`` cell at least THRESHOLD, and together they hold
    the total minus the cells shown. A cell's value is open when it could be one more (another
    hidden cell giving one up) or one less (another taking one more)."""
    small = [i for i, mark in enumerate(marks) if mark == SMALL]
    hidden = [counts[i] for i, mark in enumerate(marks) if mark == HIDDEN]
    for i in small:
        others = [counts[j] for j in small if j != i]
        can_rise = counts[i] < THRESHOLD - 1 and (
            any(v > 1 for v in others) or any(v > THRESHOLD for v in hidden)
        )
        can_fall = counts[i] > 1 and (any(v < THRESHOLD - 1 for v in others) or bool(hidden))
        if not (can_rise or can_fall):
            return True
    return False


def distribution(counts: Sequence[int], total: int, *, single_answer: bool) -> Distribution:
    """The cells of one distribution of respondents and its total.

    ``single_answer``: each respondent is in exactly one cell, so the cells add up to ``total``
    and secondary suppression applies.
    """
    marks = [SMALL if is_small(n) else "" for n in counts]
    total_mark = SMALL if is_small(total) else ""
    if single_answer and not total_mark:
        while _determined(counts, marks):
            candidates = [i for i, n in enumerate(counts) if n > 0 and not marks[i]]
            if not candidates:
                total_mark = HIDDEN
                break
            smallest = min(candidates, key=lambda i: (counts[i], i))
            marks[smallest] = HIDDEN
    shown_total = not total_mark
    cells = [
        Cell(None, mark) if mark else Cell(n, "", percent(n, total) if shown_total else None)
        for n, mark in zip(counts, marks, strict=True)
    ]
    total_cell = Cell(None, total_mark) if total_mark else Cell(total)
    return Distribution(cells, total_cell)


@dataclass(frozen=True)
class Rate:
    """One row of a response-rate table: targeted members (always shown) and respondents, whose
    ``percent`` is the response rate."""

    targeted: int
    responded: Cell


def rates(
    rows: Sequence[tuple[int, int]],
    targeted: int,
    responded: int,
    *,
    partition: bool,
) -> tuple[list[Rate], Rate]:
    """Response rates of ``rows`` (targeted, responded) and of everyone.

    ``partition``: every targeted member is in exactly one row, so the respondent counts add up
    to ``responded`` and secondary suppression applies.
    """
    spread = distribution([r for _t, r in rows], responded, single_answer=partition)
    result = [
        Rate(t, _rate_cell(t, cell)) for (t, _r), cell in zip(rows, spread.cells, strict=True)
    ]
    total = spread.total
    overall = Rate(
        targeted, total if total.suppressed else Cell(responded, "", percent(responded, targeted))
    )
    return result, overall


def _rate_cell(targeted: int, cell: Cell) -> Cell:
    """In a row of one or two targeted members any number of respondents (even 0, even "<3")
    would tell whether those members answered: it is hidden."""
    if is_small(targeted):
        return Cell(None, HIDDEN)
    return cell if cell.suppressed else Cell(cell.count, "", percent(cell.count, targeted))


def statistics_shown(n: int) -> bool:
    """Whether the mean and median of ``n`` answers may be shown."""
    return n >= THRESHOLD
