"""Registers the app's Wagtail hooks; each feature keeps its hooks in ``hooks/``."""

from .hooks import digests, interviews, notices  # noqa: F401
