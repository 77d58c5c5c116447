import codecs
import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from portal import audit
from portal.accounts.models import Certificate, CertificateStatus, RegisterImport, User
from portal.accounts.register import import_register, parse_date

pytestmark = pytest.mark.django_db

HEADER = (
    "certificate_number,family_name,given_name,family_name_kana,given_name_kana,"
    "family_name_romaji,given_name_romaji,email,issued_on,workplace,workplace_prefecture,"
    "status,revoked_on,revocation_reason"
)
ROWS = [
    "SC-2024-0101,田中,一郎,たなか,いちろう,Tanaka,Ichiro,tanaka@example.jp,2025/3/10,浜松市多文化共生センター,静岡県,valid,,",
    "SC-2024-0102,鈴木,花,スズキ,ハナ,Suzuki,Hana,Suzuki@Example.jp,令和7年3月10日,横浜市国際交流協会,Kanagawa,有効,,",
    "ＳＣ－２０２４－０１０３,高橋,次郎,たかはし,じろう,Takahashi,Jiro,takahashi@example.jp,２０２５-０３-１０,大阪府外国人相談窓口,大阪,revoked,2025-08-01,不正の手段による認定",
]


def csv_bytes(rows=ROWS, header=HEADER, encoding="utf-8", bom=False):
    text = "\r\n".join([header, *rows]) + "\r\n"
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def run(data, dry_run=False, filename="register.csv", actor=None):
    return import_register(data, filename=filename, dry_run=dry_run, actor=actor)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-31", datetime.date(2025, 3, 31)),
        ("2025/3/31", datetime.date(2025, 3, 31)),
        ("令和7年3月31日", datetime.date(2025, 3, 31)),
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("平成31年4月30日", datetime.date(2019, 4, 30)),
        ("２０２５／３／３１", datetime.date(2025, 3, 31)),
        (datetime.datetime(2025, 3, 31, 0, 0), datetime.date(2025, 3, 31)),
        ("2025/2/30", None),
        ("31/03/2025", None),
        ("", None),
    ],
)
def test_dates_in_the_forms_excel_produces(raw, expected):
    assert parse_date(raw) == expected


def test_good_cp932_file_imports_everything(django_capture_on_commit_callbacks, administrator):
    with django_capture_on_commit_callbacks(execute=True):
        report = run(csv_bytes(encoding="cp932"), actor=administrator)
    assert report.ok, report.errors
    assert report.counts["certificates_created"] == 3
    assert report.counts["users_created"] == 3
    tanaka = User.objects.get(email="tanaka@example.jp")
    assert (tanaka.last_name, tanaka.first_name, tanaka.family_name_kana) == (
        "田中",
        "一郎",
        "たなか",
    )
    assert tanaka.username == "sc-2024-0101"
    assert not tanaka.has_usable_password()
    # Every holder on the register takes the Coordinator role (notices and questionnaires use it).
    assert (
        User.objects.filter(certificates__isnull=False).exclude(groups__name="Coordinator").count()
        == 0
    )
    certificate = Certificate.objects.get(number="SC-2024-0101")
    assert certificate.valid_until == datetime.date(2028, 3, 31)
    assert certificate.workplace_prefecture.code == "JP-22"
    assert User.objects.get(email="suzuki@example.jp").family_name_kana == "スズキ"
    revoked = Certificate.objects.get(number="SC-2024-0103")  # full-width number normalised
    assert revoked.status() == CertificateStatus.REVOKED
    assert revoked.holder.disqualifications.get().barred_until == datetime.date(2027, 8, 1)
    # One audit entry with the counts.
    entry = ModelLogEntry.objects.get(action=audit.REGISTER_IMPORT)
    assert entry.user_id == administrator.pk
    assert entry.data["certificates_created"] == 3
    assert RegisterImport.objects.get().rows == 3


def test_invitations_go_to_new_holders_in_force_and_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(bom=True))
    # The revoked holder is not invited.
    assert sorted(m.to[0] for m in mail.outbox) == ["suzuki@example.jp", "tanaka@example.jp"]
    body = mail.outbox[0].body
    assert "/accounts/password/reset/" in body
    assert "sc-2024-010" in body
    with django_capture_on_commit_callbacks(execute=True):
        again = run(csv_bytes(bom=True))
    assert again.counts["unchanged"] == 3
    assert again.counts["certificates_created"] == again.counts["users_created"] == 0
    assert len(mail.outbox) == 2


