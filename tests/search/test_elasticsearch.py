"""The Elasticsearch backend, offline: the index settings, the mapping of project models, the
documents and the compiled queries are asserted as JSON without any server."""

import json

import elastic_transport
import pytest
from django.conf import settings
from django.test import override_settings
from elasticsearch.serializer import JSONSerializer
from wagtail.models import Page

from directory.models import CoordinatorProfile
from newsletters.models import NoticeIndexPage, NoticePage
from portal.home.models import HomePage
from search import analysis
from search.backends.elasticsearch import (
    INDEX_ANALYZER,
    SEARCH_ANALYZER,
    JapaneseElasticsearch9Backend,
    build_index_settings,
    kana_fold_mappings,
)
from search.synonyms import synonym_groups

CLOSED = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def no_requests(monkeypatch):
    """Any request to a server fails the test: all of this works offline."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected Elasticsearch request {args[:3]}")

    monkeypatch.setattr(elastic_transport.Transport, "perform_request", refuse)


def backend(**params):
    return JapaneseElasticsearch9Backend({"URLS": [CLOSED], "INDEX": "portal", **params})


def analysis_settings(b=None):
    return (b or backend()).settings["settings"]["analysis"]


# --- index settings ---------------------------------------------------------------------------


def test_index_analyzer_folds_widens_bigrams_and_stems():
    settings = analysis_settings()
    assert settings["analyzer"][INDEX_ANALYZER] == {
        "type": "custom",
        "char_filter": ["portal_kana_fold"],
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "portal_cjk_bigram_index", "portal_english_stemmer"],
    }
    assert settings["filter"]["portal_cjk_bigram_index"] == {
        "type": "cjk_bigram",
        "output_unigrams": True,
    }
    assert settings["filter"]["portal_english_stemmer"] == {
        "type": "stemmer",
        "language": "porter2",
    }
    # Text fields without an explicit analyzer behave the same.
    assert settings["analyzer"]["default"] == settings["analyzer"][INDEX_ANALYZER]


def test_search_analyzer_uses_bigrams_without_unigrams_then_synonyms():
    settings = analysis_settings()
    assert settings["analyzer"][SEARCH_ANALYZER] == {
        "type": "custom",
        "char_filter": ["portal_kana_fold"],
        "tokenizer": "standard",
        "filter": [
            "cjk_width",
            "lowercase",
            "portal_cjk_bigram_search",
            "portal_english_stemmer",
            "portal_synonyms",
        ],
    }
    # Elasticsearch refuses to parse synonyms through cjk_bigram with output_unigrams; a lone
    # CJK character (a one-character query) still comes out as a unigram without it.
    assert settings["filter"]["portal_cjk_bigram_search"] == {
        "type": "cjk_bigram",
        "output_unigrams": False,
    }
    assert settings["analyzer"]["default_search"] == settings["analyzer"][SEARCH_ANALYZER]


def test_synonym_graph_holds_the_maintained_groups_inline():
    synonyms = analysis_settings()["filter"]["portal_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    assert synonyms["lenient"] is True
    assert "synonyms_path" not in synonyms  # nothing to install on the server
    rules = synonyms["synonyms"]
    assert rules == [", ".join(group) for group in synonym_groups()]
    assert len(rules) >= 30

    def group_with(*entries):
        return [rule for rule in rules if all(e in rule.split(", ") for e in entries)]

    assert group_with("在留資格", "status of residence", "visa")
    assert group_with("特定技能", "Specified Skilled Worker")
    assert group_with("技能実習", "Technical Intern Training")
    assert group_with("育成就労", "Employment for Skill Development")
    assert group_with("永住", "permanent residence")
    assert group_with("ハローワーク", "Hello Work")
    assert group_with("法テラス", "Japan Legal Support Center")


def test_synonym_rules_escape_the_solr_syntax(monkeypatch):
    from search.backends import elasticsearch

    monkeypatch.setattr(elasticsearch, "synonym_groups", lambda: [("a, b", "c=>d", "e")])
    assert elasticsearch.synonym_rules() == ["a\\, b, c\\=>d, e"]


def test_kana_fold_is_the_table_of_search_analysis():
    mappings = kana_fold_mappings()
    assert analysis_settings()["char_filter"]["portal_kana_fold"] == {
        "type": "mapping",
        "mappings": mappings,
    }
    pairs = dict(rule.split(" => ") for rule in mappings)
    assert pairs["カ"] == "か"
    assert pairs["ヴ"] == "ゔ"
    assert pairs["ｶ"] == "か"  # half-width katakana, before the tokenizer
    assert pairs["ｶﾞ"] == "が"  # with its voicing mark
    assert pairs["ﾊﾟ"] == "ぱ"
    # Every rule agrees with the database pipeline, and every katakana letter it folds is covered.
    for source, target in pairs.items():
        assert analysis.normalize(source) == target, source
    for code in range(0x30A1, 0x30F7):
        assert chr(code) in pairs


def test_settings_are_json_with_wagtails_index_options_kept():
    body = backend().settings
    json.dumps(body)
    assert body["settings"]["index"] == {"max_ngram_diff": 12}
    assert set(body["settings"]["analysis"]["analyzer"]) >= {
        INDEX_ANALYZER,
        SEARCH_ANALYZER,
        "edgengram_analyzer",
        "ngram_analyzer",
        "portal_autocomplete_search",
    }
    assert "kuromoji" not in json.dumps(body)


def test_index_settings_can_still_be_overridden():
    b = backend(INDEX_SETTINGS={"settings": {"index": {"number_of_replicas": 0}}})
    assert b.settings["settings"]["index"] == {"max_ngram_diff": 12, "number_of_replicas": 0}
    assert INDEX_ANALYZER in b.settings["settings"]["analysis"]["analyzer"]
    # Built settings are copies: one backend's overrides never leak into the next.
    assert "number_of_replicas" not in build_index_settings()["settings"]["index"]


def test_connection_options_bound_a_save_during_an_outage():
    b = backend(TIMEOUT=5, OPTIONS={"max_retries": 0, "retry_on_timeout": False})
    assert b.es._request_timeout == 5
    assert b.es._max_retries == 0
    assert b.es._retry_on_timeout is False
    assert backend().es._max_retries == 0  # also without OPTIONS


def test_index_names_use_the_configured_prefix():
    b = backend()
    assert b.get_index_for_model(NoticePage).name == "portal_wagtailcore_page"
    assert b.get_index_for_model(CoordinatorProfile).name == "portal_directory_coordinatorprofile"
    assert backend(INDEX_PREFIX="x_").get_index_for_model(NoticePage).name == "x_wagtailcore_page"


# --- mapping and documents --------------------------------------------------------------------


def test_mapping_of_a_notice_page():
    mapping = backend().mapping_class(NoticePage).get_mapping()["properties"]
    japanese = {"analyzer": INDEX_ANALYZER, "search_analyzer": SEARCH_ANALYZER}
    assert mapping["title"] == {
        "type": "text",
        "copy_to": ["_all_text", "_all_text_boost_2_0"],
        **japanese,
    }
    for name in ("summary", "summary_en", "body"):
        assert mapping[f"newsletters_noticepage__{name}"] == {
            "type": "text",
            "copy_to": "_all_text",
            **japanese,
        }
    assert mapping["_all_text"] == {"type": "text", **japanese}
    assert mapping["_all_text_boost_2_0"] == {"type": "text", **japanese}
    assert mapping["_edgengrams"] == {
        "type": "text",
        "analyzer": "edgengram_analyzer",
        "search_analyzer": "portal_autocomplete_search",
    }
    assert mapping["newsletters_noticepage__audience_filter"] == {"type": "keyword"}
    assert mapping["live_filter"] == {"type": "boolean"}
    assert mapping["pk"] == {"type": "keyword", "store": True}
    text_fields = [name for name, field in mapping.items() if field["type"] == "text"]
    assert all("analyzer" in mapping[name] for name in text_fields)


def test_mapping_of_a_coordinator_profile():
    mapping = backend().mapping_class(CoordinatorProfile).get_mapping()["properties"]
    assert mapping["search_name"] == {
        "type": "text",
        "copy_to": "_all_text",
        "analyzer": INDEX_ANALYZER,
        "search_analyzer": SEARCH_ANALYZER,
    }
    assert mapping["id_filter"] == {"type": "long"}


@pytest.fixture
def notice(db):
    # Saved with the database backend only, whatever the environment configures.
    database = settings.WAGTAILSEARCH_BACKENDS.get(
        "database", settings.WAGTAILSEARCH_BACKENDS["default"]
    )
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": database}):
        return _make_notice()


def _make_notice():
    index = NoticeIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first() or Page.objects.get(depth=1)
        index = home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))
    page = NoticePage(
        title="在留資格の更新手続きについて",
        slug="es-notice",
        summary="ﾋﾞｻﾞの更新は早めに",
        summary_en="Renew your visa early",
        category="procedure",
        audience="public",
    )
    index.add_child(instance=page)
    return NoticePage.objects.get(pk=page.pk)


def test_document_of_a_notice_page(notice):
    document = backend().mapping_class(NoticePage).get_document(notice)
    assert document["pk"] == str(notice.pk)
    assert document["_django_content_type"][:2] == ["newsletters.NoticePage", "wagtailcore.Page"]
    assert document["title"] == "在留資格の更新手続きについて"
    # Raw text goes to the server, which analyses it (no pre-analysed terms in the document).
    assert document["newsletters_noticepage__summary"] == "ﾋﾞｻﾞの更新は早めに"
    assert document["newsletters_noticepage__summary_en"] == "Renew your visa early"
    assert document["newsletters_noticepage__audience_filter"] == "public"
    assert document["_edgengrams"] == ["在留資格の更新手続きについて"]
    JSONSerializer().dumps(document)  # what the client sends


# --- compiled queries -------------------------------------------------------------------------


def compiled(query, queryset, **kwargs):
    return backend().search(query, queryset, **kwargs).query_compiler.get_query()


@pytest.mark.django_db
def test_japanese_query_requires_every_bigram_through_the_search_analyzer():
    assert compiled("在留資格", NoticePage.objects.live()) == {
        "bool": {
            "must": {
                "multi_match": {
                    "query": "在留資格",
                    "operator": "and",
                    "fields": ["_all_text", "_all_text_boost_2_0^2.0"],
                    "analyzer": SEARCH_ANALYZER,
                }
            },
            "filter": [
                {"match": {"_django_content_type": "newsletters.NoticePage"}},
                {"term": {"live_filter": True}},
            ],
        }
    }


@pytest.mark.django_db
def test_one_character_query_on_a_single_field():
    assert compiled("税", CoordinatorProfile) == {
        "bool": {
            "must": {
                "match": {
                    "_all_text": {"query": "税", "operator": "and", "analyzer": SEARCH_ANALYZER}
                }
            },
            "filter": {"match": {"_django_content_type": "directory.CoordinatorProfile"}},
        }
    }


@pytest.mark.django_db
def test_synonym_query_is_expanded_by_the_analyzer_it_names():
    query = compiled("status of residence", NoticePage.objects.all())
    must = query["bool"]["must"]["multi_match"]
    assert must["query"] == "status of residence"
    assert must["operator"] == "and"
    analyzer = analysis_settings()["analyzer"][must["analyzer"]]
    assert analyzer["filter"][-1] == "portal_synonyms"
    rules = analysis_settings()["filter"]["portal_synonyms"]["synonyms"]
    assert any({"status of residence", "在留資格", "visa"} <= set(r.split(", ")) for r in rules)


@pytest.mark.django_db
def test_title_matches_are_boosted_and_fields_can_be_restricted():
    query = compiled("visa", NoticePage.objects.all(), fields=["title", "summary_en"])
    assert query["bool"]["must"] == {
        "multi_match": {
            "query": "visa",
            "operator": "and",
            "fields": ["title^2", "newsletters_noticepage__summary_en"],
            "analyzer": SEARCH_ANALYZER,
        }
    }


@pytest.mark.django_db
def test_explicit_or_operator_is_respected():
    query = compiled("visa 在留", CoordinatorProfile, operator="or")
    assert query["bool"]["must"]["match"]["_all_text"] == {
        "query": "visa 在留",
        "analyzer": SEARCH_ANALYZER,
    }


@pytest.mark.django_db
def test_autocomplete_query_uses_the_edgengram_field():
    query = backend().autocomplete("在留", CoordinatorProfile).query_compiler.get_query()
    assert query["bool"]["must"] == {"match": {"_edgengrams": {"query": "在留"}}}


# --- kuromoji (optional) ----------------------------------------------------------------------


@pytest.mark.django_db
def test_kuromoji_adds_a_morphological_subfield_and_a_ranking_clause():
    b = backend(KUROMOJI=True)
    morph = b.settings["settings"]["analysis"]["analyzer"]["portal_ja_morph"]
    assert morph["tokenizer"] == "kuromoji_tokenizer"
    all_text = b.mapping_class(NoticePage).get_mapping()["properties"]["_all_text"]
    assert all_text["fields"] == {"morph": {"type": "text", "analyzer": "portal_ja_morph"}}
    query = b.search("在留資格", NoticePage.objects.all()).query_compiler.get_query()
    inner = query["bool"]["must"]["bool"]
    assert inner["must"]["multi_match"]["operator"] == "and"  # recall still from the bigrams
    assert inner["should"] == [{"match": {"_all_text.morph": {"query": "在留資格"}}}]
