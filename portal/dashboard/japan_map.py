"""A map of Japan's 47 prefectures as an accessible SVG choropleth: a tile-grid map.

Why tiles: the portal has no network access for map data and must not fetch anything when a
page renders, and outline maps make small prefectures (Tokyo, Osaka, Kagawa) nearly invisible
beside Hokkaido while giving each count the weight of the land area. Here every prefecture is one
square of the same size, placed roughly where it lies (north-east to south-west, Okinawa alone in
the corner), with its name and its count written on it. The map is a picture of the data table
beside it, which stays the authoritative, accessible form of the numbers.

Accessibility:

- ``role="img"`` with a ``<title>`` and a ``<desc>`` (the highest counts and how to read the
  colours), and ``aria-describedby`` pointing at the data table beside it;
- each tile has its own ``<title>`` ("Tokyo: 12") for pointer users;
- colours are five classes of one blue scale (0, then four equal steps up to the largest count),
  shown in a legend with their ranges; every label keeps at least 4.5:1 contrast against its
  tile (dark text on the light classes, white on the darkest), and the count is written on each
  tile, so nothing depends on telling colours apart;
- the chosen prefecture gets a thick black outline (and a white inner line) and a "selected"
  sample in the legend; the table marks the same row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.charts import markup

# (column, row) of each prefecture by its JIS X 0401 number.
TILES: dict[int, tuple[int, int]] = {
    1: (12, 0),  # Hokkaido
    2: (11, 1),  # Aomori
    3: (11, 2),  # Iwate
    4: (11, 3),  # Miyagi
    5: (10, 2),  # Akita
    6: (10, 3),  # Yamagata
    7: (10, 4),  # Fukushima
    8: (11, 5),  # Ibaraki
    9: (10, 5),  # Tochigi
    10: (9, 5),  # Gunma
    11: (9, 6),  # Saitama
    12: (11, 6),  # Chiba
    13: (10, 6),  # Tokyo
    14: (9, 7),  # Kanagawa
    15: (9, 4),  # Niigata
    16: (8, 4),  # Toyama
    17: (7, 4),  # Ishikawa
    18: (6, 5),  # Fukui
    19: (8, 6),  # Yamanashi
    20: (8, 5),  # Nagano
    21: (7, 5),  # Gifu
    22: (8, 7),  # Shizuoka
    23: (7, 6),  # Aichi
    24: (6, 7),  # Mie
    25: (6, 6),  # Shiga
    26: (5, 6),  # Kyoto
    27: (4, 7),  # Osaka
    28: (4, 6),  # Hyogo
    29: (5, 7),  # Nara
    30: (5, 8),  # Wakayama
    31: (3, 6),  # Tottori
    32: (2, 6),  # Shimane
    33: (3, 7),  # Okayama
    34: (2, 7),  # Hiroshima
    35: (1, 7),  # Yamaguchi
    36: (4, 8),  # Tokushima
    37: (3, 8),  # Kagawa
    38: (2, 8),  # Ehime
    39: (3, 9),  # Kochi
    40: (1, 8),  # Fukuoka
    41: (0, 8),  # Saga
    42: (0, 9),  # Nagasaki
    43: (1, 9),  # Kumamoto
    44: (2, 9),  # Oita
    45: (2, 10),  # Miyazaki
    46: (1, 10),  # Kagoshima
    47: (0, 11),  # Okinawa
}

TILE = 56
GAP = 4
MARGIN = 8
LEGEND_WIDTH = 170
COLUMNS = 13
ROWS = 12

TEXT_DARK = "#1a1a1a"
TEXT_LIGHT = "#ffffff"
OUTLINE = "#4a4a4a"
SELECTED = "#000000"
BACKGROUND = "#ffffff"
# (fill, label colour): contrast of label on fill ≥ 4.5:1 for each.
CLASSES = (
    ("#f3f3f3", TEXT_DARK),  # 0
    ("#deebf7", TEXT_DARK),
    ("#9ecae1", TEXT_DARK),
    ("#4292c6", TEXT_DARK),
    ("#08519c", TEXT_LIGHT),
)


@dataclass(frozen=True)
class Tile:
    number: int
    code: str
    name: str
    short: str
    count: int


def short_name(name_ja: str, name_en: str, language: str) -> str:
    """The name written on a tile: English names as they are, Japanese without 都/府/県."""
    if language == "en":
        return name_en
    if name_ja in ("北海道",):
        return name_ja
    return name_ja[:-1] if name_ja[-1:] in ("都", "府", "県") else name_ja


def bins(largest: int) -> list[tuple[int, int]]:
    """The class ranges: (0, 0) and four equal steps of whole numbers up to ``largest``
    (fewer when ``largest`` is below 4)."""
    ranges = [(0, 0)]
    if largest <= 0:
        return ranges
    step = -(-largest // 4)  # ceiling division
    low = 1
    while low <= largest:
        high = min(low + step - 1, largest)
        ranges.append((low, high))
        low = high + 1
    return ranges


def class_of(count: int, ranges: list[tuple[int, int]]) -> int:
    for index, (low, high) in enumerate(ranges):
        if low <= count <= high:
            return index
    return len(ranges) - 1


def _position(number: int) -> tuple[int, int]:
    column, row = TILES[number]
    return MARGIN + column * (TILE + GAP), MARGIN + row * (TILE + GAP)


def tile_map(
    tiles: list[Tile],
    *,
    chart_id: str,
    title: str,
    table_id: str,
    selected: str = "",
    unit: str = "",
) -> SafeString:
    """The map as SVG markup. ``selected`` is the code of the chosen prefecture (or empty);
    ``unit`` names what is counted ("coordinators")."""
    largest = max((t.count for t in tiles), default=0)
    ranges = bins(largest)
    grid_width = MARGIN * 2 + COLUMNS * (TILE + GAP)
    width = grid_width + LEGEND_WIDTH
    height = MARGIN * 2 + ROWS * (TILE + GAP)
    top = sorted((t for t in tiles if t.count), key=lambda t: (-t.count, t.number))[:5]
    description = _(
        "Tile map: one square per prefecture, placed roughly where it lies, with its name and "
        "its number of %(unit)s. Darker squares have more. Highest: %(top)s. The table beside "
        "the map lists every prefecture."
    ) % {
        "unit": unit,
        "top": ", ".join(f"{t.name} {t.count}" for t in top) or _("none"),
    }
    chosen = next((t for t in tiles if t.code == selected), None)
    if chosen is not None:
        description += " " + _("Selected: %(name)s, %(count)s.") % {
            "name": chosen.name,
            "count": chosen.count,
        }
    parts = [
        markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="jp-map" id="{}" role="img" '
            'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
            'aria-labelledby="{}-title" aria-describedby="{}-desc {}" focusable="false">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
            '<rect width="{}" height="{}" fill="{}"/>',
            chart_id,
            width,
            height,
            chart_id,
            chart_id,
            table_id,
            chart_id,
            title,
            chart_id,
            description,
            width,
            height,
            BACKGROUND,
        )
    ]
    ordered = sorted(tiles, key=lambda t: (t.code == selected, t.number))  # selected drawn last
    for tile in ordered:
        if tile.number not in TILES:
            continue
        x, y = _position(tile.number)
        fill, ink = CLASSES[min(class_of(tile.count, ranges), len(CLASSES) - 1)]
        is_selected = tile.code == selected
        parts.append(
            markup(
                '<g class="jp-map__tile{}" data-prefecture="{}" data-count="{}"{}>'
                "<title>{}: {}</title>"
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                'stroke-width="{}"/>'
                "{}"
                '<text x="{}" y="{}" font-size="10" fill="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" font-size="15" font-weight="700" fill="{}" '
                'text-anchor="middle">{}</text></g>',
                " jp-map__tile--selected" if is_selected else "",
                tile.code,
                tile.count,
                mark_safe(' data-selected="true"') if is_selected else "",  # noqa: S308 (a constant)
                tile.name,
                tile.count,
                x,
                y,
                TILE,
                TILE,
                fill,
                SELECTED if is_selected else OUTLINE,
                5 if is_selected else 1,
                markup(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}" '
                    'stroke-width="2"/>',
                    x + 4,
                    y + 4,
                    TILE - 8,
                    TILE - 8,
                    BACKGROUND,
                )
                if is_selected
                else "",
                x + TILE / 2,
                y + 20,
                ink,
                tile.short,
                x + TILE / 2,
                y + 42,
                ink,
                tile.count,
            )
        )
    parts.append(_legend(grid_width, ranges, bool(chosen)))
    parts.append(SafeString("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 - parts are markup() results and constants


def _legend(left: int, ranges: list[tuple[int, int]], with_selected: bool) -> SafeString:
    rows = [
        markup(
            '<text x="{}" y="{}" font-size="13" font-weight="700" fill="{}">{}</text>',
            left,
            MARGIN + 14,
            TEXT_DARK,
            _("Legend"),
        )
    ]
    y = MARGIN + 28
    for index, (low, high) in enumerate(ranges):
        fill, _ink = CLASSES[min(index, len(CLASSES) - 1)]
        label = str(low) if low == high else f"{low}–{high}"
        rows.append(
            markup(
                '<g class="jp-map__class"><rect x="{}" y="{}" width="20" height="20" fill="{}" '
                'stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text></g>',
                left,
                y,
                fill,
                OUTLINE,
                left + 28,
                y + 15,
                TEXT_DARK,
                label,
            )
        )
        y += 28
    if with_selected:
        rows.append(
            markup(
                '<rect x="{}" y="{}" width="20" height="20" fill="{}" stroke="{}" '
                'stroke-width="4"/>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                left,
                y + 8,
                BACKGROUND,
                SELECTED,
                left + 28,
                y + 23,
                TEXT_DARK,
                _("Selected prefecture"),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - rows are markup() results


def tiles_for(prefectures, counts: Mapping[int, int], language: str) -> list[Tile]:
    """Tiles of ``prefectures`` (taxonomy rows) with ``counts`` by prefecture id."""
    return [
        Tile(
            number=p.number,
            code=p.code,
            name=p.name,
            short=short_name(p.name_ja, p.name_en, language),
            count=counts.get(p.pk, 0),
        )
        for p in prefectures
    ]
