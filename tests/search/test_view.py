"""``/search/``: Japanese and English queries, the JSON answer, escaped and marked snippets, facets,
pagination, hints on zero results, and a number of queries that does not grow with the results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts import roles

from . import site_content as content

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_user):
    return make_user("case-writer", roles.COORDINATOR, last_name="記録", first_name="者")


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response


def search_json(client, **params):
    return search(client, format="json", **params).json()


def test_japanese_two_character_word_finds_a_notice_and_a_case_inside_longer_words(
    client, coordinator, author
):
    content.notice("外国人の方への特例措置", summary="被災地域の方の在留資格の変更を受け付けます。")
    content.case(author, "在留資格の更新を支援した事例")
    content.notice("関係のないお知らせ", summary="防災訓練のご案内です。")
    client.force_login(coordinator)
    data = search_json(client, q="在留")
    assert {(hit["type"], hit["title"]) for hit in data["results"]} == {
        ("notice", "外国人の方への特例措置"),
        ("case", "在留資格の更新を支援した事例"),
    }
    assert data["total"] == 2
    snippets = {hit["type"]: hit["snippet"] for hit in data["results"]}
    assert "<mark>在留</mark>資格の変更" in snippets["notice"]
    html = search(client, q="在留").content.decode()
    assert "<mark>在留</mark>資格の更新を支援した事例" in html  # the title is marked too


def test_english_interface_and_a_synonym(client, coordinator):
    content.notice(
        "在留資格の手続き", summary="在留資格の更新について", summary_en="Renewing a visa"
    )
    client.cookies["portal_language"] = "en"
    client.force_login(coordinator)
    html = search(client, q="visa").content.decode()
    assert "<mark>在留資格</mark>の手続き" in html  # found and marked through the synonym
    assert '<html lang="en">' in html
    assert "1 result for “visa”." in html
    assert "Also searched for:" in html
    assert "<mark>visa</mark>" in html  # the English summary comes first in English


def test_json_shape(client):
    content.notice("形の確認", summary="在留資格の確認", fields=[content.field("housing")])
    data = search_json(client, q="在留資格")
    assert set(data) >= {"results", "facets", "total"}
    assert data["total"] == 1
    (hit,) = data["results"]
    assert set(hit) == {"type", "title", "url", "snippet"}
    assert hit["type"] == "notice" and hit["title"] == "形の確認"
    assert hit["url"].startswith("/") or hit["url"].startswith("http")
    assert set(data["facets"]) == {"type", "field", "prefecture"}
    for rows in data["facets"].values():
        for row in rows:
            assert set(row) == {"value", "label", "count"}
    assert [(row["value"], row["count"]) for row in data["facets"]["type"]] == [("notice", 1)]
    assert [row["value"] for row in data["facets"]["field"]] == [content.field("housing").pk]


def test_titles_and_snippets_are_escaped_before_they_are_marked(client):
    content.notice(
        "<script>alert(1)</script>在留資格の案内",
        summary='<img src=x onerror="alert(2)"> 在留資格 & <b>更新</b>',
    )
    html = search(client, q="在留").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>在留</mark>資格の案内" in html
    assert (
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; <mark>在留</mark>資格 &amp; "
        "&lt;b&gt;更新&lt;/b&gt;" in html
    )
    (hit,) = search_json(client, q="在留")["results"]
    assert hit["title"] == "<script>alert(1)</script>在留資格の案内"  # plain text in JSON
    assert hit["snippet"].count("<mark>") == 1
    assert "<img" not in hit["snippet"] and "&lt;img" in hit["snippet"]


def test_full_width_and_katakana_variants_are_marked_as_written(client):
    content.notice("ﾋﾞｻﾞの案内", summary="ＶＩＳＡの更新")
    data = search_json(client, q="ビザ")
    (hit,) = data["results"]
    assert "<mark>ﾋﾞｻﾞ</mark>" in search(client, q="ビザ").content.decode()
    assert "<mark>ＶＩＳＡ</mark>" in hit["snippet"]  # a synonym of ビザ, full width


def test_facets_narrow_the_results_and_count_the_other_choices(client, coordinator, author):
    housing, medical = content.field("housing"), content.field("medical-health")
    tokyo, osaka = content.prefecture(content.TOKYO), content.prefecture(content.OSAKA)
    content.notice("全国の住まい", fields=[housing])  # nationwide
    content.notice("東京の医療", fields=[medical], prefectures=[tokyo])
    content.case(author, "大阪の事例 在留資格", fields=[housing], prefecture_code=content.OSAKA)
    client.force_login(coordinator)

    data = search_json(client, q="在留")
    assert data["total"] == 3
    facets = {name: {r["value"]: r["count"] for r in rows} for name, rows in data["facets"].items()}
    assert facets["type"] == {"notice": 2, "case": 1}
    assert facets["field"] == {housing.pk: 2, medical.pk: 1}
    # A nationwide notice counts for every prefecture.
    assert facets["prefecture"] == {tokyo.pk: 2, osaka.pk: 2}

    data = search_json(client, q="在留", type="notice")
    assert {hit["title"] for hit in data["results"]} == {"全国の住まい", "東京の医療"}
    type_counts = {r["value"]: r["count"] for r in data["facets"]["type"]}
    assert type_counts == {"notice": 2, "case": 1}  # the other type can still be chosen

    data = search_json(client, q="在留", field=housing.pk)
    assert {hit["title"] for hit in data["results"]} == {"全国の住まい", "大阪の事例 在留資格"}

    data = search_json(client, q="在留", prefecture=osaka.pk)
    assert {hit["title"] for hit in data["results"]} == {"全国の住まい", "大阪の事例 在留資格"}

    data = search_json(client, q="在留", type="notice", field=housing.pk, prefecture=osaka.pk)
    assert [hit["title"] for hit in data["results"]] == ["全国の住まい"]
    assert data["total"] == 1

    html = search(client, q="在留", type="case").content.decode()
    assert 'aria-current="true"' in html  # the chosen value is marked, and links to clear it
    assert "大阪の事例" in html and "東京の医療" not in html


def test_pagination_twenty_per_page(client):
    for n in range(25):
        content.notice(f"お知らせ第{n:02d}号", summary="在留資格について")
    first = search_json(client, q="在留")
    second = search_json(client, q="在留", page=2)
    assert first["total"] == second["total"] == 25
    assert len(first["results"]) == 20 and len(second["results"]) == 5
    titles = [hit["title"] for hit in first["results"] + second["results"]]
    assert len(set(titles)) == 25
    html = search(client, q="在留").content.decode()
    assert 'rel="next"' in html and "q=%E5%9C%A8%E7%95%99" in html
    assert search_json(client, q="在留", page=99)["results"] == second["results"]  # last page


def test_empty_state_and_hints_on_zero_results(client, coordinator):
    content.notice(
        "住まいのお知らせ", summary="在留資格と住まい", fields=[content.field("housing")]
    )
    client.cookies["portal_language"] = "en"
    html = search(client).content.decode()
    assert 'data-part="empty-state"' in html
    assert search_json(client)["total"] == 0

    # Filters that leave nothing: the hint offers the search without them.
    html = search(client, q="在留", field=content.field("medical-health").pk).content.decode()
    assert 'data-part="no-results"' in html
    assert "Search without the filters" in html

    # A word that is nowhere, next to one that is: the word that gives results is proposed.
    html = search(client, q="在留資格 ぴよぴよ").content.decode()
    assert "Did you mean:" in html and ">在留資格</a> (1)" in html

    html = search(client, q="ぴよぴよ").content.decode()
    assert "Try a shorter word" in html


def test_odd_parameters_get_an_answer_not_an_error(client):
    content.notice("頑丈さ", summary="在留資格")
    for params in (
        {"q": "在留", "type": "bogus"},
        {"q": "在留", "field": "abc", "prefecture": "-1"},
        {"q": "在留", "page": "x"},
        {"q": "x" * 5000},
        {"q": "   "},
        {"q": "<>&\"'"},
    ):
        assert client.get("/search/", params).status_code == 200
        assert client.get("/search/", {**params, "format": "json"}).status_code == 200


def test_an_overlong_query_is_searched_by_its_beginning_and_the_reader_told(client):
    content.notice("在留資格の手続き", summary="在留資格の更新")
    html = search(client, q="在留 " + "あ" * 300).content.decode()
    assert "最初の 200 文字だけを検索しました。" in html
    assert 'value="在留 ' + "あ" * 197 + '"' in html  # the words kept in the box
    assert "最初の" not in search(client, q="在留 " + "あ" * 100).content.decode()
    client.cookies["portal_language"] = "en"
    html = search(client, q="x" * 201).content.decode()
    assert "Only the first 200 characters of your words were searched." in html


def test_the_header_has_a_search_box(client):
    html = client.get("/search/").content.decode()
    assert '<form class="site-search" role="search" method="get" action="/search/">' in html
    assert '<label for="site-search-q">' in html


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        search(client, **params)
    return len(queries)


def test_queries_do_not_grow_with_the_results_on_the_page(
    client, coordinator, author, make_user, issue_certificate, django_assert_max_num_queries
):
    """Every type on the page, first with a few hits, then with a full page of them."""
    interviewee = make_user("interviewee", roles.COORDINATOR)

    def add(count, start):
        for n in range(start, start + count):
            content.notice(f"お知らせ {n}", fields=[content.field("housing")])
            content.case(author, f"事例 {n} 在留資格")
            content.newsletter(f"号 {n}", interviewee)
            content.workshop(f"検討会 {n}")
            content.partner(f"窓口 {n}")
            content.profile(
                make_user,
                issue_certificate,
                f"listed-{n}",
                consents={"directory": {"workplace", "bio"}},
                names=("山本", f"{n}", "やまもと", "たろう", "Yamamoto", "Taro"),
                municipalities="在留市",
            )

    add(1, 0)  # 6 hits
    client.force_login(coordinator)
    search(client, q="在留")  # warm the caches (site root paths, vocabulary)
    few = _queries(client, q="在留")
    assert search_json(client, q="在留")["total"] == 6
    add(4, 1)  # 30 hits, 20 of them on the first page
    assert search_json(client, q="在留")["total"] == 30
    with django_assert_max_num_queries(few):
        search(client, q="在留")
