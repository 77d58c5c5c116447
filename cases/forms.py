"""The case-study form members fill in on the site (``/cases/submit/``, ``/cases/<pk>/edit/``).

Rich-text parts are typed in plain textareas: text without HTML tags becomes paragraphs
(blank lines) and line breaks (single newlines); whatever was typed is then cleaned by
:func:`portal.sanitize.clean_html`, the site's only sanitiser.
"""

import re

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from directory.models import Partner
from portal.sanitize import clean_html
from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Field, Language, Prefecture
from portal.taxonomy.selectors import choices

from .models import AgeBand, Attribution, CaseType, Outcome, ResidenceStatus, StayBand
from .selectors.anonymisation import RICH_TEXT_FIELDS

# What the author confirms before submitting (the moderators' checklist), stored by key.
ETHICS_CHECKLIST = (
    ("no-names", _("No names or initials of the client or of anyone else appear in the case.")),
    ("no-exact-dates", _("No exact dates appear: the month or the year at most.")),
    ("prefecture-level", _("Places are given at prefecture level at most.")),
    ("no-institutions", _("No employer, school or hospital is named.")),
    (
        "nationality-generalised",
        _("The nationality is generalised wherever it could identify someone."),
    ),
    (
        "not-recognisable",
        _("No detail would let the client or me be recognised locally."),
    ),
)
ETHICS_KEYS = tuple(key for key, _label in ETHICS_CHECKLIST)

# Fields required only for a regional problem.
REGIONAL_FIELDS = ("stakeholders", "measures", "government_feedback")

# Form actions (the name of the button pressed).
DRAFT = "draft"
PREVIEW = "preview"
SUBMIT = "submit"
ACTIONS = (DRAFT, PREVIEW, SUBMIT)

_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_BLOCK_END_RE = re.compile(r"(</p>|</li>|</ul>|</ol>|</h3>|</h4>|</blockquote>|<br\s*/?>)(?!\n)")


def text_to_html(value: str) -> str:
    """Paragraphs from plain text (blank lines) with line breaks (single newlines); text that
    already contains HTML tags is left as it is. The result is not yet cleaned."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value or _TAG_RE.search(value):
        return value
    paragraphs = [p.strip() for p in re.split(r"\n[ \t\u3000]*\n", value) if p.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )


def rich_text(value: str) -> str:
    """Typed text or HTML as it is stored: converted, one block per line, and cleaned."""
    return clean_html(_BLOCK_END_RE.sub(r"\1\n", text_to_html(value))).strip()


def html_to_text(html: str) -> str:
    """Stored HTML back to the plain text it was made from, when it is only paragraphs and
    line breaks (so the author edits text, not markup); other HTML is returned unchanged."""
    html = (html or "").strip()
    if not html:
        return ""
    if any(tag not in ("p", "/p", "br") for tag in re.findall(r"<\s*(/?[a-zA-Z0-9]+)", html)):
        return html
    from html import unescape

    paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
    if not paragraphs:
        return html
    return "\n\n".join(
        unescape(re.sub(r"<br\s*/?>\n?", "\n", paragraph)).strip() for paragraph in paragraphs
    )


class MultipleTaxonomyChoiceField(forms.TypedMultipleChoiceField):
    """Several taxonomy rows, ticked, with the option list read from the cache (ids as values)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(choices=lambda: choices(model), coerce=int, **kwargs)


def _textarea(rows=6):
    return forms.Textarea(attrs={"rows": rows})


