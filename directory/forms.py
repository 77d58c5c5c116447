from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Field, Language, Prefecture, Qualification

from .models import (
    CoordinatorProfile,
    OptionalField,
    Partner,
    PartnerLevel,
    ProfileLanguage,
    Scope,
    WorkplaceType,
)
from .selectors import MAX_PAGE_SIZE, DirectoryFilters


class FilterOptionsMixin:
    """Filter fields for the templates, with each select's options written out once in Python
    (Django's per-option widget templates, or a template loop over every option, were the
    slowest part of the directory and partner pages)."""

    def filter_rows(self, counts: dict | None = None) -> list[tuple]:
        """``[(bound field, options HTML or None), …]`` of the visible fields; a count per value
        is added to the labels of the fields named in ``counts``."""
        counts = counts or {}
        rows = []
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            options = None
            if isinstance(field, forms.ChoiceField):
                selected = str(self[name].value() or "")
                per_value = counts.get(name)
                items = []
                for value, label in field.choices:
                    if per_value is not None and value != "":
                        label = f"{label} ({per_value.get(value, 0)})"
                    value = str(value)
                    items.append((value, " selected" if value == selected else "", label))
                options = format_html_join("", '<option value="{}"{}>{}</option>', items)
            rows.append((self[name], options))
        return rows


class DirectoryFilterForm(FilterOptionsMixin, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    prefecture = TaxonomyChoiceField(
        Prefecture,
        label=_("Area of activity"),
        empty_label=_("All prefectures"),
    )
    field = TaxonomyChoiceField(
        Field,
        label=_("Field of consultation"),
        empty_label=_("All fields"),
    )
    language = TaxonomyChoiceField(
        Language,
        label=_("Language"),
        empty_label=_("All languages"),
    )
    qualification = TaxonomyChoiceField(
        Qualification,
        label=_("Qualification"),
        empty_label=_("All qualifications"),
    )
    workplace_type = forms.ChoiceField(
        label=_("Type of workplace"),
        choices=[("", _("All types"))] + list(WorkplaceType.choices),
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("name", _("Name (reading)")), ("recent", _("Recently updated"))],
        required=False,
    )
    per_page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, widget=forms.HiddenInput
    )

    def filters(self) -> DirectoryFilters:
        # Valid fields apply even when another one is not (e.g. an out-of-range per_page).
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilters(
            q=data.get("q") or "",
            prefecture=data.get("prefecture"),
            field=data.get("field"),
            language=data.get("language"),
            qualification=data.get("qualification"),
            workplace_type=data.get("workplace_type") or "",
            sort=data.get("sort") or "name",
        )


class ProfileForm(forms.ModelForm):
    fields_of_consultation = forms.ModelMultipleChoiceField(
        label=_("Fields of consultation with in-depth knowledge"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    main_fields = forms.ModelMultipleChoiceField(
        label=_("Main fields (one or more of the fields above)"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CoordinatorProfile
        fields = [
            "prefectures",
            "municipalities",
            "wide_area_ok",
            "qualifications",
            "workplace_name",
            "workplace_type",
            "workplace_prefecture",
            "contact_email",
            "contact_phone",
            "preferred_contact",
            "photo",
            "bio_ja",
            "bio_en",
        ]
        widgets = {
            "prefectures": forms.CheckboxSelectMultiple,
            "qualifications": forms.CheckboxSelectMultiple,
            "bio_ja": forms.Textarea(attrs={"rows": 4}),
            "bio_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = self.instance.profilefield_set.all()
            self.initial["fields_of_consultation"] = [r.field_id for r in rows]
            self.initial["main_fields"] = [r.field_id for r in rows if r.is_main]

    MAX_PHOTO_BYTES = 2 * 1024 * 1024

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > self.MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 2 MB."))
        name = getattr(photo, "name", "") or ""
        if photo and not name.lower().endswith((".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(_("Upload a JPEG or PNG photo."))
        return photo

    def clean(self):
        data = super().clean()
        chosen = set(data.get("fields_of_consultation") or [])
        main = set(data.get("main_fields") or [])
        if main - chosen:
            self.add_error(
                "main_fields", _("A main field must also be ticked as a field of consultation.")
            )
        if chosen and not main:
            self.add_error("main_fields", _("Mark at least one of your fields as a main field."))
        if data.get("preferred_contact") == "email" and not data.get("contact_email"):
            self.add_error(
                "contact_email", _("Give a work e-mail address, or choose another contact method.")
            )
        if data.get("preferred_contact") == "phone" and not data.get("contact_phone"):
            self.add_error(
                "contact_phone",
                _("Give a work telephone number, or choose another contact method."),
            )
        return data


class BaseLanguageFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            submitted = form.data.get(form.add_prefix("id"))
            if submitted and (form.instance.pk is None or str(form.instance.pk) != str(submitted)):
                # A row that is not one of the member's own (tampered with, or from a stale page).
                raise forms.ValidationError(
                    _("Your language list changed in the meantime. Reload the page and try again.")
                )


LanguageFormSet = inlineformset_factory(
    CoordinatorProfile,
    ProfileLanguage,
    formset=BaseLanguageFormSet,
    fields=["language", "level"],
    extra=2,
    can_delete=True,
)


class ConsentForm(forms.Form):
    """Consent for one scope: listed or not, and which optional parts are shown."""

    listed = forms.BooleanField(required=False)
    fields = forms.MultipleChoiceField(
        label=_("Also show"),
        choices=OptionalField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, scope: str, **kwargs):
        super().__init__(*args, prefix=f"consent-{scope}", **kwargs)
        self.scope = scope
        self.fields["listed"].label = (
            _("List me in the members' directory (certified coordinators and agency staff)")
            if scope == Scope.DIRECTORY
            else _("List me in the public list of coordinators (everyone)")
        )


class RelayForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=120)
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )


class PartnerFilterForm(FilterOptionsMixin, forms.Form):
    prefecture = TaxonomyChoiceField(
        Prefecture,
        label=gettext_lazy("Prefecture"),
        empty_label=gettext_lazy("All prefectures"),
    )
    language = TaxonomyChoiceField(
        Language,
        label=gettext_lazy("Language"),
        empty_label=gettext_lazy("All languages"),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[("", gettext_lazy("All levels"))] + list(PartnerLevel.choices),
        required=False,
    )
    field = TaxonomyChoiceField(
        Field,
        label=gettext_lazy("Field of response"),
        to_field="slug",
        empty_label=gettext_lazy("All fields"),
    )


class PartnerSuggestionForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name_ja",
            "name_en",
            "kind",
            "level",
            "fields",
            "nationwide",
            "prefectures",
            "languages",
            "address",
            "phone",
            "email",
            "url",
            "opening_hours",
            "notes",
        ]
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "prefectures": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if not data.get("nationwide") and not data.get("prefectures"):
            self.add_error(
                "prefectures", _("Choose the prefectures it covers, or tick “covers all of Japan”.")
            )
        return data
