"""Reads for case studies, one module per feature: ``submission``, ``moderation``, ``library``."""
