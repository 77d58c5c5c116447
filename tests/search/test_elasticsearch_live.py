"""Against a real Elasticsearch (collected only when PORTAL_ELASTICSEARCH_URL is set, see
conftest.py): the analysis settings are accepted and behave like search.analysis, and search
finds Japanese words inside sentences, synonyms and width/kana variants."""

import io
import os
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from newsletters.models import NoticeIndexPage, NoticePage
from portal.home.models import HomePage
from search.backends.elasticsearch import INDEX_ANALYZER, SEARCH_ANALYZER

pytestmark = pytest.mark.django_db

URL = os.environ["PORTAL_ELASTICSEARCH_URL"]


@pytest.fixture
def live():
    prefix = f"portal_test_{uuid.uuid4().hex[:8]}"
    database = settings.WAGTAILSEARCH_BACKENDS.get(
        "database", settings.WAGTAILSEARCH_BACKENDS["default"]
    )
    if database.get("BACKEND") == "search.backends.elasticsearch":  # pragma: no cover
        database = {"BACKEND": "search.backends.database"}
    backends = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [URL],
            "INDEX": prefix,
            "TIMEOUT": 30,
        },
        "database": database,
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        call_command("update_index", backend_name="default", stdout=io.StringIO())
        backend = get_search_backend()
        try:
            yield backend
        finally:
            names = list(backend.es.indices.get(index=f"{prefix}_*").keys())
            for name in names:
                backend.es.indices.delete(index=name)


def tokens(backend, analyzer, text):
    index = backend.get_index_for_model(NoticePage).name
    response = backend.es.indices.analyze(index=index, analyzer=analyzer, text=text)
    return [token["token"] for token in response["tokens"]]


def test_index_analyzer_gives_unigrams_bigrams_and_stems(live):
    found = tokens(live, INDEX_ANALYZER, "在留資格の更新 Consultations")
    assert {"在", "在留", "留資", "資格", "更新", "consult"} <= set(found)


def test_width_and_kana_variants_analyse_alike(live):
    expected = tokens(live, INDEX_ANALYZER, "びざ")
    assert tokens(live, INDEX_ANALYZER, "ビザ") == expected
    assert tokens(live, INDEX_ANALYZER, "ﾋﾞｻﾞ") == expected
    assert tokens(live, INDEX_ANALYZER, "ＶＩＳＡ") == tokens(live, INDEX_ANALYZER, "visa")


def test_search_analyzer_expands_synonyms(live):
    expanded = set(tokens(live, SEARCH_ANALYZER, "visa"))
    assert {"visa", "在留", "資格"} <= expanded


@pytest.fixture
def notice(live):
    index = NoticeIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first() or Page.objects.get(depth=1)
        index = home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))
    page = NoticePage(
        title="在留資格の更新手続きについて相談を受けた",
        slug="live-notice",
        summary="住民税とビザの手続き",
        category="procedure",
        audience="public",
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    live.get_index_for_model(NoticePage).refresh()
    return NoticePage.objects.get(pk=page.pk)


@pytest.mark.parametrize(
    "query",
    ["在留資格", "在留", "更新", "税", "visa", "status of residence", "ﾋﾞｻﾞ", "びざ"],
)
def test_search_finds_the_notice(live, notice, query):
    assert notice in list(live.search(query, NoticePage.objects.live())), query


def test_search_does_not_find_absent_words(live, notice):
    assert list(live.search("特定技能", NoticePage.objects.live())) == []


def test_search_check_is_clean(live, notice):
    out = io.StringIO()
    call_command(
        "search_check", "--backend", "default", "--model", "newsletters.NoticePage", stdout=out
    )
    assert "Search indexes are consistent." in out.getvalue()
