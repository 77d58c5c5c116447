"""Server-rendered SVG charts (no script, no external resource), shared by questionnaire results
and the agency dashboard.

A chart is an image (``role="img"``) named by its ``<title>`` and described by the data table
shown beside it (``aria-describedby``), which carries the same numbers for screen readers and
for copying. Every text is escaped.

- :func:`bar_chart`: horizontal bars of :class:`~portal.questionnaires.results.suppression.Cell`
  counts. Bars are drawn only for counts that may be shown: a suppressed cell gets a hatched
  marker of fixed width labelled with its mark (``<3`` or ``x``), and the scale is set by the
  shown counts alone, so nothing in the drawing depends on a hidden value.
- :func:`column_chart`: vertical columns of one or more series over ordered categories (months),
  with a legend, for trends.

Colours meet WCAG 2.1 contrast on the white background the chart paints itself: text
``#1a1a1a`` (17:1), first series ``#005a9c`` (7:1; non-text needs 3:1), second series
``#a34700`` (6:1), third ``#2e7d32`` (5:1), marker and axis lines ``#4a4a4a``. Series are also
told apart by their legend and, in the data table, by their column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeData, SafeString, mark_safe

from portal.questionnaires.results.suppression import Cell

WIDTH = 640
PAD = 8
ROW = 44
BAR_HEIGHT = 16
BAR_MAX = 470
MARKER_WIDTH = 28
LABEL_CHARS = 52

TEXT = "#1a1a1a"
BAR = "#005a9c"
MARKER = "#4a4a4a"
BACKGROUND = "#ffffff"
SERIES_COLOURS = (BAR, "#a34700", "#2e7d32")


@dataclass(frozen=True)
class ChartRow:
    label: str
    cell: Cell


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def _value_text(cell: Cell) -> str:
    if cell.suppressed or cell.percent is None:
        return cell.display
    return f"{cell.display} ({cell.percent_display})"


def markup(template: str, *args) -> SafeString:
    """``template`` with ``args`` filled in, each escaped unless already safe: Django's
    ``format_html`` without its per-argument checks for lazy text, which cost more than the
    rest of a large chart."""
    return mark_safe(  # noqa: S308 - every argument is escaped here
        template.format(*(a if isinstance(a, SafeData) else escape(str(a)) for a in args))
    )


def _join(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - parts are markup() results and constants


def bar_chart(
    rows: Sequence[ChartRow],
    *,
    chart_id: str,
    title: str,
    table_id: str,
    css_class: str = "q-chart",
) -> SafeString:
    """A horizontal bar chart of ``rows`` as SVG markup (every text escaped)."""
    height = PAD * 2 + ROW * max(len(rows), 1)
    scale = max((r.cell.count for r in rows if not r.cell.suppressed), default=0)
    hatch = f"{chart_id}-hatch"
    parts = [
        markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{}" id="{}" role="img" '
            'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
            'aria-labelledby="{}-title" aria-describedby="{}" focusable="false">'
            '<title id="{}-title">{}</title>'
            "<defs>"
            '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="{}"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="3"/>'
            "</pattern>"
            "</defs>"
            '<rect width="{}" height="{}" fill="{}"/>',
            css_class,
            chart_id,
            WIDTH,
            height,
            chart_id,
            table_id,
            chart_id,
            title,
            hatch,
            BACKGROUND,
            MARKER,
            WIDTH,
            height,
            BACKGROUND,
        )
    ]
    for index, row in enumerate(rows):
        top = PAD + ROW * index
        bar_y = top + 20
        text_y = bar_y + BAR_HEIGHT - 3
        parts.append(
            markup(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                PAD,
                top + 14,
                TEXT,
                _short(row.label),
            )
        )
        cell = row.cell
        if cell.suppressed:
            parts.append(
                markup(
                    '<g class="{}__suppressed" data-mark="{}">'
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" '
                    'stroke="{}" stroke-width="1"/>'
                    '<text x="{}" y="{}" font-size="13" fill="{}">{}</text></g>',
                    css_class,
                    cell.mark,
                    PAD,
                    bar_y,
                    MARKER_WIDTH,
                    BAR_HEIGHT,
                    hatch,
                    MARKER,
                    PAD + MARKER_WIDTH + 6,
                    text_y,
                    TEXT,
                    cell.mark,
                )
            )
            continue
        length = round(BAR_MAX * cell.count / scale) if scale and cell.count else 0
        if length:
            parts.append(
                markup(
                    '<rect class="{}__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    css_class,
                    PAD,
                    bar_y,
                    length,
                    BAR_HEIGHT,
                    BAR,
                )
            )
        parts.append(
            markup(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                PAD + length + 6,
                text_y,
                TEXT,
                _value_text(cell),
            )
        )
    parts.append(SafeString("</svg>"))  # a constant: nothing to escape
    return _join(parts)


# Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One series of a column chart: its name (legend) and one value per category."""

    label: str
    values: Sequence[int]


