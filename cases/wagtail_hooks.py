"""Admin hooks of case studies live in ``hooks/``, one module per feature."""

from .hooks import library, moderation, submission  # noqa: F401
