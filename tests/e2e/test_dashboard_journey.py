"""Browser journey: the administrator opens the activity dashboard from the admin menu, filters it
by a prefecture, sees the map outline that prefecture and the table mark it, and downloads a
table as CSV whose counts follow the small-count rule."""

import csv
import io
import re

import pytest

from .helpers import choose_english, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page_en(page_ja, demo_site):
    return choose_english(page_ja, demo_site)


def _cell(row, index):
    return row.locator("td").nth(index).inner_text().strip()


def test_admin_filters_the_dashboard_by_a_prefecture_and_downloads_a_table(
    demo_site, page_en, tmp_path
):
    page = page_en
    log_in(page, demo_site, "admin", "/admin/")

    # The dashboard is in the admin menu.
    sidebar = page.locator("aside, nav").filter(has_text="Activity dashboard").first
    sidebar.get_by_role("button", name="Activity dashboard").click()
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(re.compile(r"/admin/dashboard/$"))
    assert page.get_by_role("heading", name="Certified coordinators by status").is_visible()
    assert page.locator("svg.jp-map[role=img]").is_visible()
    assert page.locator("svg.jp-map g[data-selected]").count() == 0

    # Filter by Osaka.
    page.get_by_label("Prefecture", exact=True).select_option(label="Osaka")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/admin/dashboard/\?.*prefecture=JP-27"))
    assert page.get_by_label("Prefecture", exact=True).input_value() == "JP-27"

    # The map outlines Osaka, and the table beside it marks the same row.
    selected = page.locator("svg.jp-map g[data-selected='true']")
    assert selected.count() == 1
    assert selected.get_attribute("data-prefecture") == "JP-27"
    assert selected.is_visible()
    osaka_count = selected.get_attribute("data-count")
    assert selected.locator("rect").first.get_attribute("stroke-width") == "5"
    row = page.locator("#table-coordinator-prefectures tr[aria-current='true']")
    assert row.count() == 1
    assert "Osaka" in row.locator("th").inner_text()
    assert "(selected)" in row.locator("th").inner_text()
    assert _cell(row, 0) == osaka_count
    page.screenshot(path=str(tmp_path / "dashboard-osaka.png"), full_page=True)

    # The status figures now count coordinators in Osaka only.
    status = page.locator("#table-coordinator-status")
    shown = {
        key: _cell(status.locator(f"tr[data-key='{key}']"), 0)
        for key in ("valid", "expiring", "expired", "revoked")
    }
    total = _cell(status.locator("tr[data-key='total']"), 0)
    assert sum(int(v) for v in shown.values()) == int(total) > 0

    # Download that table as CSV.
    with page.expect_download(timeout=30_000) as download_info:
        page.locator("#figure-coordinator-status").get_by_role(
            "link", name=re.compile(r"^Download CSV\b.*Certified coordinators by status")
        ).click()
    download = download_info.value
    assert re.fullmatch(r"dashboard-coordinator-status-\d{8}\.csv", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Certified coordinators by status"]
    body = {row[0]: row[1] for row in rows[2:7]}
    assert body["Total"] == total
    for label, key in (
        ("Valid (more than 90 days left)", "valid"),
        ("Expired", "expired"),
        ("Revoked", "revoked"),
    ):
        # Small counts never leave the admin: 1 or 2 read "<3", and "x" hides others.
        if shown[key] in ("1", "2"):
            assert body[label] == "<3"
        else:
            assert body[label] in (shown[key], "x")
    assert ["Prefecture", "Osaka"] in rows
