from .hooks import opinions, questionnaires, results  # noqa: F401  (registration only)
