"""Search that survives an Elasticsearch outage: the database backend answers, with a notice.

The database index is kept up to date alongside Elasticsearch (``WAGTAILSEARCH_BACKENDS`` lists it
as ``"database"`` when Elasticsearch is configured, and Wagtail updates every listed backend), so
it can answer at any time.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config

from search.backends.elasticsearch import REMOTE_ERRORS

__all__ = ["FALLBACK_NOTICE", "database_backend", "reset", "search_with_fallback"]

logger = logging.getLogger("portal.search")

FALLBACK_BACKEND_NAME = "database"
DATABASE_BACKEND_PATH = "search.backends.database"

FALLBACK_NOTICE = _(
    "The search server is unreachable at the moment. These results come from the backup search "
    "and may be ordered differently."
)

# After a failure, go straight to the database for this many seconds instead of waiting for the
# server's timeout on every search (one page searches several content types).
_RETRY_AFTER_SECONDS = 30
_down_until = 0.0


def reset() -> None:
    """Forget a recent failure (tests; or after the server is known to be back)."""
    global _down_until
    _down_until = 0.0


def _retry_after() -> float:
    return float(getattr(settings, "PORTAL_SEARCH_FALLBACK_SECONDS", _RETRY_AFTER_SECONDS))


def database_backend():
    """The backend that answers when the remote one cannot."""
    config = get_app_config().get_search_backend_config()
    if FALLBACK_BACKEND_NAME in config:
        return get_search_backend(FALLBACK_BACKEND_NAME)
    return get_search_backend(DATABASE_BACKEND_PATH)


def _evaluate(results, limit, score_field):
    if score_field:
        results = results.annotate_score(score_field)
    if limit is not None:
        results = results[:limit]
    return list(results)


def search_with_fallback(
    queryset, query, *, backend="default", limit=None, score_field=None, **kwargs
):
    """Search ``queryset`` for ``query`` → ``(results, notice)``.

    ``results`` is a list of model instances in the backend's order (at most ``limit``);
    ``notice`` is ``None``, or a message for the page when the remote backend failed and the
    database backend answered instead. ``kwargs`` go to ``backend.search()`` (``fields``,
    ``operator``, ``order_by_relevance``); ``score_field`` annotates each result with its score.

    Errors of the remote server (unreachable, timeout, an HTTP error) never escape; errors of the
    database backend do (they are bugs, not outages)."""
    global _down_until
    primary = get_search_backend(backend)
    if not getattr(primary, "is_remote", False):
        return _evaluate(primary.search(query, queryset, **kwargs), limit, score_field), None
    if time.monotonic() >= _down_until:
        try:
            results = _evaluate(primary.search(query, queryset, **kwargs), limit, score_field)
        except REMOTE_ERRORS as error:
            _down_until = time.monotonic() + _retry_after()
            logger.error(
                "Search backend %r failed (%s: %s); answering from the database backend",
                backend,
                type(error).__name__,
                error,
            )
        else:
            return results, None
    fallback = database_backend()
    results = _evaluate(fallback.search(query, queryset, **kwargs), limit, score_field)
    return results, FALLBACK_NOTICE
