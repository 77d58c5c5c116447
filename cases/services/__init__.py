"""Writes for case studies, one module per feature: ``submission`` (authors), ``moderation``
(moderators and the workflow), ``library`` (the case library page and its set-up)."""