def test_invitation_link_lets_the_holder_choose_a_password(
    client, django_capture_on_commit_callbacks
):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(rows=ROWS[:1]))
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "kyou-kara-hajimeru", "new_password2": "kyou-kara-hajimeru"}
    )
    assert client.login(username="sc-2024-0101", password="kyou-kara-hajimeru")
    assert client.get("/members/").status_code == 200


def test_utf8_bom_file_gives_the_same_result_as_cp932():
    report = run(csv_bytes(bom=True), dry_run=True)
    assert report.ok and report.counts["certificates_created"] == 3


def test_xlsx_file_with_japanese_headers_and_date_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["証明書番号", "姓", "名", "メールアドレス", "交付日", "勤務先都道府県", "状態"])
    sheet.append(
        [
            "SC-2025-0001",
            "グエン",
            "アン",
            "an@example.jp",
            datetime.datetime(2025, 5, 1),
            "東京都",
            "有効",
        ]
    )
    sheet.append(
        ["SC-2025-0002", "Silva", "Maria", "maria@example.jp", "2025/6/1", "愛知県", "valid"]
    )
    sheet.append([None, None, None, None, None, None, None])  # Excel's trailing blank row
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), filename="register.xlsx")
    assert report.ok, report.errors
    assert report.rows == 2
    certificate = Certificate.objects.get(number="SC-2025-0001")
    assert certificate.issued_on == datetime.date(2025, 5, 1)
    assert certificate.valid_until == datetime.date(2029, 3, 31)


def test_one_bad_row_imports_nothing_and_names_the_row():
    rows = [ROWS[0], ROWS[1].replace("令和7年3月10日", "2025/13/10"), ROWS[2]]
    report = run(csv_bytes(rows=rows))
    assert not report.ok
    assert [e.row for e in report.errors] == [3]
    assert "issued_on" in report.errors[0].message and "日付" in report.errors[0].message
    assert Certificate.objects.count() == 0
    assert not User.objects.filter(
        email__endswith="@example.jp", username__startswith="sc-"
    ).exists()
    assert RegisterImport.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (ROWS[0].replace("静岡県", "静岡州"), "unknown prefecture"),
        (ROWS[0].replace("tanaka@example.jp", "not-an-address"), "not an e-mail address"),
        (ROWS[0].replace(",valid,", ",active,"), "must be 'valid' or 'revoked'"),
        (ROWS[0].replace(",たなか,", ",Tanaka,"), "hiragana or katakana"),
        (ROWS[0].replace(",Tanaka,", ",田中,"), "Latin letters"),
        (ROWS[2].replace("2025-08-01", ""), "needs revoked_on and revocation_reason"),
        (ROWS[0].replace(",valid,,", ",valid,2025-08-01,"), "must not have revoked_on"),
        (ROWS[0].replace("2025/3/10", "2099/3/10"), "in the future"),
        (ROWS[0].replace("SC-2024-0101", "SC 2024/0101"), "letters, digits and hyphens"),
        (ROWS[0].replace("SC-2024-0101", ""), "certificate_number is required"),
    ],
)
def test_row_errors_are_bilingual_and_specific(row, fragment):
    report = run(csv_bytes(rows=[row]))
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert error.row == 2
    assert fragment in error.message
    assert " / " in error.message  # English / Japanese


def test_missing_and_unknown_columns_are_reported_before_any_row():
    header = HEADER.replace("email,", "").replace("status", "state")
    rows = [",".join(r.split(",")[:7] + r.split(",")[8:]) for r in ROWS]
    report = run(csv_bytes(rows=rows, header=header))
    messages = " ".join(e.message for e in report.errors)
    assert "Missing column: email" in messages
    assert "Missing column: status" in messages
    assert "Unknown column: state" in messages
    assert report.rows == 0


