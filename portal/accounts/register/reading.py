"""Reading a register file: encodings, headers, dates and one row's validation."""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.taxonomy.models import Prefecture

from ..models import _KANA_RE

CHUNK_SIZE = 500
MAX_REPORTED_ROWS = 1000

COLUMNS = (
    "certificate_number",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "family_name_romaji",
    "given_name_romaji",
    "email",
    "issued_on",
    "workplace",
    "workplace_prefecture",
    "status",
    "revoked_on",
    "revocation_reason",
)
# Columns the register export adds; an exported file can be imported again as it is.
IGNORED_COLUMNS = ("valid_until", "current_status")
REQUIRED_COLUMNS = ("certificate_number", "family_name", "email", "issued_on", "status")

# Japanese header names accepted for each column (compared after NFKC, so full-width brackets
# and spaces match too).
JAPANESE_HEADERS = {
    "certificate_number": ("証明書番号", "認定証番号", "認定番号"),
    "family_name": ("姓", "氏"),
    "given_name": ("名",),
    "family_name_kana": ("姓(ふりがな)", "姓(フリガナ)", "姓(かな)", "セイ"),
    "given_name_kana": ("名(ふりがな)", "名(フリガナ)", "名(かな)", "メイ"),
    "family_name_romaji": ("姓(ローマ字)",),
    "given_name_romaji": ("名(ローマ字)",),
    "email": ("メールアドレス", "電子メールアドレス", "メール"),
    "issued_on": ("交付日", "認定日"),
    "workplace": ("勤務先", "所属"),
    "workplace_prefecture": ("勤務先都道府県", "都道府県"),
    "status": ("状態", "ステータス"),
    "revoked_on": ("取消日", "取消年月日"),
    "revocation_reason": ("取消理由",),
}

STATUS_VALUES = {
    "valid": "valid",
    "有効": "valid",
    "revoked": "revoked",
    "取消": "revoked",
    "取消し": "revoked",
    "取り消し": "revoked",
}

ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926}
_ERA_RE = re.compile(r"^(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_SLASH_RE = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{2,31}$")
_ROMAJI_RE = re.compile(r"^[A-Za-z\s'\-.]*$")

# Bilingual messages: English / Japanese, whatever the interface language.
MESSAGES = {
    "missing_column": (
        "Missing column: {column}.",
        "必須の列「{column}」がありません。",
    ),
    "unknown_column": (
        "Unknown column: {column}.",
        "不明な列「{column}」があります。",
    ),
    "empty_file": ("The file has no rows.", "ファイルにデータがありません。"),
    "required": ("{column} is required.", "{column} は必須です。"),
    "bad_date": (
        "{column}: '{value}' is not a date (use 2025-03-31, 2025/3/31 or 令和7年3月31日).",
        "{column}：「{value}」は日付として読めません（2025-03-31、2025/3/31、令和7年3月31日の形式）。",
    ),
    "future_date": (
        "{column}: {value} is in the future.",
        "{column}：{value} は未来の日付です。",
    ),
    "bad_number": (
        "certificate_number: '{value}' must be 3–32 letters, digits and hyphens.",
        "証明書番号「{value}」は英数字とハイフン3〜32文字にしてください。",
    ),
    "duplicate_number": (
        "certificate_number {value} appears again (first in row {first}).",
        "証明書番号 {value} が重複しています（最初は {first} 行目）。",
    ),
    "bad_email": (
        "email: '{value}' is not an e-mail address.",
        "メールアドレス「{value}」が正しくありません。",
    ),
    "email_taken": (
        "email {value} belongs to another person.",
        "メールアドレス {value} は別の人が使用しています。",
    ),
    "email_two_people": (
        "email {value} is given for two different people (also row {first}).",
        "メールアドレス {value} が別の人にも使われています（{first} 行目）。",
    ),
    "holder_changed": (
        "certificate {value} belongs to another person on the register.",
        "証明書番号 {value} は登録済みの別の人の認定証です。",
    ),
    "bad_kana": (
        "{column}: '{value}' must be written in hiragana or katakana.",
        "{column}：「{value}」はひらがなかカタカナで入力してください。",
    ),
    "bad_romaji": (
        "{column}: '{value}' must be written in Latin letters.",
        "{column}：「{value}」はローマ字で入力してください。",
    ),
    "unknown_prefecture": (
        "workplace_prefecture: unknown prefecture '{value}'.",
        "勤務先都道府県「{value}」は都道府県名として認識できません。",
    ),
    "bad_status": (
        "status: '{value}' must be 'valid' or 'revoked'.",
        "状態「{value}」は valid（有効）か revoked（取消）にしてください。",
    ),
    "revoked_needs": (
        "A revoked row needs revoked_on and revocation_reason.",
        "取消の行には取消日と取消理由が必要です。",
    ),
    "valid_with_revocation": (
        "A valid row must not have revoked_on or revocation_reason.",
        "有効の行に取消日・取消理由は入力できません。",
    ),
    "revoked_before_issue": (
        "revoked_on is before issued_on.",
        "取消日が交付日より前です。",
    ),
    "barred": (
        "The holder is barred from certification until {value}.",
        "この人は {value} まで認定を受けることができません。",
    ),
    "username_taken": (
        "Cannot create an account: user name {value} is taken.",
        "アカウントを作成できません：ユーザー名 {value} は使用済みです。",
    ),
    "unreadable": (
        "The file could not be read as CSV (UTF-8 or Shift_JIS) or XLSX.",
        "ファイルを CSV（UTF-8 または Shift_JIS）または XLSX として読み込めませんでした。",
    ),
}


def message(key: str, **values) -> str:
    english, japanese = MESSAGES[key]
    return f"{english.format(**values)} / {japanese.format(**values)}"


