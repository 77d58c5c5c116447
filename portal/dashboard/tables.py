"""Every figure of the dashboard is a :class:`Table`: rows of labels and counts, and the rule
that says how its counts relate, which decides how they are protected when they leave the admin.

In the admin the exact counts are shown (staff may know them). Anything downloaded goes through
:mod:`portal.questionnaires.results.suppression`, the portal's one small-count rule:

- ``COUNTS``: each count stands alone (rows overlap: a coordinator active in two prefectures
  counts in both). Counts of 1 or 2 read ``<3``.
- ``SHARES``: each count column splits the total row exactly (every coordinator in one status,
  every case in one state). Besides ``<3``, the next smallest cells are hidden (``x``) until no
  small count can be worked out from the total.
- ``ROW_SHARES``: the counts of each row split the row's total, written as a last column
  (certifications and renewals of a month; consent states of the coordinators of one scope).
- ``RATES``: each row is a population (targeted members) and the part of it that responded; the
  respondents follow the rule, a population of one or two hides its respondents.

Statistics (median days) are shown only when at least three cases stand behind them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.charts import ChartRow, bar_chart, markup
from portal.questionnaires.results import suppression
from portal.questionnaires.results.suppression import Cell

COUNTS = "counts"
SHARES = "shares"
ROW_SHARES = "row_shares"
RATES = "rates"


@dataclass
class Row:
    labels: list[str]
    counts: list[int]
    key: str = ""  # a stable key: prefecture code, state, field slug…
    url: str = ""  # where the first label links to in the admin
    selected: bool = False  # the prefecture chosen in the filters
    stats: list[Decimal | None] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else ""


@dataclass
class Table:
    key: str
    title: str
    label_headers: list[str]
    count_headers: list[str]
    rows: list[Row]
    rule: str = COUNTS
    total: list[int] | None = None  # SHARES: the total of each count column
    stat_headers: list[str] = field(default_factory=list)
    total_stats: list[Decimal | None] = field(default_factory=list)  # statistics of the total
    note: str = ""
    chart: str = ""  # "bar": a bar chart of the first count column; "map", "columns"
    figure: str = ""  # a chart drawn by the table's builder (the map, the trend)
    gap_columns: tuple[int, ...] = ()  # count columns where a 0 is a gap (no partner there)
    empty: str = ""  # what to say when there are no rows
    download_urls: dict[str, str] = field(default_factory=dict)  # set by the page

    # The page --------------------------------------------------------------------------------

    @property
    def dom_id(self) -> str:
        return f"table-{self.key}"

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def headers(self) -> list[str]:
        """Column headings as shown on the page."""
        heads = list(self.label_headers)
        for header in self.count_headers:
            heads.append(header)
            if self.rule == SHARES:
                heads.append(_("%"))
        if self.rule == ROW_SHARES:
            heads.append(_("Total"))
        if self.rule == RATES:
            heads.append(_("Rate (%)"))
        heads.extend(self.stat_headers)
        return heads

    def page_cells(self, row: Row) -> list[str]:
        """The counts (and percentages, rates, statistics) of ``row`` as shown in the admin."""
        cells: list[str] = []
        if self.rule == SHARES:
            for index, n in enumerate(row.counts):
                whole = self.total[index] if self.total else 0
                cells.append(str(n))
                share = suppression.percent(n, whole)
                cells.append("" if share is None else f"{share}%")
        else:
            cells.extend(str(n) for n in row.counts)
        if self.rule == ROW_SHARES:
            cells.append(str(sum(row.counts)))
        if self.rule == RATES:
            targeted, responded = row.counts[0], row.counts[1]
            rate = suppression.percent(responded, targeted)
            cells.append("" if rate is None else f"{rate}%")
        cells.extend("" if value is None else str(value) for value in row.stats)
        return cells

    @property
    def total_row(self) -> Row | None:
        if self.rule == SHARES and self.total is not None:
            return Row([_("Total")] + [""] * (len(self.label_headers) - 1), list(self.total))
        return None

    @property
    def total_cells(self) -> list[str]:
        row = self.total_row
        if row is None:
            return []
        cells = []
        for n in row.counts:
            cells.extend([str(n), "100.0%" if n else ""])
        cells.extend("" if value is None else str(value) for value in self._total_stats())
        return cells

    def _total_stats(self) -> list[Decimal | None]:
        return self.total_stats or [None] * len(self.stat_headers)

    @property
    def page_rows(self) -> list[tuple[Row, list[tuple[str, bool]]]]:
        """Each row with its cells as (text, is a gap) for the page."""
        result = []
        for row in self.rows:
            cells = self.page_cells(row)
            gaps = [False] * len(cells)
            if self.rule == COUNTS:
                for index in self.gap_columns:
                    gaps[index] = row.counts[index] == 0
            result.append((row, list(zip(cells, gaps, strict=True))))
        return result

    @property
    def body_html(self) -> SafeString:
        """The rows of the table body, written here rather than in a template: a template's
        per-cell lookups cost more than every query of a page with a 47-row table."""
        selected_mark = markup(' <span data-part="selected">{}</span>', _("(selected)"))
        gap_mark = markup('<span class="w-sr-only"> {}</span>', _("(no partner: gap)"))
        selected_attributes = SafeString(' class="is-selected" aria-current="true"')
        rows = []
        for row, cells in self.page_rows:
            label = markup('<a href="{}">{}</a>', row.url, row.label) if row.url else row.label
            texts = "".join(markup("<td>{}</td>", text) for text in row.labels[1:])
            counts = "".join(
                markup('<td class="is-gap" data-gap="true">{}{}</td>', text, gap_mark)
                if gap
                else markup("<td>{}</td>", text)
                for text, gap in cells
            )
            rows.append(
                markup(
                    '<tr data-key="{}"{}><th scope="row">{}{}</th>{}{}</tr>',
                    row.key,
                    selected_attributes if row.selected else "",
                    label,
                    selected_mark if row.selected else "",
                    mark_safe(texts),  # noqa: S308 - markup() results
                    mark_safe(counts),  # noqa: S308 - markup() results
                )
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - markup() results

    @property
    def chart_svg(self) -> str:
        """A bar chart of the first count column (exact counts; percentages of the total for
        ``SHARES``), or nothing."""
        if self.figure:
            return self.figure
        if self.chart != "bar" or not self.rows:
            return ""
        whole = self.total[0] if self.rule == SHARES and self.total else None
        rows = [
            ChartRow(
                row.label,
                Cell(
                    row.counts[0],
                    "",
                    suppression.percent(row.counts[0], whole) if whole is not None else None,
                ),
            )
            for row in self.rows
        ]
        return bar_chart(
            rows, chart_id=self.chart_id, title=self.title, table_id=self.dom_id, css_class="chart"
        )

    # Downloads -------------------------------------------------------------------------------

    def export_rows(self) -> list[list]:
        """Heading row and rows for a download: every count under the small-count rule."""
        header = list(self.label_headers)
        if self.rule == RATES:
            header += [self.count_headers[0], self.count_headers[1], _("Rate (%)")]
        else:
            for name in self.count_headers:
                header.append(name)
                if self.rule == SHARES:
                    header.append(_("Percent (%)"))
            if self.rule == ROW_SHARES:
                header.append(_("Total"))
        header += self.stat_headers
        body = [header]
        if self.rule == SHARES:
            body += self._export_shares()
        elif self.rule == ROW_SHARES:
            for row in self.rows:
                spread = suppression.distribution(row.counts, sum(row.counts), single_answer=True)
                cells = [cell.export_value for cell in spread.cells]
                body.append(
                    [*row.labels, *cells, spread.total.export_value, *self._stats(row, row.counts)]
                )
        elif self.rule == RATES:
            rates, _overall = suppression.rates(
                [(row.counts[0], row.counts[1]) for row in self.rows],
                sum(row.counts[0] for row in self.rows),
                sum(row.counts[1] for row in self.rows),
                partition=False,
            )
            for row, rate in zip(self.rows, rates, strict=True):
                body.append(
                    [
                        *row.labels,
                        rate.targeted,
                        rate.responded.export_value,
                        rate.responded.export_percent,
                    ]
                )
        else:
            for row in self.rows:
                cells = [suppression.count(n).export_value for n in row.counts]
                body.append([*row.labels, *cells, *self._stats(row, row.counts)])
        return body

    def _export_shares(self) -> list[list]:
        columns = [
            suppression.distribution(
                [row.counts[index] for row in self.rows],
                (self.total or [0] * len(self.count_headers))[index],
                single_answer=True,
            )
            for index in range(len(self.count_headers))
        ]
        body = []
        for position, row in enumerate(self.rows):
            cells = []
            for column in columns:
                cell = column.cells[position]
                cells += [cell.export_value, cell.export_percent]
            body.append([*row.labels, *cells, *self._stats(row, row.counts)])
        if self.total is not None:
            cells = []
            for column in columns:
                total = column.total
                cells += [total.export_value, "" if total.suppressed else Decimal("100.0")]
            padding = [""] * (len(self.label_headers) - 1)
            stats = self._stats(Row([], [], stats=self._total_stats()), self.total)
            body.append([_("Total"), *padding, *cells, *stats])
        return body

    @staticmethod
    def _stats(row: Row, counts: list[int]) -> list:
        """Statistics of a row, shown only when at least three cases stand behind them."""
        if not row.stats:
            return []
        n = counts[0] if counts else 0
        if suppression.statistics_shown(n):
            return ["" if value is None else value for value in row.stats]
        return [suppression.SMALL if n else "" for _ in row.stats]
