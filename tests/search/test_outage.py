"""Elasticsearch unreachable (the backend points at a closed local port): saves go through and are
queued, search answers from the database with a notice, the queue and the index check report it.
Also ``search_check`` on the database backend alone."""

import io
import logging
import time

import elastic_transport
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from directory import services
from directory.models import Consent, CoordinatorProfile
from newsletters.models import NoticeIndexPage, NoticePage
from portal.home.models import HomePage
from search.backends import fallback
from search.backends.elasticsearch import JapaneseElasticsearch9Backend
from search.models import PendingIndexOperation

pytestmark = pytest.mark.django_db

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def fresh_fallback():
    fallback.reset()
    yield
    fallback.reset()


def database_config():
    """The database backend of the settings (also when they configure Elasticsearch)."""
    return dict(
        settings.WAGTAILSEARCH_BACKENDS.get("database", settings.WAGTAILSEARCH_BACKENDS["default"])
    )


@pytest.fixture
def db_only():
    """Only the database backend, whatever the environment configures."""
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": database_config()}):
        yield


@pytest.fixture
def es_down():
    """The default backend is Elasticsearch on a closed port, next to the database backend."""
    database = database_config()
    backends = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [CLOSED_PORT],
            "INDEX": "portal_outage_test",
            "TIMEOUT": 1,
        },
        "database": database,
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield


@pytest.fixture
def notice_index(db):
    existing = NoticeIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first() or Page.objects.get(depth=1)
    return home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))


def publish_notice(notice_index, title="Visa renewal: 在留資格の更新手続き", slug="renewal"):
    page = NoticePage(
        title=title,
        slug=slug,
        summary="在留期間の更新は早めに",
        category="procedure",
        audience="public",
        live=False,
    )
    notice_index.add_child(instance=page)
    page.save_revision().publish()
    return NoticePage.objects.get(pk=page.pk)


def pending(obj):
    return PendingIndexOperation.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).first()


@pytest.fixture
def holder(coordinator):
    coordinator.last_name, coordinator.first_name = "索引", "太郎"
    coordinator.family_name_romaji, coordinator.given_name_romaji = "Sakuin", "Taro"
    coordinator.save()
    CoordinatorProfile.objects.create(user=coordinator)
    return coordinator


# --- saving during an outage --------------------------------------------------------------------


def test_the_default_backend_really_is_unreachable(es_down):
    backend = get_search_backend()
    assert isinstance(backend, JapaneseElasticsearch9Backend)
    with pytest.raises(elastic_transport.ConnectionError):
        list(backend.search("visa", NoticePage))


def test_publishing_a_notice_succeeds_logs_and_queues(notice_index, es_down, caplog):
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    notice = publish_notice(notice_index)
    assert time.monotonic() - started < 10  # no retries, no long waits
    assert notice.live
    errors = [
        r for r in caplog.records if r.name == "modelsearch.index" and r.levelno == logging.ERROR
    ]
    assert errors and "search backend" in errors[0].getMessage()
    assert any("queued for re-indexing" in r.getMessage() for r in caplog.records)
    operation = pending(notice)
    assert operation.action == "add"
    assert operation.attempts >= 1
    assert "ConnectionError" in operation.last_error
    # The database index was updated all the same.
    assert notice in get_search_backend("database").search("renewal", NoticePage)


def test_profile_changes_are_queued_once_with_the_latest_action(es_down, holder, caplog):
    services.consent_grant(holder, "directory", [])
    profile = holder.coordinator_profile
    operation = pending(profile)
    assert operation.action == "add"
    attempts = operation.attempts
    services.consent_withdraw(holder, "directory")
    operation = pending(profile)
    assert operation.action == "delete"
    assert operation.attempts == attempts + 1
    assert PendingIndexOperation.objects.count() == 1


