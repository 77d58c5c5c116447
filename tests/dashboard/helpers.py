"""Helpers of the dashboard tests: directory profiles, the dashboard's pages and downloads read
as the user sees them."""

import csv
import datetime
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from directory.models import CoordinatorProfile, ProfileField, ProfileLanguage
from portal.taxonomy.models import Field, Language, Prefecture


def pref(number: int) -> Prefecture:
    return Prefecture.objects.get(number=number)


def field(position: int) -> Field:
    """The counted field at ``position`` (0 = the first)."""
    return list(Field.objects.counted().order_by("order", "slug"))[position]


def language(code: str) -> Language:
    return Language.objects.get(code=code)


def profile(user, *, workplace=None, areas=(), fields=(), languages=(), kind=""):
    """A directory profile: workplace prefecture number, areas of activity (numbers), fields
    (positions; the first is the main one), languages ((code, level)), type of workplace."""
    made = CoordinatorProfile.objects.create(
        user=user,
        workplace_prefecture=pref(workplace) if workplace else None,
        workplace_type=kind,
    )
    made.prefectures.set([pref(n) for n in areas])
    for position, index in enumerate(fields):
        ProfileField.objects.create(profile=made, field=field(index), is_main=position == 0)
    for code, level in languages:
        ProfileLanguage.objects.create(profile=made, language=language(code), level=level)
    return made


def page_url(part: str, **params) -> str:
    name = {"overview": "dashboard_overview", "cases": "dashboard_cases"}.get(
        part, "dashboard_knowledge"
    )
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name) + (f"?{query}" if query else "")


def download_url(key: str, file_format: str = "csv", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = reverse("dashboard_download", args=[key, file_format])
    return url + (f"?{query}" if query else "")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def table_rows(html: str, key: str) -> dict[str, list[str]]:
    """The rows of the page table ``key``: {row key: [cell texts after the row heading]}."""
    match = re.search(
        rf'<table class="listing d-table[^"]*" id="table-{key}".*?</table>', html, re.S
    )
    assert match, key
    rows = {}
    for row_key, body in re.findall(
        r'<tr data-key="([^"]*)"[^>]*>(.*?)</tr>', match.group(0), re.S
    ):
        rows[row_key] = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
    return rows


def counts(html: str, key: str, column: int = 0) -> dict[str, int]:
    """{row key: the number in count column ``column``} of a page table."""
    return {k: int(cells[column]) for k, cells in table_rows(html, key).items() if cells}


def csv_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The tables of a dashboard CSV download by their title (heading row, then rows)."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    tables: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text[1:])):
        if not row:
            current = None
        elif current is None:
            current = row[0]
            tables[current] = []
        else:
            tables[current].append(row)
    return tables


def xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}
    workbook.close()
    return sheets


DAY = datetime.date


def case_values(**values):
    """Clean, anonymised values of a case study; override any of them."""
    defaults = {
        "title": "在留資格の変更手続きを支援した事例",
        "case_type": "individual",
        "summary": "転職に伴う在留資格の変更について、必要書類の準備を支援した。",
        "situation": "<p>30代の相談者が転職を予定していた。</p>",
        "issues": "<p>必要な書類が分からなかった。</p>",
        "actions": "<p>本人の同意を得て、出入国在留管理局の相談窓口につないだ。</p>",
        "outcome": "resolved",
        "outcome_text": "<p>申請は受理された。</p>",
        "lessons": "<p>早めに相談窓口を案内する。</p>",
        "client_age_band": "30s",
        "client_status": "engineer",
        "client_stay_band": "3-5",
        "attribution": "anonymous",
        "client_consent": True,
    }
    defaults.update(values)
    return defaults
