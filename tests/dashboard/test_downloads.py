"""Downloads: every table as CSV (UTF-8 with a byte-order mark) and XLSX, counts of 1 or 2 read
"<3" and, where rows add up to a total, the next smallest cells read "x"; every download is
recorded; text a spreadsheet would run is quoted; invalid filters download nothing."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from portal.dashboard.admin_views import DASHBOARD_EXPORT

from .helpers import DAY, counts, csv_tables, download_url, page_url, xlsx_sheets

pytestmark = pytest.mark.django_db

ON = DAY(2026, 2, 15)


@pytest.fixture
def small_register(holder):
    """Five valid holders and one expired one (as on 2026-02-15); two of the valid ones were
    certified in 2025-05."""
    for _ in range(3):
        holder(DAY(2024, 10, 1))
    holder(DAY(2025, 5, 10))
    holder(DAY(2025, 5, 20))
    holder(DAY(2019, 6, 1))


def test_page_shows_exact_counts_but_the_download_hides_small_ones(
    small_register, administrator, client_for, english
):
    client = client_for(english(administrator))
    html = client.get(page_url("overview", date_to=ON.isoformat())).content.decode()
    assert counts(html, "coordinator-status") == {
        "valid": 5,
        "expiring": 0,
        "expired": 1,
        "revoked": 0,
        "total": 6,
    }
    response = client.get(download_url("coordinator-status", "csv", date_to=ON.isoformat()))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-')
    assert "no-store" in response["Cache-Control"]
    rows = csv_tables(response.content)["Certified coordinators by status"]
    assert rows[0] == ["Status", "Coordinators", "Percent (%)"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    # The 1 reads "<3"; the 5 is hidden too, or the total of 6 would give the 1 away.
    assert by_label["Expired"] == ["<3", "<3"]
    assert by_label["Valid (more than 90 days left)"] == ["x", "x"]
    assert by_label["Valid, expiring within 90 days"] == ["0", "0.0"]
    assert by_label["Total"] == ["6", "100.0"]
    assert "5" not in {cell for row in rows for cell in row}


def test_xlsx_holds_the_same_cells_and_the_notes(
    small_register, administrator, client_for, english
):
    client = client_for(english(administrator))
    response = client.get(download_url("overview", "xlsx", date_to=ON.isoformat()))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = xlsx_sheets(response.content)
    assert list(sheets)[:2] == ["coordinator-status", "coordinator-consent"]
    status = {row[0]: row[1:] for row in sheets["coordinator-status"][1:]}
    assert status["Expired"] == ("<3", "<3")
    assert status["Valid (more than 90 days left)"] == ("x", "x")
    # A month with two certifications: both small, and the total of the row hides neither.
    trend = {row[0]: row[1:] for row in sheets["certification-trend"][1:]}
    assert trend["2025-05"] == ("<3", 0, "<3")
    notes = dict(row[:2] for row in sheets["notes"])
    assert notes["Register as on"] == "2026-02-15"
    assert notes["<3"].startswith("A count of 1 or 2")
    assert "x" in notes


def test_every_download_is_recorded(small_register, editor, client_for):
    client = client_for(editor)
    client.get(download_url("coordinator-fields", "csv", prefecture="JP-13"))
    client.get(download_url("knowledge", "xlsx"))
    entries = list(
        ModelLogEntry.objects.filter(action=DASHBOARD_EXPORT).order_by("timestamp", "pk")
    )
    assert [(e.user_id, e.data["table"], e.data["format"]) for e in entries] == [
        (editor.pk, "coordinator-fields", "csv"),
        (editor.pk, "knowledge", "xlsx"),
    ]
    assert entries[0].data["filters"] == {"prefecture": "JP-13"}


def test_invalid_filters_download_nothing(small_register, administrator, client_for, english):
    client = client_for(english(administrator))
    response = client.get(download_url("coordinator-status", "csv", date_from="2026-02-30"))
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=DASHBOARD_EXPORT).exists()
    assert client.get(download_url("no-such-table", "csv")).status_code == 404
    assert client.get(download_url("coordinator-status", "pdf")).status_code == 404


def test_text_a_spreadsheet_would_run_is_quoted(administrator, client_for, english):
    from portal.questionnaires.models import Opinion

    from .helpers import field

    for _ in range(3):
        Opinion.objects.create(category="request", field=field(0), text="=1+1", status="new")
    # Labels come from the vocabulary; a field renamed like a formula is written as text.
    target = field(0)
    target.name_en = '=HYPERLINK("http://example.com")'
    target.save()
    client = client_for(english(administrator))
    response = client.get(download_url("opinion-fields", "csv"))
    rows = csv_tables(response.content)["Opinion box by field of consultation"]
    assert ['\'=HYPERLINK("http://example.com")', "3", "100.0"] in rows
    sheets = xlsx_sheets(client.get(download_url("opinion-fields", "xlsx")).content)
    assert sheets["opinion-fields"][1][0] == '\'=HYPERLINK("http://example.com")'


def test_downloads_of_a_period_follow_the_filters(holder, administrator, client_for, english):
    holder(DAY(2025, 5, 10))
    holder(DAY(2025, 5, 11))
    holder(DAY(2025, 5, 12))
    holder(DAY(2025, 7, 1))
    client = client_for(english(administrator))
    response = client.get(
        download_url("certification-trend", "csv", date_from="2025-05-01", date_to="2025-07-31")
    )
    rows = csv_tables(response.content)["Certifications and renewals by month"]
    assert rows[1:] == [
        ["2025-05", "3", "0", "3"],
        ["2025-06", "0", "0", "0"],
        ["2025-07", "<3", "0", "<3"],
    ]
    assert datetime.date(2025, 7, 31).isoformat() in response.content.decode("utf-8-sig")