def test_a_failure_to_queue_never_breaks_the_save(notice_index, es_down, monkeypatch, caplog):
    from search import pending as queue

    def broken(*args, **kwargs):
        raise RuntimeError("queue table unavailable")

    monkeypatch.setattr(queue.PendingIndexOperation.objects, "filter", broken)
    notice = publish_notice(notice_index)
    assert notice.live
    assert any("Could not queue" in r.getMessage() for r in caplog.records)


# --- searching during an outage -----------------------------------------------------------------


def test_search_with_fallback_answers_from_the_database_with_a_notice(
    notice_index, es_down, caplog
):
    notice = publish_notice(notice_index)
    results, message = fallback.search_with_fallback(NoticePage.objects.live(), "renewal")
    assert results == [notice]
    assert message == fallback.FALLBACK_NOTICE
    assert str(message)
    assert any(
        r.levelno == logging.ERROR and "answering from the database" in r.getMessage()
        for r in caplog.records
    )
    # Within the retry window the database answers at once, still with the notice.
    results, message = fallback.search_with_fallback(NoticePage.objects.live(), "renewal", limit=0)
    assert results == []
    assert message == fallback.FALLBACK_NOTICE


def test_search_with_fallback_finds_japanese_words_inside_sentences(notice_index, es_down):
    notice = publish_notice(notice_index)
    results, message = fallback.search_with_fallback(NoticePage.objects.live(), "在留")
    assert results == [notice]
    assert message == fallback.FALLBACK_NOTICE