class CaseForm(forms.Form):
    """All parts of a case. ``action`` is the button pressed: consent and the ethics checklist
    are required only to submit."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("A short description of the case, without any names or places."),
    )
    case_type = forms.ChoiceField(
        label=_("Case type"),
        choices=CaseType.choices,
        initial=CaseType.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    fields = MultipleTaxonomyChoiceField(
        Field,
        label=_("Fields of consultation"),
        help_text=_("Tick every field the case concerns."),
    )
    prefecture = TaxonomyChoiceField(
        Prefecture,
        label=_("Prefecture"),
        empty_label=_("Not stated"),
        help_text=_("The prefecture at most: never a city, town or village."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=_textarea(3),
        help_text=_("Two or three sentences members see in the case library (600 characters)."),
    )
    situation = forms.CharField(
        label=_("Situation"),
        widget=_textarea(),
        help_text=_("What the client came with. Separate paragraphs with a blank line."),
    )
    issues = forms.CharField(label=_("Issues identified"), widget=_textarea())
    actions = forms.CharField(label=_("Support plan and actions taken"), widget=_textarea())
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners involved"),
        queryset=Partner.objects.filter(live=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partner organisations from the partner list that took part (optional)."),
    )
    partners_note = forms.CharField(
        label=_("Other partners involved"),
        max_length=1000,
        required=False,
        widget=_textarea(3),
        help_text=_(
            "Describe the kind of organisation (for example “a legal aid office”), not its name."
        ),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *Outcome.choices])
    outcome_text = forms.CharField(
        label=_("Outcome in detail"), widget=_textarea(4), required=False
    )
    lessons = forms.CharField(label=_("Lessons and points for others"), widget=_textarea())
    client_age_band = forms.ChoiceField(
        label=_("Client's age band"), choices=AgeBand.choices, required=False
    )
    client_status = forms.ChoiceField(
        label=_("Client's status of residence"), choices=ResidenceStatus.choices, required=False
    )
    client_stay_band = forms.ChoiceField(
        label=_("Client's length of stay in Japan"), choices=StayBand.choices, required=False
    )
    client_language = TaxonomyChoiceField(
        Language, label=_("Language used"), empty_label=_("Not stated")
    )
    stakeholders = forms.CharField(label=_("Stakeholders"), widget=_textarea(4), required=False)
    measures = forms.CharField(label=_("Measures taken"), widget=_textarea(4), required=False)
    government_feedback = forms.CharField(
        label=_("What the national or local government should know"),
        widget=_textarea(4),
        required=False,
    )
    attribution = forms.ChoiceField(
        label=_("Author attribution"),
        choices=Attribution.choices,
        initial=Attribution.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text=_(
            "Anonymous cases never show you as the author to other members; only the moderators "
            "know who wrote them."
        ),
    )
    client_consent = forms.BooleanField(
        label=_("The client consented to sharing this case in anonymised form"),
        required=False,
    )
    ethics_checklist = forms.MultipleChoiceField(
        label=_("Ethics checklist"),
        choices=ETHICS_CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each item once you have checked the whole case for it."),
    )

    def __init__(self, *args, action: str = DRAFT, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def _clean_rich(self, name: str) -> str:
        return rich_text(self.cleaned_data.get(name) or "")

    def clean_situation(self):
        return self._clean_rich("situation")

    def clean_issues(self):
        return self._clean_rich("issues")

    def clean_actions(self):
        return self._clean_rich("actions")

    def clean_outcome_text(self):
        return self._clean_rich("outcome_text")

    def clean_lessons(self):
        return self._clean_rich("lessons")

    def clean_stakeholders(self):
        return self._clean_rich("stakeholders")

    def clean_measures(self):
        return self._clean_rich("measures")

    def clean_government_feedback(self):
        return self._clean_rich("government_feedback")

    def clean(self):
        data = super().clean()
        for name in RICH_TEXT_FIELDS & set(self.fields):
            # Text that was only markup (or only a script) is empty once cleaned.
            if name in data and self.fields[name].required and not data[name].strip():
                self.add_error(name, self.fields[name].error_messages["required"])
        if data.get("case_type") == CaseType.REGIONAL:
            for name in REGIONAL_FIELDS:
                if name in data and not data[name]:
                    self.add_error(
                        name,
                        _("Required when the case type is “Regional problem”."),
                    )
        if self.action == SUBMIT:
            if not data.get("client_consent"):
                self.add_error(
                    "client_consent",
                    _("Confirm that the client consented before you submit the case."),
                )
            missing = set(ETHICS_KEYS) - set(data.get("ethics_checklist") or ())
            if missing:
                self.add_error(
                    "ethics_checklist",
                    _("Check the case for every item and tick it before you submit."),
                )
        return data

    @classmethod
    def initial_for(cls, case) -> dict:
        """Form values of a stored case (rich text back to plain text where it can be)."""
        initial = {
            name: getattr(case, name)
            for name in (
                "title",
                "case_type",
                "summary",
                "partners_note",
                "outcome",
                "client_age_band",
                "client_status",
                "client_stay_band",
                "attribution",
                "client_consent",
                "ethics_checklist",
            )
        }
        for name in RICH_TEXT_FIELDS:
            initial[name] = html_to_text(getattr(case, name))
        initial["prefecture"] = case.prefecture_id
        initial["client_language"] = case.client_language_id
        initial["fields"] = [field.pk for field in case.fields.all()]
        initial["partners"] = [partner.pk for partner in case.partners.all()]
        return initial
