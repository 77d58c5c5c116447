"""Charts and the map are SVG drawn on the server: an image with a title, a description and the
data table it stands for; the map places every prefecture, says each count, marks the chosen
one, and keeps its labels readable on every colour."""

import re

import pytest
from django.utils import translation

from portal.charts import Series, column_chart
from portal.dashboard import japan_map
from portal.taxonomy.models import Prefecture

pytestmark = pytest.mark.django_db


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_prefecture_has_its_own_tile():
    assert sorted(japan_map.TILES) == list(range(1, 48))
    assert len(set(japan_map.TILES.values())) == 47


def test_labels_keep_contrast_on_every_class():
    for fill, ink in japan_map.CLASSES:
        assert contrast(fill, ink) >= 4.5, fill


def test_bins_cover_every_count():
    assert japan_map.bins(0) == [(0, 0)]
    assert japan_map.bins(3) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert japan_map.bins(12) == [(0, 0), (1, 3), (4, 6), (7, 9), (10, 12)]
    ranges = japan_map.bins(13)
    assert ranges[-1][1] == 13 and len(ranges) == 5


@translation.override("en")
def test_map_marks_the_chosen_prefecture_and_describes_itself():
    prefectures = list(Prefecture.objects.order_by("number"))
    counts = {p.pk: (7 if p.number == 13 else 1 if p.number == 47 else 0) for p in prefectures}
    tiles = japan_map.tiles_for(prefectures, counts, "en")
    svg = str(
        japan_map.tile_map(
            tiles, chart_id="m", title="Valid coordinators", table_id="t", selected="JP-47"
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="m-title"' in svg and 'aria-describedby="m-desc t"' in svg
    assert '<title id="m-title">Valid coordinators</title>' in svg
    assert "Highest: Tokyo 7, Okinawa 1." in svg
    assert "Selected: Okinawa, 1." in svg
    assert svg.count('class="jp-map__tile') == 47
    assert "<title>Tokyo: 7</title>" in svg
    assert svg.count('data-selected="true"') == 1
    okinawa = re.search(r'<g class="jp-map__tile jp-map__tile--selected"[^>]*>.*?</g>', svg)
    assert 'data-prefecture="JP-47"' in okinawa.group(0)
    assert 'stroke-width="5"' in okinawa.group(0)
    assert "Selected prefecture" in svg  # in the legend
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org", "")


def test_japanese_tiles_use_short_names():
    assert japan_map.short_name("東京都", "Tokyo", "ja") == "東京"
    assert japan_map.short_name("北海道", "Hokkaido", "ja") == "北海道"
    assert japan_map.short_name("神奈川県", "Kanagawa", "en") == "Kanagawa"


def test_column_chart_draws_each_non_zero_value():
    svg = str(
        column_chart(
            ["2025-12", "2026-01", "2026-02"],
            [Series("New", [3, 0, 1]), Series("Renewals <b>", [0, 2, 0])],
            chart_id="c",
            title="Trend",
            table_id="t",
            description="Three months.",
        )
    )
    assert 'role="img"' in svg and '<desc id="c-desc">Three months.</desc>' in svg
    assert svg.count('class="chart__column"') == 3
    assert "Renewals &lt;b&gt;" in svg
    # Months are written as their number with the year where it changes.
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts.count("2025") == 1 and texts.count("2026") == 1
    assert "12" in texts and "01" in texts
