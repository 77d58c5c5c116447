"""Browser journey: an administrator uploads a register file with one bad row, reads the error
list, uploads the corrected file and sees the summary."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "certificate_number,family_name,given_name,email,issued_on,workplace_prefecture,status\n"
GOOD = (
    "SC-2025-0801,森,あおい,mori@example.jp,2025/3/10,宮城県,valid\n"
    "SC-2025-0802,Santos,Ana,ana@example.jp,令和7年3月10日,群馬県,valid\n"
)


def test_administrator_fixes_a_bad_row_and_imports(demo_site, page_ja, tmp_path):
    page = page_ja
    bad_file = tmp_path / "register-bad.csv"
    bad_file.write_bytes((HEADER + GOOD.replace("群馬県", "群馬州")).encode("cp932"))
    good_file = tmp_path / "register.csv"
    good_file.write_bytes((HEADER + GOOD).encode("cp932"))

    page.goto(f"{demo_site}/accounts/login/?next=/admin/certification/import/")
    page.get_by_label("ユーザー名").fill("admin")
    page.get_by_label("パスワード").fill("portal-demo")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{demo_site}/admin/certification/import/")

    page.locator("input[type=file][name=file]").set_input_files(str(bad_file))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("ul.register-errors li")
    assert errors.count() == 1
    assert "3" in errors.first.inner_text() and "群馬州" in errors.first.inner_text()
    assert page.locator('[data-count="certificates_created"]').inner_text() == "1"
    page.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)

    page.locator("input[type=file][name=file]").set_input_files(str(good_file))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ul.register-errors li").count() == 0
    assert page.locator('[data-count="certificates_created"]').inner_text() == "2"
    assert page.locator('[data-count="invited"]').inner_text() == "2"
    page.screenshot(path=str(tmp_path / "import-summary.png"), full_page=True)

    page.goto(f"{demo_site}/verify/SC-2025-0801/")
    assert page.locator(".status--valid").is_visible()
