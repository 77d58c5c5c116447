from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Field, Prefecture

from ..models import OpinionCategory
from .services import TEXT_MAX_LENGTH, triage_errors


def _text_help() -> str:
    return gettext(
        "Plain text, up to %(limit)d characters. Do not write anything that could identify "
        "a client or another person."
    ) % {"limit": TEXT_MAX_LENGTH}


class OpinionForm(forms.Form):
    """What a member sends to the opinion box."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *OpinionCategory.choices],
        error_messages={"required": _("Choose a category.")},
    )
    field = TaxonomyChoiceField(
        Field,
        label=_("Field of consultation"),
        empty_label=_("Not stated"),
        help_text=_("Optional: the field of consultation your opinion concerns."),
    )
    prefecture = TaxonomyChoiceField(
        Prefecture,
        label=_("Prefecture"),
        empty_label=_("Not stated"),
        help_text=_("Optional: where the situation you describe arises."),
    )
    text = forms.CharField(
        label=_("Your opinion or request"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=lazy(_text_help, str)(),
        error_messages={"required": _("Write your opinion.")},
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "An anonymous opinion is stored without your name or account, so the staff who "
            "read it cannot see who sent it. It cannot be followed up with you, and it does "
            "not appear in “Your opinions”, so you will not be told when it is answered."
        ),
    )


class OpinionFilterForm(forms.Form):
    """The filters of the members' list of answers."""

    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *OpinionCategory.choices],
    )
    field = TaxonomyChoiceField(
        Field, label=_("Field of consultation"), empty_label=_("All fields")
    )

    def filters(self) -> dict:
        """The valid filters (none when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "category": self.cleaned_data.get("category") or None,
            "field": self.cleaned_data.get("field") or None,
        }


class OpinionTriageForm(WagtailAdminModelForm):
    """The admin form of an opinion: only the triage fields are editable."""

    def clean(self):
        cleaned_data = super().clean()
        errors = triage_errors(
            status=cleaned_data.get("status") or "",
            public_summary=cleaned_data.get("public_summary") or "",
            public_answer=cleaned_data.get("public_answer") or "",
        )
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned_data