def test_search_page_answers_from_the_database_with_a_visible_notice(notice_index, es_down, client):
    notice = publish_notice(notice_index)
    response = client.get("/search/", {"q": "在留"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-part="search-notice"' in html
    assert str(fallback.FALLBACK_NOTICE) in html
    assert notice.url in html
    data = client.get("/search/", {"q": "在留", "format": "json"}).json()
    assert data["notice"] == str(fallback.FALLBACK_NOTICE)
    assert [hit["title"] for hit in data["results"]] == [notice.title]


def test_search_with_fallback_passes_search_options(notice_index, es_down):
    publish_notice(notice_index)
    publish_notice(notice_index, title="Visa renewal and work permits", slug="second")
    results, message = fallback.search_with_fallback(
        NoticePage.objects.live(), "renewal", limit=1, score_field="score"
    )
    assert len(results) == 1
    assert hasattr(results[0], "score")
    assert message is not None


def test_search_with_fallback_on_the_database_backend_has_no_notice(db_only, notice_index):
    notice = publish_notice(notice_index)
    results, message = fallback.search_with_fallback(NoticePage.objects.live(), "renewal")
    assert results == [notice]
    assert message is None


def test_an_http_error_of_the_server_also_falls_back(notice_index, es_down, monkeypatch):
    import elasticsearch

    notice = publish_notice(notice_index)

    def unavailable(self, body, **kwargs):
        meta = elastic_transport.ApiResponseMeta(
            status=503,
            http_version="1.1",
            headers=elastic_transport.HttpHeaders(),
            duration=0.0,
            node=elastic_transport.NodeConfig("http", "127.0.0.1", 9),
        )
        raise elasticsearch.ApiError("unavailable", meta=meta, body={})

    from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchResults

    monkeypatch.setattr(Elasticsearch8SearchResults, "_backend_do_search", unavailable)
    results, message = fallback.search_with_fallback(NoticePage.objects.live(), "renewal")
    assert results == [notice]
    assert message == fallback.FALLBACK_NOTICE


# --- the re-index queue -------------------------------------------------------------------------


def test_reindex_pending_keeps_the_rows_while_the_server_is_down(notice_index, es_down, holder):
    notice = publish_notice(notice_index)
    services.consent_grant(holder, "directory", [])
    before = pending(notice).attempts
    out = io.StringIO()
    with pytest.raises(CommandError, match="still pending"):
        call_command("search_reindex_pending", stdout=out)
    assert "Retrying 2 pending operations on: default" in out.getvalue()
    assert "still failing: 1; not tried (server unreachable): 1" in out.getvalue()
    assert PendingIndexOperation.objects.count() == 2
    assert pending(notice).attempts == before + 1


def test_reindex_pending_sends_each_object_as_it_is_now(notice_index, es_down, holder, monkeypatch):
    notice = publish_notice(notice_index)
    services.consent_grant(holder, "directory", [])
    services.consent_withdraw(holder, "directory")
    profile = holder.coordinator_profile
    sent = []
    monkeypatch.setattr(
        JapaneseElasticsearch9Backend,
        "add_without_queue",
        lambda self, obj: sent.append(("add", type(obj), obj.pk)),
    )
    monkeypatch.setattr(
        JapaneseElasticsearch9Backend,
        "delete_without_queue",
        lambda self, obj: sent.append(("delete", type(obj), obj.pk)),
    )
    out = io.StringIO()
    call_command("search_reindex_pending", stdout=out)
    assert sorted(sent, key=str) == sorted(
        [("add", NoticePage, notice.pk), ("delete", CoordinatorProfile, profile.pk)], key=str
    )
    assert "Re-indexed: 1; removed from the index: 1" in out.getvalue()
    assert "still failing: 0" in out.getvalue()
    assert not PendingIndexOperation.objects.exists()
    call_command("search_reindex_pending", stdout=out)
    assert "No pending index operations." in out.getvalue()


def test_reindex_pending_deletes_what_is_gone(notice_index, es_down, monkeypatch):
    notice = publish_notice(notice_index)
    notice_pk = notice.pk
    notice.delete()
    assert pending(NoticePage(pk=notice_pk)).action == "delete"
    sent = []
    monkeypatch.setattr(
        JapaneseElasticsearch9Backend,
        "delete_without_queue",
        lambda self, obj: sent.append((type(obj), obj.pk)),
    )
    call_command("search_reindex_pending", stdout=io.StringIO())
    assert sent == [(NoticePage, notice_pk)]
    assert not PendingIndexOperation.objects.exists()


def test_reindex_pending_without_elasticsearch(db_only, holder):
    PendingIndexOperation.objects.create(
        content_type=ContentType.objects.get_for_model(CoordinatorProfile),
        object_id="1",
        action="add",
    )
    with pytest.raises(CommandError, match="no Elasticsearch backend"):
        call_command("search_reindex_pending", stdout=io.StringIO())
    out = io.StringIO()
    call_command("search_reindex_pending", "--discard", stdout=out)
    assert "Discarded 1" in out.getvalue()
    assert not PendingIndexOperation.objects.exists()


# --- search_check -------------------------------------------------------------------------------


def run_check(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("search_check", *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


def test_search_check_is_clean_after_update_index_and_flags_a_withdrawn_profile(db_only, holder):
    services.consent_grant(holder, "directory", [])
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    code, output = run_check()
    assert code == 0, output
    assert "Search indexes are consistent." in output
    assert "directory.CoordinatorProfile" in output

    # The consent is withdrawn behind the services' back: nothing removes the index entry.
    Consent.objects.filter(user=holder, is_current=True).update(is_current=False)
    code, output = run_check()
    assert code == 1
    profile_pk = holder.coordinator_profile.pk
    assert f"directory.CoordinatorProfile stale: {profile_pk}" in output
    row = next(line for line in output.splitlines() if "directory.CoordinatorProfile " in line)
    assert row.split()[2:6] == ["0", "1", "0", "1"]  # expected, indexed, missing, stale
    assert "DRIFT" in row
    assert "Search index drift: 1 model/backend pairs differ" in output


def test_search_check_reports_missing_entries(db_only, notice_index):
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    notice = publish_notice(notice_index)
    notice.index_entries.all().delete()
    code, output = run_check("--model", "newsletters.NoticePage")
    assert code == 1
    assert f"newsletters.NoticePage missing: {notice.pk}" in output


def test_search_check_fails_when_elasticsearch_is_unreachable(es_down):
    code, output = run_check("--backend", "default", "--model", "directory.CoordinatorProfile")
    assert code == 1
    assert "default: Elasticsearch is unreachable" in output
