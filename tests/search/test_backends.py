"""The portal's database search backends (``search.backends.database``) on the database the tests
run on: PostgreSQL in the suite, SQLite when run with ``env -u DATABASE_URL``."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Or, Phrase, PlainText

from portal.home.models import HomePage, StandardPage
from search.backends.database import backend_class

pytestmark = pytest.mark.django_db

SENTENCE = "在留資格の更新手続きについて相談を受けた。"


@pytest.fixture
def home():
    return HomePage.objects.first() or Page.objects.get(depth=1)


@pytest.fixture
def make_page(home):
    made = []

    def make(title, lead="", *, published=None):
        page = StandardPage(title=title, slug=f"search-backend-{len(made) + 1}", lead=lead)
        home.add_child(instance=page)
        if published is not None:
            StandardPage.objects.filter(pk=page.pk).update(first_published_at=published)
            page.refresh_from_db()
        made.append(page)
        return page

    return make


def found(query, queryset=None, **kwargs):
    queryset = StandardPage.objects.all() if queryset is None else queryset
    return [page.pk for page in queryset.search(query, **kwargs)]


def test_the_default_backend_is_the_portal_backend_for_this_database():
    backend = get_search_backend()
    assert type(backend) is backend_class()
    expected = {"postgresql": "search.backends.postgres", "sqlite": "search.backends.sqlite"}
    assert type(backend).__module__ == expected[connection.vendor]


@pytest.mark.parametrize("query", ["在留資格", "在留", "更新", "手続き", "相談", "資格", "在"])
def test_a_word_inside_an_unspaced_sentence_is_found(make_page, query):
    page = make_page("お知らせ", SENTENCE)
    make_page("別のお知らせ", "日本語教室の案内です。")
    assert found(query) == [page.pk]


def test_two_character_and_one_character_words(make_page):
    interpreting = make_page("案内", "病院で通訳を頼めるかどうか確認した。")
    tax = make_page("住民税", "市役所で納付の方法を聞いた。")
    assert found("通訳") == [interpreting.pk]
    assert found("税") == [tax.pk]
    assert found("訳") == [interpreting.pk]
    # Bigrams keep order: a word made of the same characters in another order is not found.
    assert found("訳通") == []
    # Every bigram must match: 資格外 is not in the sentence (格外 is missing).
    make_page("在留", SENTENCE)
    assert found("資格外") == []


def test_full_width_and_half_width_forms_meet(make_page):
    page = make_page("ＪＬＰＴ対策", "日本語能力試験Ｎ２の講座と、ﾊﾛｰﾜｰｸの案内。")
    assert found("jlpt") == [page.pk]
    assert found("N2") == [page.pk]
    assert found("Ｎ２") == [page.pk]
    assert found("ハローワーク") == [page.pk]
    assert found("ﾊﾛｰﾜｰｸ") == [page.pk]


def test_katakana_and_hiragana_meet(make_page):
    page = make_page("ハローワークへの同行", "しごとさがしの相談。")
    assert found("はろーわーく") == [page.pk]
    assert found("シゴトサガシ") == [page.pk]


def test_english_words_are_stemmed(make_page):
    page = make_page("Consultations on residence", "We consulted the immigration office.")
    for query in ("consultation", "consulting", "consults", "Residences", "CONSULT"):
        assert found(query) == [page.pk], query
    assert found("immigrants") == [page.pk]  # immigration and immigrant share a stem
    assert found("embassy") == []


def test_synonyms_find_the_official_japanese_term(make_page):
    page = make_page("お知らせ", SENTENCE)
    other = make_page("Visa renewal", "How to renew a visa.")
    assert sorted(found("visa")) == sorted([page.pk, other.pk])
    assert sorted(found("status of residence")) == sorted([page.pk, other.pk])
    assert sorted(found("在留資格")) == sorted([page.pk, other.pk])


def test_all_words_must_match_and_or_combines(make_page):
    both = make_page("在留資格と通訳", "")
    only_one = make_page("在留資格", "")
    assert found("在留資格 通訳") == [both.pk]
    assert sorted(found("在留資格 通訳", operator="or")) == sorted([both.pk, only_one.pk])


def test_a_title_match_ranks_above_a_body_match(make_page):
    now = timezone.now()
    in_body = make_page("お知らせ", f"{SENTENCE} 在留資格について。", published=now)
    in_title = make_page(
        "在留資格の相談会", "日本語教室の案内です。", published=now - datetime.timedelta(days=30)
    )
    assert found("在留資格") == [in_title.pk, in_body.pk]
    assert found("visa") == [in_title.pk, in_body.pk]


def test_newer_items_break_ties(make_page):
    now = timezone.now()
    old = make_page("お知らせ一", SENTENCE, published=now - datetime.timedelta(days=10))
    new = make_page("お知らせ二", SENTENCE, published=now)
    undated = make_page("お知らせ三", SENTENCE)
    StandardPage.objects.filter(pk=undated.pk).update(first_published_at=None)
    assert found("在留資格") == [new.pk, old.pk, undated.pk]


def test_scores_counts_slices_and_ordering_without_relevance(make_page):
    pages = [make_page(f"相談 {n}", SENTENCE) for n in range(5)]
    results = StandardPage.objects.search("相談")
    assert results.count() == 5
    assert len(results[1:3]) == 2
    assert results[1:3].count() == 2
    assert [p.pk for p in results[:2]] + [p.pk for p in results[2:]] == [p.pk for p in results]
    scored = list(StandardPage.objects.search("相談").annotate_score("_score"))
    assert all(page._score and page._score > 0 for page in scored)
    by_title = StandardPage.objects.order_by("title").search("相談", order_by_relevance=False)
    assert [p.pk for p in by_title] == [p.pk for p in pages]


def test_pages_of_a_paginator_cover_the_ranking_once(make_page, monkeypatch):
    if connection.vendor == "postgresql":
        from search.backends.postgres import PostgresSearchQueryCompiler, PostgresSearchResults

        monkeypatch.setattr(PostgresSearchResults, "COUNT_WINDOW", 3)  # pages beyond the window
        # Pages beyond the ranked candidates, and one page across the boundary.
        monkeypatch.setattr(PostgresSearchQueryCompiler, "RANK_CANDIDATES", 3)
    pages = {make_page(f"相談 {n}", SENTENCE * (n + 1)).pk for n in range(7)}
    paginator = Paginator(StandardPage.objects.search("相談"), 2)
    assert paginator.count == 7
    seen = [p.pk for number in paginator.page_range for p in paginator.page(number)]
    assert seen == found("相談")
    assert set(seen) == pages


def test_a_partner_whose_name_matches_ranks_above_one_whose_notes_match():
    from directory.models import Partner

    def partner(slug, name, notes):
        made = Partner.objects.create(
            slug=slug, name_ja=name, notes=notes, kind="other", level="municipal", live=True
        )
        index.insert_or_update_object(made)
        return made

    named = partner("search-named", "在留資格相談センター", "外国人の生活相談を受け付けます。")
    noted = partner("search-noted", "国際交流協会", "在留資格の相談。" * 5)
    live = Partner.objects.filter(live=True)
    results = [p.pk for p in get_search_backend().search("在留資格", live)]
    assert results == [named.pk, noted.pk]


def test_the_callers_queryset_filters_apply(make_page):
    live = make_page("在留資格の案内", "")
    draft = make_page("在留資格の下書き", "")
    StandardPage.objects.filter(pk=draft.pk).update(live=False)
    assert found("在留資格", StandardPage.objects.live()) == [live.pk]
    assert found("在留資格", Page.objects.live()) == [live.pk]
    facets = Page.objects.all().search("在留資格").facet("content_type_id")
    assert sum(facets.values()) == 2


def test_query_objects_map_to_the_same_plan(make_page):
    page = make_page("お知らせ", SENTENCE)
    interpreting = make_page("通訳の案内", "")
    assert found(Phrase("在留資格")) == [page.pk]
    assert found(PlainText("在留資格")) == [page.pk]
    assert sorted(found(Or([PlainText("在留資格"), PlainText("通訳")]))) == sorted(
        [page.pk, interpreting.pk]
    )
    assert found(And([PlainText("在留資格"), PlainText("更新")])) == [page.pk]
    assert found(And([PlainText("案内"), Not(PlainText("在留資格"))])) == [interpreting.pk]
    assert found(Not(PlainText("在留資格"))) == [interpreting.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"在留資格"',
        "*",
        "在留*",
        "相談:",
        "title:在留",
        "{title}:在留",
        "&",
        "在留 & 資格",
        "|",
        "在留 | 資格",
        "!",
        "!在留",
        "()",
        "(在留",
        "在留)",
        "NEAR",
        "NEAR(在留 資格)",
        "AND",
        "在留 AND 資格",
        "OR NOT",
        "'",
        "l'aide",
        "\\",
        "%",
        "_",
        "'; DROP TABLE wagtailcore_page; --",
        "^在留",
        "-在留",
        "+在留",
        ":*",
        "a:*",
        "・・・",
        "。",
    ],
)
def test_query_syntax_characters_do_not_break_the_search(make_page, query):
    page = make_page("お知らせ", SENTENCE)
    results = found(query)
    assert results in ([], [page.pk])
    assert StandardPage.objects.search(query).count() == len(results)
    list(StandardPage.objects.autocomplete(query))
    if query in FOUND_DESPITE_SYNTAX:
        assert results == [page.pk], query


# Queries whose only words (after punctuation and English stop words are dropped) are in SENTENCE.
FOUND_DESPITE_SYNTAX = {
    '"在留資格"',
    "在留*",
    "在留 & 資格",
    "在留 | 資格",
    "!在留",
    "(在留",
    "在留)",
    "在留 AND 資格",
    "^在留",
    "-在留",
    "+在留",
}


def test_autocomplete_matches_a_partly_typed_word(make_page):
    page = make_page("Consultation desk 在留資格", "")
    assert [p.pk for p in StandardPage.objects.autocomplete("consul")] == [page.pk]
    assert [p.pk for p in StandardPage.objects.autocomplete("consultati")] == [page.pk]
    assert [p.pk for p in StandardPage.objects.autocomplete("在留資")] == [page.pk]
    assert [p.pk for p in StandardPage.objects.autocomplete("資格")] == [page.pk]


def test_removed_and_deleted_objects_disappear(make_page):
    kept = make_page("在留資格の案内", "")
    withdrawn = make_page("在留資格の旧案内", "")
    deleted = make_page("在留資格の古い案内", "")
    assert sorted(found("在留資格")) == sorted([kept.pk, withdrawn.pk, deleted.pk])
    index.remove_object(withdrawn)
    deleted.delete()
    assert found("在留資格") == [kept.pk]
    assert StandardPage.objects.search("在留資格").count() == 1


def test_a_reindexed_object_is_found_by_its_new_text_only(make_page):
    page = make_page("お知らせ", "通訳の案内")
    page.lead = SENTENCE
    page.save()
    index.insert_or_update_object(page)
    assert found("在留資格") == [page.pk]
    assert found("通訳") == []


def test_wagtail_admin_page_search_finds_a_japanese_word_inside_a_title(
    client, make_user, make_page
):
    page = make_page("外国人住民のための在留資格更新ガイド", "")
    admin = make_user("search-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": "在留資格"})
    assert response.status_code == 200
    assert page.title in response.content.decode()
    response = client.get("/admin/pages/search/", {"q": "住民"})
    assert page.title in response.content.decode()
    response = client.get("/admin/pages/search/", {"q": "通訳"})
    assert page.title not in response.content.decode()


def test_tsvector_literals_keep_weights_and_few_positions():
    from search.backends.postgres import MAX_POSITIONS, RANK_WEIGHTS, tsvector_literal

    literal = tsvector_literal(
        [
            ("A", ["在留", "資格"]),
            ("", ["在留"] * 5 + ["coordinator's", "x" * 3000, "相談"]),
        ]
    )
    # A body lexeme found once is written bare; the over-long one is dropped.
    assert sorted(literal.split()) == sorted(
        ["'在留':1A,2,3", "'資格':1A", "'coordinator''s'", "'相談'"]
    )
    assert MAX_POSITIONS == 3
    assert tsvector_literal([("A", []), ("", [])]) == ""
    assert tsvector_literal([("", ["x", "y", "x"])]).split() == ["'y'", "'x':1,2"]
    if connection.vendor == "postgresql":
        # PostgreSQL reads the literal as written: the title weight and the apostrophe survive.
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::tsvector::text", [literal])
            assert cursor.fetchone()[0] == ("'coordinator''s' '在留':1A,2,3 '相談' '資格':1A")
            # A bare lexeme ranks exactly as one occurrence with the body weight would.
            cursor.execute(
                "SELECT ts_rank(%s::float4[], 'x y'::tsvector, 'x | y'::tsquery), "
                "ts_rank(%s::float4[], 'x:1 y:1'::tsvector, 'x | y'::tsquery)",
                [RANK_WEIGHTS, RANK_WEIGHTS],
            )
            bare, positioned = cursor.fetchone()
            assert bare == positioned > 0


def test_a_one_character_word_is_found_inside_a_run_and_at_its_end(make_page):
    # Only the last character of a run is stored on its own; elsewhere 税 begins a bigram.
    inside = make_page("案内", "納税の手続きについて市役所に問い合わせた。")
    at_end = make_page("住民税", "市役所で聞いた。")
    alone = make_page("お知らせ", "税 / 2025")
    make_page("別の案内", "住民票の写しを取った。")
    assert sorted(found("税")) == sorted([inside.pk, at_end.pk, alone.pk])
    # The title match ranks first.
    assert found("税")[0] == at_end.pk


def test_many_objects_are_indexed_in_steps_and_reindexed_in_bulk():
    from directory.models import Partner
    from search.backends.common import INDEX_STEP

    count = 2 * INDEX_STEP + 7
    partners = Partner.objects.bulk_create(
        Partner(
            slug=f"search-bulk-{n}",
            name_ja=f"協会{n}",
            notes="在留資格の相談。" if n else "技能実習生の賃金について。",
            kind="other",
            level="municipal",
            live=True,
        )
        for n in range(count)
    )
    backend = get_search_backend()
    backend.add_bulk(Partner, partners)
    live = Partner.objects.filter(live=True)
    assert backend.search("在留資格", live).count() == count - 1
    assert [p.pk for p in backend.search("技能実習", live)] == [partners[0].pk]
    last = partners[-1]
    for partner in partners:
        partner.notes = "年金の脱退一時金。" if partner.pk == last.pk else "在留資格の相談。"
    backend.add_bulk(Partner, partners)  # the same objects again: their entries are replaced
    assert backend.search("技能実習", live).count() == 0
    assert backend.search("在留資格", live).count() == count - 1
    assert [p.pk for p in backend.search("脱退一時金", live)] == [last.pk]


def test_field_values_are_read_in_the_callers_thread_and_analysed_in_order():
    import threading

    from search.backends.common import analysed_in_steps

    caller = threading.current_thread()

    class Indexer:
        def __init__(self, n):
            self.n = n

        @property
        def values(self):
            # Field values may query the database: only in the caller's thread (and transaction).
            assert threading.current_thread() is caller
            return [self.n]

    indexers = [Indexer(n) for n in range(10)]
    steps = list(analysed_in_steps(indexers, lambda chunk: [i.n for i in chunk], step=3))
    assert steps == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(analysed_in_steps([], lambda chunk: chunk)) == []

    def fail(chunk):
        raise ValueError("bad text")

    with pytest.raises(ValueError, match="bad text"):
        list(analysed_in_steps(indexers, fail, step=3))
