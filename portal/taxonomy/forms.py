from django import forms

from .selectors import choices


class TaxonomyChoiceField(forms.TypedChoiceField):
    """One taxonomy row chosen from a select, with the option list read from the cache.

    The cleaned value is the row's id (or ``to_field``), not the row: filters only need the key,
    and reading the whole vocabulary from the database on every filter request is what the cache
    avoids. An empty choice cleans to ``None``."""

    def __init__(self, model, *, empty_label, to_field: str = "pk", **kwargs):
        self.model = model
        self.to_field = to_field
        self.empty_label = empty_label
        kwargs.setdefault("required", False)
        super().__init__(
            choices=self._options,
            coerce=int if to_field == "pk" else str,
            empty_value=None,
            **kwargs,
        )

    def _options(self):
        return [("", self.empty_label), *choices(self.model, self.to_field)]
