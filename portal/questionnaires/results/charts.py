"""Server-rendered SVG bar charts (no script, no external resource).

A chart is an image (``role="img"``) named by its ``<title>`` and described by the data table
shown beside it (``aria-describedby``), which carries the same numbers for screen readers and
for copying. Bars are drawn only for counts that may be shown: a suppressed cell gets a hatched
marker of fixed width labelled with its mark (``<3`` or ``x``), and the scale is set by the
shown counts alone, so nothing in the drawing depends on a hidden value.

Colours meet WCAG 2.1 contrast on the white background the chart paints itself: text
``#1a1a1a`` (17:1), bars ``#005a9c`` (7:1, non-text needs 3:1), marker lines ``#4a4a4a``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .suppression import Cell

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


@dataclass(frozen=True)
class ChartRow:
    label: str
    cell: Cell


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "\u2026"


def _value_text(cell: Cell) -> str:
    if cell.suppressed or cell.percent is None:
        return cell.display
    return f"{cell.display} ({cell.percent_display})"


def bar_chart(rows: Sequence[ChartRow], *, chart_id: str, title: str, table_id: str) -> SafeString:
    """A horizontal bar chart of ``rows`` as SVG markup (every text escaped)."""
    height = PAD * 2 + ROW * max(len(rows), 1)
    scale = max((r.cell.count for r in rows if not r.cell.suppressed), default=0)
    hatch = f"{chart_id}-hatch"
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="q-chart" id="{}" role="img" '
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
            format_html(
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
                format_html(
                    '<g class="q-chart__suppressed" data-mark="{}">'
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" '
                    'stroke="{}" stroke-width="1"/>'
                    '<text x="{}" y="{}" font-size="13" fill="{}">{}</text></g>',
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
                format_html(
                    '<rect class="q-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    PAD,
                    bar_y,
                    length,
                    BAR_HEIGHT,
                    BAR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                PAD + length + 6,
                text_y,
                TEXT,
                _value_text(cell),
            )
        )
    parts.append(SafeString("</svg>"))  # a constant: nothing to escape
    return format_html_join("", "{}", ((part,) for part in parts))
