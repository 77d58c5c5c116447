"""Browser journey: a coordinator logs in in Japanese, reaches the member area, switches to
English and logs out."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Draws two different kanji with the page's own font and compares the pixels: without a Japanese
# font both come out as the same empty box.
GLYPHS_DIFFER = """() => {
  const font = getComputedStyle(document.body).fontSize + ' ' + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = font.replace(/^[0-9.]+px/, '48px');
    g.fillStyle = '#000'; g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data);
  };
  const a = draw('会'), b = draw('員');
  const inked = a.some(v => v !== 0);
  return inked && a.some((v, i) => v !== b[i]);
}"""


def test_coordinator_logs_in_switches_language_and_logs_out(demo_site, page_ja, tmp_path):
    page = page_ja

    page.goto(f"{demo_site}/accounts/login/?next=/members/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_label("ユーザー名").fill("coordinator")
    page.get_by_label("パスワード").fill("portal-demo")
    page.get_by_role("button", name="ログイン").click()

    page.wait_for_url(f"{demo_site}/members/")
    assert page.title() == "会員エリア | 支援コーディネーターポータル"
    assert page.get_by_role("heading", level=1).inner_text() == "会員エリア"
    assert "山田 美咲" in page.locator("main").inner_text()
    assert page.evaluate(GLYPHS_DIFFER), (
        "Japanese text does not render: is a Japanese font installed?"
    )
    shot = tmp_path / "members-ja.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title() == "Member area | Support Coordinator Portal"
    assert page.get_by_role("heading", name="Your certificate").is_visible()
    assert "Misaki YAMADA" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "members-en.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{demo_site}/")
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").is_visible()
    )
    page.goto(f"{demo_site}/members/")
    assert "/accounts/login/" in page.url


def test_expired_coordinator_sees_the_renewal_page(demo_site, page_ja):
    page = page_ja
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_label("ユーザー名").fill("expired")
    page.get_by_label("パスワード").fill("portal-demo")
    response_status = []
    page.on("response", lambda r: response_status.append((r.url, r.status)))
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{demo_site}/members/")
    assert (f"{demo_site}/members/", 403) in response_status
    main = page.locator("main").inner_text()
    assert "更新研修" in main
    assert "renewal training" in main
    assert page.get_by_role("link", name="会員エリア").count() == 0
