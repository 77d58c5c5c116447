"""Cache purge when the vocabulary changes."""

from django.db.models.signals import post_delete, post_save

from .selectors import vocabulary_changed


def purge_vocabulary(sender, **kwargs):
    vocabulary_changed()


def connect(models) -> None:
    for model in models:
        post_save.connect(purge_vocabulary, sender=model, dispatch_uid=f"taxonomy_saved_{model}")
        post_delete.connect(
            purge_vocabulary, sender=model, dispatch_uid=f"taxonomy_deleted_{model}"
        )
