"""Browser journey: a coordinator searches the portal in Japanese for 在留, sees a notice and a case
with the word marked, narrows the results by type, switches the interface to English and searches
for "visa"."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _results(page, kind=None):
    selector = "article.search-result"
    if kind:
        selector += f"[data-type='{kind}']"
    return page.locator(selector)


def test_coordinator_searches_in_japanese_narrows_and_searches_in_english(
    demo_site, page_ja, tmp_path
):
    page = page_ja
    page.goto(f"{demo_site}/accounts/login/?next=/members/")
    page.get_by_label("ユーザー名").fill("coordinator")
    page.get_by_label("パスワード").fill("portal-demo")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{demo_site}/members/")

    # The search box in the header.
    header_search = page.locator("header").get_by_role("search")
    header_search.get_by_role("searchbox").fill("在留")
    header_search.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("html").get_attribute("lang") == "ja"
    for kind in ("notice", "case"):
        results = _results(page, kind)
        assert results.count() >= 1, kind
        marks = results.first.locator("mark")
        assert marks.count() >= 1, kind
        assert marks.first.inner_text() == "在留"
    total = int(re.search(r"\d+", page.locator("[data-part='total']").inner_text()).group())
    assert total > 2
    page.screenshot(path=str(tmp_path / "search-ja.png"), full_page=True)

    # Narrow to case studies with the type facet; the choice is shown and can be removed.
    facets = page.locator("[data-part='facets']")
    case_link = facets.locator("[data-facet='type'] a[data-value='case']")
    expected = int(re.search(r"\((\d+)\)", case_link.inner_text()).group(1))
    case_link.click()
    page.wait_for_url(re.compile(r"type=case"))
    assert _results(page).count() == min(expected, 20)
    assert _results(page).count() == _results(page, "case").count()
    assert facets.locator("[data-facet='type'] a[aria-current='true']").count() == 1

    # Switch the interface to English and search for "visa".
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    main_search = page.locator("main").get_by_role("search")
    main_search.get_by_label("Words to search for").fill("visa")
    main_search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=visa"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Also searched for:" in page.locator("[data-part='synonyms']").inner_text()
    assert _results(page).count() >= 1
    assert page.locator("article.search-result mark").count() >= 1
    page.screenshot(path=str(tmp_path / "search-en.png"), full_page=True)
