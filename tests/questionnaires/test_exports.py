"""Exports of results: aggregated CSV/XLSX under the small-count rule and without identity or
free text; raw responses of identified questionnaires for administrators only; every export
audited."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

from portal.accounts.models import Certificate
from portal.questionnaires.admin_views import EXPORT_RAW, EXPORT_RESULTS
from portal.questionnaires.models import IdentifiedResponse, Mode

from .results_data import survey

pytestmark = pytest.mark.django_db

RESULTS_CSV = "questionnaires_results_csv"
RESULTS_XLSX = "questionnaires_results_xlsx"
RAW_CSV = "questionnaires_raw_csv"
RAW_XLSX = "questionnaires_raw_xlsx"
SMALL_VALUES = {1, 2, "1", "2"}


@pytest.fixture
def identified(make_user, issue_certificate, make_questionnaire):
    return survey(make_user, issue_certificate, make_questionnaire)


@pytest.fixture
def anonymous(make_user, issue_certificate, make_questionnaire):
    return survey(make_user, issue_certificate, make_questionnaire, mode=Mode.ANONYMOUS)


def url(name, page):
    return reverse(name, args=[page.pk])


def csv_sections(content: bytes) -> list[list[list[str]]]:
    """The tables of the aggregated CSV: title row, header, rows; separated by a blank row."""
    assert content.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sections, current = [], []
    for row in rows:
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    if current:
        sections.append(current)
    return sections


def answers_by_key(rows) -> dict[str, list[tuple[str, str, str]]]:
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row[1], []).append((row[3], row[4], row[5]))
    return found


def test_aggregated_csv_never_shows_one_or_two(identified, client_for, editor):
    page, _respondents, _everyone = identified
    response = client_for(editor).get(url(RESULTS_CSV, page))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rates, answers, notes = csv_sections(response.content)

    assert len(rates[1]) == 5 and len(answers[1]) == 6
    for row in rates[2:]:
        assert row[3] not in SMALL_VALUES
    # Tokyo 5 of 6; Kanagawa hidden as the complement of Osaka's 1; Aichi 0; Osaka <3.
    assert [row[2:] for row in rates[2:7]] == [
        ["18", "10", "55.6"],
        ["6", "5", "83.3"],
        ["5", "x", "x"],
        ["3", "0", "0.0"],
        ["4", "<3", "<3"],
    ]

    by_key = answers_by_key(answers[2:])
    for rows in by_key.values():
        for _option, respondents, _percent in rows:
            assert respondents not in SMALL_VALUES
    employment = by_key["employment"]
    assert [(r[1], r[2]) for r in employment[:4]] == [
        ("5", "50.0"),
        ("x", "x"),
        ("0", "0.0"),
        ("<3", "<3"),
    ]
    assert employment[4][1] == "10"  # respondents to the question
    assert [r[1] for r in by_key["formats"][:4]] == ["7", "<3", "0", "5"]
    assert [r[1] for r in by_key["pay"][:5]] == ["0", "<3", "3", "4", "<3"]
    assert [r[1] for r in by_key["pref"][:3]] == ["5", "x", "<3"]
    assert [r[1] for r in by_key["since"][:3]] == ["x", "4", "<3"]
    assert [r[1] for r in by_key["days"]] == ["10", "4.1", "4.5"]
    assert [r[1] for r in by_key["hours"]] == ["<3", "<3", "<3"]  # n 2: no mean, no median
    assert [r[1] for r in by_key["gaps"]] == ["<3"]  # a count only, never the texts

    assert {row[0] for row in notes[1:]} >= {"<3", "x", "0"}


def test_aggregated_xlsx_never_shows_one_or_two(identified, client_for, administrator):
    page, _respondents, _everyone = identified
    response = client_for(administrator).get(url(RESULTS_XLSX, page))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Response rate", "Answers", "Notes"]

    rates = list(workbook["Response rate"].iter_rows(values_only=True))
    assert [row[2:] for row in rates[1:6]] == [
        (18, 10, 55.6),
        (6, 5, 83.3),
        (5, "x", "x"),
        (3, 0, 0.0),
        (4, "<3", "<3"),
    ]
    answers = list(workbook["Answers"].iter_rows(values_only=True))
    assert len(answers[0]) == 6
    for row in [*rates[1:], *answers[1:]]:
        counts = row[3] if len(row) == 5 else row[4]
        assert counts not in SMALL_VALUES, row
    by_key = {}
    for row in answers[1:]:
        by_key.setdefault(row[1], []).append(row[4])
    assert by_key["employment"] == [5, "x", 0, "<3", 10]
    assert by_key["fld"] == ["x", "<3", 10]
    assert by_key["hours"] == ["<3", "<3", "<3"]
    workbook.close()


def test_aggregated_exports_hold_no_free_text_and_no_identity(identified, client_for, editor):
    page, respondents, _everyone = identified
    client = client_for(editor)
    text = client.get(url(RESULTS_CSV, page)).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get(url(RESULTS_XLSX, page)).content))
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    numbers = Certificate.objects.filter(holder__in=respondents).values_list("number", flat=True)
    for content in (text, cells):
        assert "通訳が足りない" not in content and "HYPERLINK" not in content
        assert "自営業" not in content
        for user in respondents:
            assert user.username not in content
            assert user.name_kanji not in content
        for number in numbers:
            assert number not in content


def test_anonymous_questionnaire_has_no_raw_export_and_no_identifying_column(
    anonymous, client_for, administrator
):
    page, respondents, _everyone = anonymous
    assert not IdentifiedResponse.objects.filter(questionnaire=page).exists()
    client = client_for(administrator)
    assert client.get(url(RAW_CSV, page)).status_code == 404
    assert client.get(url(RAW_XLSX, page)).status_code == 404
    assert not PageLogEntry.objects.filter(page=page, action=EXPORT_RAW).exists()
    results_page = client.get(reverse("questionnaires_results", args=[page.pk]))
    assert url(RAW_CSV, page) not in results_page.content.decode()

    rates, answers, _notes = csv_sections(client.get(url(RESULTS_CSV, page)).content)
    # The same columns as in identified mode: figures only, nothing about a person.
    assert len(rates[1]) == 5 and len(answers[1]) == 6
    content = client.get(url(RESULTS_CSV, page)).content.decode("utf-8-sig")
    for user in respondents:
        assert user.username not in content and user.name_kanji not in content
    # The counts are the same as for an identified questionnaire.
    by_key = answers_by_key(answers[2:])
    assert [r[1] for r in by_key["employment"]] == ["5", "x", "0", "<3", "10"]
    workbook = load_workbook(io.BytesIO(client.get(url(RESULTS_XLSX, page)).content))
    header = next(workbook["Answers"].iter_rows(values_only=True))
    assert len(header) == 6


def test_raw_export_is_for_administrators_only(
    identified, client_for, editor, moderator, coordinator, administrator
):
    page, respondents, _everyone = identified
    for name in (RAW_CSV, RAW_XLSX):
        assert client_for(editor).get(url(name, page)).status_code == 403
        assert client_for(moderator).get(url(name, page)).status_code == 403
        assert client_for(coordinator).get(url(name, page)).status_code in (302, 403)
    # Moderators do not get aggregated results either.
    assert client_for(moderator).get(url(RESULTS_CSV, page)).status_code == 403
    assert client_for(moderator).get(url(RESULTS_XLSX, page)).status_code == 403
    assert not PageLogEntry.objects.filter(page=page, action__startswith="questionnaires.export")
    # Editors do not even see the links.
    html = client_for(editor).get(reverse("questionnaires_results", args=[page.pk]))
    assert url(RAW_CSV, page) not in html.content.decode()

    response = client_for(administrator).get(url(RAW_CSV, page))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[6:] == [
        "employment",
        "formats",
        "pay",
        "days",
        "hours",
        "pref",
        "fld",
        "since",
        "gaps",
    ]
    assert len(body) == len(respondents) == 10
    by_user = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_user) == {u.username for u in respondents}
    first = by_user[respondents[0].username]
    assert first[header[1]] == respondents[0].name_kanji
    assert first[header[3]] == Certificate.objects.get(holder=respondents[0]).number
    assert first["formats"] == "オンデマンド; 地元で対面"
    assert first["pay"] == "3"
    assert first["days"] == "1"
    assert first["hours"] == "10"
    assert first["since"] == "2020-04-01"
    # Text that a spreadsheet would run as a formula is quoted.
    assert first["gaps"] == '\'=HYPERLINK("http://example.com")'
    last = by_user[respondents[-1].username]
    assert last["employment"].endswith(": 自営業")
    assert last["hours"] == "" and last["formats"] == ""


def test_raw_xlsx(identified, client_for, administrator):
    page, respondents, _everyone = identified
    response = client_for(administrator).get(url(RAW_XLSX, page))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(respondents)
    usernames = {row[0] for row in rows[1:]}
    assert usernames == {u.username for u in respondents}
    # Stored as text, never as a formula.
    gaps = rows[0].index("gaps")
    formulas = [row[gaps] for row in rows[1:] if row[gaps] and "HYPERLINK" in row[gaps]]
    assert formulas == ['\'=HYPERLINK("http://example.com")']
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("name", "action", "file_format", "role"),
    [
        (RESULTS_CSV, EXPORT_RESULTS, "csv", "editor"),
        (RESULTS_XLSX, EXPORT_RESULTS, "xlsx", "editor"),
        (RAW_CSV, EXPORT_RAW, "csv", "administrator"),
        (RAW_XLSX, EXPORT_RAW, "xlsx", "administrator"),
    ],
)
def test_every_export_is_audited(identified, client_for, request, name, action, file_format, role):
    page, _respondents, _everyone = identified
    user = request.getfixturevalue(role)
    assert client_for(user).get(url(name, page)).status_code == 200
    entries = PageLogEntry.objects.filter(page=page, action=action)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == user.pk
    assert entry.data["format"] == file_format
    if action == EXPORT_RAW:
        assert entry.data["rows"] == 10
    # The action has a label in the page history.
    assert entry.message and entry.message != action
