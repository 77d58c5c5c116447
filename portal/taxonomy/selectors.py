"""Cached reads of the vocabulary: option lists for filters and forms.

The vocabulary changes rarely (an editor renames a field, adds a qualification) but every filter
form shows all of it. Option lists are kept in the cache per model and language under a version
that every save or delete of a taxonomy row bumps (see ``signals.py``), so an edit shows at once.
"""

from django.core.cache import cache
from django.utils import translation

VERSION_KEY = "taxonomy:version"


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def vocabulary_changed() -> None:
    """Forget every cached option list (called when any taxonomy row is saved or deleted)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def choices(model, to_field: str = "pk") -> list[tuple]:
    """``[(value, name in the active language), …]`` of every row of ``model`` in its order."""
    language = translation.get_language() or "ja"
    key = f"taxonomy:{version()}:{model._meta.label_lower}:{to_field}:{language}"
    rows = cache.get(key)
    if rows is None:
        rows = [(getattr(obj, to_field), obj.name) for obj in model.objects.all()]
        cache.set(key, rows, timeout=None)
    return rows