class RegisterFileError(Exception):
    """The file as a whole cannot be imported (unreadable, missing columns, empty)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# Reading ------------------------------------------------------------------------------------------


def normalise(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def _header_key(name: str) -> str:
    return normalise(name).lower().replace(" ", "").replace("_", "")


_HEADER_LOOKUP = {_header_key(c): c for c in COLUMNS + IGNORED_COLUMNS}
for _column, _names in JAPANESE_HEADERS.items():
    for _name in _names:
        _HEADER_LOOKUP[_header_key(_name)] = _column


def _encoding(data: bytes) -> str:
    """utf-8-sig, utf-8 or cp932 (Shift_JIS as Excel writes it), checked without a full copy."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 16):
            decoder.decode(view[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"


def _is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_rows(data: bytes) -> tuple[int, Iterator[list]]:
    """Return (number of data rows, iterator over raw rows including the header row)."""
    if _is_xlsx(data):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for broken files
            raise RegisterFileError([message("unreadable")]) from error
        sheet = workbook.worksheets[0]
        total = max((sheet.max_row or 1) - 1, 0)

        def xlsx_rows():
            try:
                for values in sheet.iter_rows(values_only=True):
                    yield list(values)
            finally:
                workbook.close()

        return total, xlsx_rows()
    encoding = _encoding(data)
    total = max(data.count(b"\n") - (0 if data.endswith(b"\n") else -1) - 1, 0)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")

    def csv_rows():
        try:
            yield from csv.reader(stream)
        except UnicodeDecodeError as error:
            raise RegisterFileError([message("unreadable")]) from error

    return total, csv_rows()


def map_header(header: list) -> dict[str, int]:
    mapping: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        if not normalise(name):
            continue
        column = _HEADER_LOOKUP.get(_header_key(name))
        if column is None:
            problems.append(message("unknown_column", column=normalise(name)))
        elif column not in IGNORED_COLUMNS:
            mapping[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in mapping:
            problems.append(message("missing_column", column=column))
    if problems:
        raise RegisterFileError(problems)
    return mapping


def parse_date(value) -> datetime.date | None:
    """Parse 2025-03-31, 2025/3/31, 令和7年3月31日 (and Excel date cells); None if not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalise(value).replace(" ", "")
    try:
        match = _SLASH_RE.match(text)
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
        match = _ERA_RE.match(text)
        if match:
            era, year, month, day = match.groups()
            year_number = 1 if year == "元" else int(year)
            return datetime.date(ERAS[era] + year_number - 1, int(month), int(day))
    except ValueError:
        return None
    return None


def prefecture_lookup() -> dict[str, int]:
    lookup = {}
    for pk, code, number, name_ja, name_en in Prefecture.objects.values_list(
        "pk", "code", "number", "name_ja", "name_en"
    ):
        names = {code, str(number), name_ja, name_en, name_ja.rstrip("都道府県") or name_ja}
        names.add(f"{name_en} prefecture")
        for name in names:
            lookup[normalise(name).lower()] = pk
    return lookup


# Parsing one row ----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row: int
    values: dict
    errors: list[str]

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError as error:
            raise AttributeError(name) from error


def parse_row(row_number: int, raw: list, mapping: dict[str, int], prefectures, today) -> ParsedRow:
    values = {}
    for column in COLUMNS:
        index = mapping.get(column)
        cell = raw[index] if index is not None and index < len(raw) else None
        values[column] = cell
    errors = []
    for column in COLUMNS:
        if column not in ("issued_on", "revoked_on"):
            values[column] = normalise(values[column])
    for column in REQUIRED_COLUMNS:
        if values[column] in ("", None):
            errors.append(message("required", column=column))

    number = values["certificate_number"].upper()
    values["certificate_number"] = number
    if number and not _NUMBER_RE.match(number):
        errors.append(message("bad_number", value=number))

    email = values["email"].lower()
    values["email"] = email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(message("bad_email", value=email))

    for column in ("issued_on", "revoked_on"):
        raw_value = values[column]
        if raw_value in (None, "") or (isinstance(raw_value, str) and not normalise(raw_value)):
            values[column] = None
            continue
        parsed = parse_date(raw_value)
        if parsed is None:
            errors.append(message("bad_date", column=column, value=normalise(raw_value)))
        elif parsed > today:
            errors.append(message("future_date", column=column, value=parsed.isoformat()))
        values[column] = parsed

    for column in ("family_name_kana", "given_name_kana"):
        if values[column] and not _KANA_RE.match(values[column]):
            errors.append(message("bad_kana", column=column, value=values[column]))
    for column in ("family_name_romaji", "given_name_romaji"):
        if values[column] and not _ROMAJI_RE.match(values[column]):
            errors.append(message("bad_romaji", column=column, value=values[column]))

    prefecture = values["workplace_prefecture"]
    values["workplace_prefecture_id"] = None
    if prefecture:
        pk = prefectures.get(prefecture.lower())
        if pk is None:
            errors.append(message("unknown_prefecture", value=prefecture))
        values["workplace_prefecture_id"] = pk

    status = STATUS_VALUES.get(values["status"].lower()) if values["status"] else None
    if values["status"] and status is None:
        errors.append(message("bad_status", value=values["status"]))
    values["status"] = status
    if status == "revoked" and (not values["revoked_on"] or not values["revocation_reason"]):
        errors.append(message("revoked_needs"))
    if status == "valid" and (values["revoked_on"] or values["revocation_reason"]):
        errors.append(message("valid_with_revocation"))
    if (
        values["revoked_on"]
        and isinstance(values["issued_on"], datetime.date)
        and values["revoked_on"] < values["issued_on"]
    ):
        errors.append(message("revoked_before_issue"))
    return ParsedRow(row_number, values, errors)
