"""The queue of index updates a remote search backend (Elasticsearch) could not take.

:meth:`search.backends.elasticsearch.JapaneseElasticsearch9Backend.add`/``delete`` call
:func:`record_failure` when the server is unreachable or refuses; ``manage.py
search_reindex_pending`` calls :func:`retry_pending`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import elastic_transport
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import class_is_indexed

from search.models import PendingIndexOperation

logger = logging.getLogger("portal.search")

# A failure of the connection itself: the next operations would fail the same way.
UNREACHABLE = (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def record_failure(obj, action: str, error: BaseException) -> None:
    """Queue ``obj`` for ``action`` ("add"/"delete"). Never raises: the save must go through."""
    object_id = str(obj.pk)
    message = _describe(error)
    try:
        content_type = ContentType.objects.get_for_model(type(obj))
        now = timezone.now()
        with (
            transaction.atomic()
        ):  # a savepoint: a failure here leaves the caller's transaction intact
            updated = PendingIndexOperation.objects.filter(
                content_type=content_type, object_id=object_id
            ).update(
                action=action,
                last_failed_at=now,
                attempts=F("attempts") + 1,
                last_error=message,
            )
            if not updated:
                PendingIndexOperation.objects.create(
                    content_type=content_type,
                    object_id=object_id,
                    action=action,
                    first_failed_at=now,
                    last_failed_at=now,
                    last_error=message,
                )
    except Exception:  # never let the queue break a save
        logger.exception("Could not queue %s of %r for re-indexing", action, obj)
        return
    logger.warning(
        "Search index update (%s) of %s %s failed and is queued for re-indexing: %s",
        action,
        type(obj).__name__,
        object_id,
        message,
    )


def remote_backends():
    """(name, backend) of the configured auto-updated backends that queue their failures."""
    return [
        (name, backend)
        for name, backend in get_search_backends_with_name(with_auto_update=True)
        if getattr(backend, "is_remote", False)
    ]


@dataclass
class RetryReport:
    added: int = 0
    deleted: int = 0
    dropped: int = 0
    failed: int = 0
    not_tried: int = 0

    @property
    def remaining(self) -> int:
        return self.failed + self.not_tried


def _target(operation: PendingIndexOperation):
    """(action, instance) to send: the live indexed instance for an add, or a stand-in carrying
    only the primary key for a delete (also when the object is gone or no longer indexed)."""
    model = operation.content_type.model_class()
    pk = model._meta.pk.to_python(operation.object_id)
    if operation.action == PendingIndexOperation.Action.ADD:
        obj = model.get_indexed_objects().filter(pk=pk).first()
        if obj is not None:
            indexed = obj.get_indexed_instance()
            if indexed is not None:
                return "add", indexed
    return "delete", model(pk=pk)


def retry_pending(backends=None) -> RetryReport:
    """Send every queued operation to the remote backends again; delete the rows that succeed.

    Stops trying at the first connection failure (the server is still down); the rows not tried
    count as remaining."""
    backends = remote_backends() if backends is None else backends
    report = RetryReport()
    operations = list(PendingIndexOperation.objects.select_related("content_type"))
    for position, operation in enumerate(operations):
        model = operation.content_type.model_class()
        if model is None or not class_is_indexed(model):
            operation.delete()
            report.dropped += 1
            continue
        action, instance = _target(operation)
        try:
            for _name, backend in backends:
                if action == "add":
                    backend.add_without_queue(instance)
                else:
                    backend.delete_without_queue(instance)
        except UNREACHABLE as error:
            _count_failure(operation, error)
            report.failed += 1
            report.not_tried = len(operations) - position - 1
            break
        except Exception as error:  # one object the server refuses; try the others
            logger.exception("Re-indexing %s failed", operation)
            _count_failure(operation, error)
            report.failed += 1
            continue
        operation.delete()
        if action == "add":
            report.added += 1
        else:
            report.deleted += 1
    return report


def _count_failure(operation: PendingIndexOperation, error: BaseException) -> None:
    PendingIndexOperation.objects.filter(pk=operation.pk).update(
        attempts=F("attempts") + 1, last_failed_at=timezone.now(), last_error=_describe(error)
    )