def test_duplicate_numbers_in_the_file():
    report = run(csv_bytes(rows=[ROWS[0], ROWS[0].replace("tanaka@", "tanaka2@")]))
    assert [e.row for e in report.errors] == [3]
    assert "appears again (first in row 2)" in report.errors[0].message
    assert Certificate.objects.count() == 0


def test_email_of_another_person_is_refused(make_user):
    make_user("someone", email="tanaka@example.jp", last_name="別人", first_name="太郎")
    report = run(csv_bytes(rows=[ROWS[0]]))
    assert "belongs to another person" in report.errors[0].message


def test_same_person_with_an_existing_account_gets_the_certificate(make_user):
    user = make_user("tanaka-staff", email="Tanaka@example.jp", last_name="田中", first_name="一郎")
    report = run(csv_bytes(rows=[ROWS[0]]))
    assert report.ok
    assert Certificate.objects.get(number="SC-2024-0101").holder == user
    assert report.counts["users_created"] == 0


def test_reimport_with_changes_updates_in_place(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes())
    changed = [
        ROWS[0].replace("浜松市多文化共生センター", "静岡県国際交流協会"),
        ROWS[1],
        ROWS[2],
    ]
    report = run(csv_bytes(rows=changed))
    assert report.counts["certificates_updated"] == 1
    assert report.counts["unchanged"] == 2
    assert Certificate.objects.get(number="SC-2024-0101").workplace == "静岡県国際交流協会"


def test_revocation_in_a_later_register_removes_access_at_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(rows=[ROWS[0]]))
    user = User.objects.get(email="tanaka@example.jp")
    client.force_login(user)
    assert client.get("/members/").status_code == 200
    revoked = ROWS[0].replace(",valid,,", ",revoked,2025-09-01,欠格事由に該当")
    assert run(csv_bytes(rows=[revoked])).ok
    assert client.get("/members/").status_code == 403


def test_barred_person_cannot_be_certified_again(make_user):
    from portal.accounts import services

    user = make_user("barred", email="tanaka@example.jp", last_name="田中", first_name="一郎")
    services.disqualification_record(
        holder=user, ground="fine", occurred_on=datetime.date(2024, 6, 1)
    )
    report = run(csv_bytes(rows=[ROWS[0]]))
    assert "barred from certification until 2026-06-01" in report.errors[0].message


def test_dry_run_writes_nothing():
    report = run(csv_bytes(), dry_run=True)
    assert report.ok
    assert report.counts["certificates_created"] == 3
    assert [o.action for o in report.outcomes] == ["create", "create", "create"]
    assert Certificate.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action=audit.REGISTER_IMPORT).exists()


def test_unreadable_and_empty_files():
    assert "could not be read" in run(b"PK\x03\x04garbage", filename="x.xlsx").errors[0].message
    assert "no rows" in run(csv_bytes(rows=[])).errors[0].message
    assert "no rows" in run(b"").errors[0].message


def test_command_dry_run_and_exit_status(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(encoding="cp932"))
    out = io.StringIO()
    call_command("import_register", str(good), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "Dry run" in out.getvalue()
    assert "row      2  SC-2024-0101         create" in out.getvalue()
    assert Certificate.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows=[ROWS[0].replace("2025/3/10", "3/10")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_register", str(bad), stdout=io.StringIO(), stderr=err)
    assert "row      2" in err.getvalue()
    out = io.StringIO()
    call_command("import_register", str(good), stdout=out, stderr=io.StringIO())
    assert "Imported." in out.getvalue()
    assert Certificate.objects.count() == 3


def test_export_can_be_imported_again_unchanged(
    client_for, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes())
    response = client_for(administrator).get("/admin/certification/export/", {"format": "csv"})
    exported = b"".join(response.streaming_content)
    report = run(exported)
    assert report.ok, report.errors
    assert report.counts["unchanged"] == 3


def test_import_query_count_does_not_grow_per_row(django_assert_max_num_queries):
    rows = [
        f"SC-2030-{i:04d},山本,{i},,,,,user{i}@example.jp,2025/3/10,,,valid,,"
        for i in range(1, 1201)
    ]
    with django_assert_max_num_queries(60):
        report = run(csv_bytes(rows=rows))
    assert report.ok and report.counts["certificates_created"] == 1200