COLUMN_PLOT_TOP = 40
COLUMN_PLOT_HEIGHT = 200
COLUMN_AXIS = 44
COLUMN_LABELS = 46
COLUMN_MAX_LABELS = 12


def _n(value: float) -> str:
    """A coordinate with one decimal."""
    return f"{value:.1f}"


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (the top of the axis)."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    table_id: str,
    description: str = "",
    css_class: str = "chart",
) -> SafeString:
    """Grouped vertical columns: one group per category (left to right), one column per series.

    The axis runs from 0 to a round number at or above the largest value, with a line at its
    middle; every column above 0 is labelled with its value when there is room (up to 12
    categories), and category labels are thinned out to at most 12. Categories written as
    ``YYYY-MM`` are labelled by month, with the year below where it changes."""
    count = max(len(categories), 1)
    plot_width = WIDTH - COLUMN_AXIS - PAD
    group = plot_width / count
    column = max(min(group * 0.8 / max(len(series), 1), 28), 1)
    top = _nice_ceiling(max((v for s in series for v in s.values), default=0))
    height = COLUMN_PLOT_TOP + COLUMN_PLOT_HEIGHT + COLUMN_LABELS
    base_y = COLUMN_PLOT_TOP + COLUMN_PLOT_HEIGHT
    parts = [
        markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{}" id="{}" role="img" '
            'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
            'aria-labelledby="{}-title" aria-describedby="{}-desc {}" focusable="false">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
            '<rect width="{}" height="{}" fill="{}"/>',
            css_class,
            chart_id,
            WIDTH,
            height,
            chart_id,
            chart_id,
            table_id,
            chart_id,
            title,
            chart_id,
            description,
            WIDTH,
            height,
            BACKGROUND,
        )
    ]
    # Legend.
    x = COLUMN_AXIS
    for index, item in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(
            markup(
                '<rect x="{}" y="10" width="14" height="14" fill="{}"/>'
                '<text x="{}" y="22" font-size="13" fill="{}">{}</text>',
                x,
                colour,
                x + 20,
                TEXT,
                _short(item.label, 30),
            )
        )
        x += 40 + 8 * min(len(str(item.label)), 30)
    # Axis: 0, the middle and the top.
    for value in sorted({0, top // 2, top}):
        y = base_y - COLUMN_PLOT_HEIGHT * value / top
        parts.append(
            markup(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">{}</text>',
                COLUMN_AXIS,
                _n(y),
                WIDTH - PAD,
                _n(y),
                MARKER,
                1 if value == 0 else 0.5,
                COLUMN_AXIS - 6,
                _n(y + 4),
                TEXT,
                value,
            )
        )
    every = -(-count // COLUMN_MAX_LABELS)  # ceiling division
    labelled = count <= COLUMN_MAX_LABELS
    shown_year = ""
    for index, category in enumerate(categories):
        left = COLUMN_AXIS + group * index + (group - column * len(series)) / 2
        for position, item in enumerate(series):
            value = item.values[index]
            colour = SERIES_COLOURS[position % len(SERIES_COLOURS)]
            bar = COLUMN_PLOT_HEIGHT * value / top
            x = left + column * position
            if value:
                parts.append(
                    markup(
                        '<rect class="{}__column" data-series="{}" x="{}" y="{}" '
                        'width="{}" height="{}" fill="{}"/>',
                        css_class,
                        position,
                        _n(x),
                        _n(base_y - bar),
                        _n(column),
                        _n(bar),
                        colour,
                    )
                )
            if labelled and value:
                parts.append(
                    markup(
                        '<text x="{}" y="{}" font-size="11" fill="{}" '
                        'text-anchor="middle">{}</text>',
                        _n(x + column / 2),
                        _n(base_y - bar - 4),
                        TEXT,
                        value,
                    )
                )
        if index % every == 0:
            # "2026-04" is written as "04" with the year below it where the year changes.
            year, _dash, month = str(category).partition("-")
            centre = _n(COLUMN_AXIS + group * index + group / 2)
            if month and year.isdigit():
                first_line = month
                second_line = year if year != shown_year else ""
                shown_year = year
            else:
                first_line, second_line = _short(category, 10), ""
            parts.append(
                markup(
                    '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="middle">{}</text>',
                    centre,
                    base_y + 18,
                    TEXT,
                    first_line,
                )
            )
            if second_line:
                parts.append(
                    markup(
                        '<text x="{}" y="{}" font-size="12" fill="{}" '
                        'text-anchor="middle">{}</text>',
                        centre,
                        base_y + 34,
                        TEXT,
                        second_line,
                    )
                )
    parts.append(SafeString("</svg>"))
    return _join(parts)
