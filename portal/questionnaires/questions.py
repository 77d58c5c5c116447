"""Questions as the site uses them: read from the builder's stream, turned into form fields,
checked against their display conditions, and converted to and from stored answers.

Canonical answer values (what conditions compare and what is stored):

========================  ===============================================================
single choice             option index (0-based), or ``OTHER`` (-1) with the text typed
multiple choice           set of option indexes (``OTHER`` with the text typed)
Likert                    1–5
number                    ``Decimal``
date                      ``datetime.date``
short / long text         ``str``
prefecture                prefecture id
field of consultation     field id (a set of ids when several may be chosen)
========================  ===============================================================
"""

from __future__ import annotations

import datetime
import decimal
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import Field, Prefecture

OTHER = -1
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000

CHOICE_KINDS = {"single_choice", "multiple_choice"}
SET_KINDS = {"multiple_choice"}  # plus ``field`` when ``multiple``
ORDERED_KINDS = {"likert", "number", "date"}

LIKERT_LABELS = {
    1: _("1 – strongly disagree"),
    2: _("2 – disagree"),
    3: _("3 – neither agree nor disagree"),
    4: _("4 – agree"),
    5: _("5 – strongly agree"),
}

# One whole sentence per operator, so that each language can phrase it naturally.
CONDITION_SENTENCES = {
    "is": _("Answer this only when your answer to question %(number)s is “%(value)s”."),
    "includes": _("Answer this only when your answers to question %(number)s include “%(value)s”."),
    "at_least": _(
        "Answer this only when your answer to question %(number)s is at least %(value)s."
    ),
}

OPERATOR_LABELS = {
    "is": _("is"),
    "includes": _("includes"),
    "at_least": _("is at least"),
}


def english() -> bool:
    return translation.get_language() == "en"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


@dataclass(frozen=True)
class Option:
    label: str
    label_en: str = ""

    @property
    def text(self) -> str:
        return self.label_en if english() and self.label_en else self.label


@dataclass(frozen=True)
class Condition:
    key: str
    operator: str
    value: str


@dataclass
class Section:
    heading: str
    heading_en: str = ""
    intro: str = ""
    intro_en: str = ""
    questions: list[Question] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading_en if english() and self.heading_en else self.heading

    @property
    def text(self) -> str:
        return self.intro_en if english() and self.intro_en else self.intro


@dataclass
class Question:
    key: str
    kind: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = False
    condition: Condition | None = None
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    max_choices: int | None = None
    min_value: decimal.Decimal | None = None
    max_value: decimal.Decimal | None = None
    unit: str = ""
    unit_en: str = ""
    whole_number: bool = True
    multiple: bool = False
    number: int = 0  # position among the questions, from 1

    # Text in the active language ------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.label_en if english() and self.label_en else self.label

    @property
    def help_text(self) -> str:
        return self.help_en if english() and self.help_en else self.help

    @property
    def unit_text(self) -> str:
        return self.unit_en if english() and self.unit_en else self.unit

    @property
    def is_set(self) -> bool:
        return self.kind in SET_KINDS or (self.kind == "field" and self.multiple)

    @property
    def is_text(self) -> bool:
        return self.kind in {"short_text", "long_text"}

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    @property
    def other_name(self) -> str:
        return f"q-{self.key}-other"

    # Form fields ----------------------------------------------------------------------------

    def choices(self, vocabulary: Vocabulary) -> list[tuple[str, str]]:
        if self.kind in CHOICE_KINDS:
            choices = [(str(i), option.text) for i, option in enumerate(self.options)]
            if self.allow_other:
                choices.append((str(OTHER), str(_("Other"))))
            return choices
        if self.kind == "likert":
            return [(str(v), str(label)) for v, label in LIKERT_LABELS.items()]
        if self.kind == "prefecture":
            return [(str(p.pk), p.name) for p in vocabulary.prefectures]
        if self.kind == "field":
            return [(str(f.pk), f.name) for f in vocabulary.fields]
        return []

    def form_fields(self, vocabulary: Vocabulary) -> dict[str, forms.Field]:
        """The form field(s) of this question. Every field is optional at this level: whether
        an answer is needed depends on the display condition (see ``ResponseForm``)."""
        common = {"label": self.text, "help_text": self.help_text, "required": False}
        kind = self.kind
        if kind in CHOICE_KINDS or kind in {"likert", "prefecture", "field"}:
            choices = self.choices(vocabulary)
            if self.is_set:
                main = forms.TypedMultipleChoiceField(
                    choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
                )
            elif kind in {"prefecture", "field"}:
                main = forms.TypedChoiceField(
                    choices=[("", "---------"), *choices],
                    coerce=int,
                    empty_value=None,
                    **common,
                )
            else:
                main = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    **common,
                )
            fields = {self.field_name: main}
            if self.allow_other:
                fields[self.other_name] = forms.CharField(
                    label=_("Other (please specify)"), required=False, max_length=SHORT_TEXT_MAX
                )
            return fields
        if kind == "number":
            return {
                self.field_name: forms.DecimalField(
                    min_value=self.min_value,
                    max_value=self.max_value,
                    decimal_places=0 if self.whole_number else 4,
                    max_digits=14,
                    widget=forms.NumberInput(attrs={"step": "1" if self.whole_number else "any"}),
                    **common,
                )
            }
        if kind == "date":
            return {
                self.field_name: forms.DateField(
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
                )
            }
        if kind == "short_text":
            return {self.field_name: forms.CharField(max_length=SHORT_TEXT_MAX, **common)}
        return {
            self.field_name: forms.CharField(
                max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), **common
            )
        }

    def value_from(self, cleaned: dict):
        """The canonical answer from a form's cleaned data (``None`` when unanswered)."""
        value = cleaned.get(self.field_name)
        if self.is_set:
            return set(value) if value else None
        if isinstance(value, str):
            value = value.strip()
        return value if value not in (None, "") else None

    def check(self, value, cleaned: dict) -> str | None:
        """An error for an answer that the field alone cannot catch, else ``None``."""
        if self.is_set and value and self.max_choices and len(value) > self.max_choices:
            return str(_("Choose at most %(n)s.")) % {"n": self.max_choices}
        if self.allow_other and value is not None:
            chosen_other = value == OTHER or (isinstance(value, set) and OTHER in value)
            if chosen_other and not (cleaned.get(self.other_name) or "").strip():
                return str(_("Please say what “other” is."))
        return None

    # Conditions -----------------------------------------------------------------------------

    def describe_value(self, value, vocabulary: Vocabulary | None = None) -> str:
        """A canonical value as a person reads it."""
        if value is None:
            return ""
        if self.kind in CHOICE_KINDS:
            values = sorted(value) if isinstance(value, set) else [value]
            return ", ".join(
                str(_("Other")) if v == OTHER else self.options[v].text
                for v in values
                if v == OTHER or 0 <= v < len(self.options)
            )
        if self.kind == "likert":
            return str(LIKERT_LABELS.get(value, value))
        if self.kind in {"prefecture", "field"}:
            names = (vocabulary or Vocabulary.get()).names(self.kind)
            values = sorted(value) if isinstance(value, set) else [value]
            return ", ".join(names.get(v, "?") for v in values)
        return str(value)


@dataclass
class Vocabulary:
    prefectures: list
    fields: list

    @classmethod
    def get(cls) -> Vocabulary:
        return cls(list(Prefecture.objects.order_by("number")), list(Field.objects.all()))

    def names(self, kind: str) -> dict[int, str]:
        rows = self.prefectures if kind == "prefecture" else self.fields
        return {row.pk: row.name for row in rows}

    def lookup(self, kind: str, text: str) -> int | None:
        folded = _fold(text)
        rows = self.prefectures if kind == "prefecture" else self.fields
        for row in rows:
            names = {_fold(row.name_ja), _fold(row.name_en)}
            names.add(_fold(row.code if kind == "prefecture" else row.slug))
            if kind == "prefecture":
                # 東京都 / 東京, Tokyo-to / Tokyo
                names.add(_fold(row.name_ja.rstrip("都道府県")))
            if folded in names:
                return row.pk
        return None


def condition_target(question: Question, raw: str, vocabulary: Vocabulary):
    """The canonical value a condition's text stands for, or ``None`` when it fits nothing."""
    raw = unicodedata.normalize("NFKC", raw or "").strip()
    if not raw:
        return None
    kind = question.kind
    if kind in CHOICE_KINDS:
        folded = _fold(raw)
        for i, option in enumerate(question.options):
            if folded in {_fold(option.label), _fold(option.label_en)}:
                return i
        if question.allow_other and folded in {_fold("other"), _fold("その他")}:
            return OTHER
        if raw.isdigit() and 1 <= int(raw) <= len(question.options):
            return int(raw) - 1
        return None
    if kind == "likert":
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= 5 else None
    if kind == "number":
        try:
            return decimal.Decimal(raw)
        except decimal.InvalidOperation:
            return None
    if kind == "date":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            return None
    if kind in {"prefecture", "field"}:
        return vocabulary.lookup(kind, raw)
    return _fold(raw)  # text: compared after folding


def operators_for(question: Question) -> set[str]:
    if question.is_set:
        return {"includes"}
    if question.kind in ORDERED_KINDS:
        return {"is", "at_least"}
    return {"is"}


def condition_holds(question: Question, operator: str, target, value) -> bool:
    """Whether the answer ``value`` to ``question`` meets the condition."""
    if value is None or target is None:
        return False
    if operator == "includes":
        return target in value if isinstance(value, set) else value == target
    if operator == "at_least":
        try:
            return value >= target
        except TypeError:
            return False
    if question.is_text:
        return _fold(value) == target
    return value == target


# Reading the stream ---------------------------------------------------------------------------


def _question(block_type: str, value) -> Question:
    condition = value.get("condition") or {}
    key = (condition.get("question") or "").strip()
    extra = {}
    if block_type in CHOICE_KINDS:
        extra["options"] = tuple(
            Option(o.get("label") or "", o.get("label_en") or "") for o in value.get("options")
        )
        extra["allow_other"] = bool(value.get("allow_other"))
    if block_type in {"multiple_choice", "field"}:
        extra["max_choices"] = value.get("max_choices") or None
    if block_type == "field":
        extra["multiple"] = bool(value.get("multiple"))
    if block_type == "number":
        extra.update(
            min_value=value.get("min_value"),
            max_value=value.get("max_value"),
            unit=value.get("unit") or "",
            unit_en=value.get("unit_en") or "",
            whole_number=bool(value.get("whole_number")),
        )
    return Question(
        key=value.get("key"),
        kind=block_type,
        label=value.get("label") or "",
        label_en=value.get("label_en") or "",
        help=value.get("help") or "",
        help_en=value.get("help_en") or "",
        required=bool(value.get("required")),
        condition=Condition(key, condition.get("operator") or "", condition.get("value") or "")
        if key
        else None,
        **extra,
    )


@dataclass
class QuestionSet:
    """The questions of one questionnaire, in order, grouped into sections."""

    questions: list[Question]
    sections: list[Section]

    @classmethod
    def from_stream(cls, stream) -> QuestionSet:
        questions: list[Question] = []
        sections: list[Section] = []
        current = None
        for child in stream:
            if child.block_type == "section":
                v = child.value
                current = Section(
                    v.get("heading") or "",
                    v.get("heading_en") or "",
                    v.get("text") or "",
                    v.get("text_en") or "",
                )
                sections.append(current)
                continue
            question = _question(child.block_type, child.value)
            question.number = len(questions) + 1
            questions.append(question)
            if current is None:
                current = Section("")
                sections.append(current)
            current.questions.append(question)
        return cls(questions, sections)

    def __iter__(self):
        return iter(self.questions)

    def __len__(self):
        return len(self.questions)

    def by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    def visible(self, values: dict, vocabulary: Vocabulary) -> dict[str, bool]:
        """Which questions are shown, given canonical answers by key. A question whose
        condition refers to a hidden question is hidden too."""
        by_key = self.by_key()
        shown: dict[str, bool] = {}
        for q in self.questions:
            if q.condition is None:
                shown[q.key] = True
                continue
            ref = by_key.get(q.condition.key)
            if ref is None or not shown.get(ref.key):
                shown[q.key] = False
                continue
            target = condition_target(ref, q.condition.value, vocabulary)
            shown[q.key] = condition_holds(ref, q.condition.operator, target, values.get(ref.key))
        return shown

    def describe_condition(self, question: Question, vocabulary: Vocabulary) -> str:
        """The condition as a sentence in the active language ("Answer this only when …")."""
        if question.condition is None:
            return ""
        ref = self.by_key().get(question.condition.key)
        if ref is None:
            return ""
        target = condition_target(ref, question.condition.value, vocabulary)
        shown_value = ref.describe_value(
            {target} if ref.is_set and target is not None else target, vocabulary
        )
        sentence = CONDITION_SENTENCES.get(question.condition.operator)
        if sentence is None:
            return ""
        return str(sentence) % {"number": ref.number, "value": shown_value}


def stream_errors(stream) -> dict[int, dict]:
    """Problems of a builder stream, by block index: ``{"fields": {name: error}, "block": [..]}``."""
    vocabulary = Vocabulary.get()
    errors: dict[int, dict] = {}
    seen: dict[str, Question] = {}
    for index, child in enumerate(stream):
        if child.block_type == "section":
            continue
        question = _question(child.block_type, child.value)
        problems: dict = {}
        if question.key in seen:
            problems.setdefault("fields", {})["key"] = ValidationError(
                _("Another question already uses this key. / このキーは別の質問で使われています。")
            )
        condition = question.condition
        if condition is not None:
            ref = seen.get(condition.key)
            message = None
            if ref is None:
                message = _(
                    "The condition must name the key of an earlier question. / "
                    "表示条件には、この質問より前の質問のキーを指定してください。"
                )
            elif condition.operator not in operators_for(ref):
                allowed = ", ".join(str(OPERATOR_LABELS[o]) for o in sorted(operators_for(ref)))
                message = _(
                    "For that question the condition can only be: %(allowed)s. / "
                    "その質問に使える条件は次のとおりです：%(allowed)s"
                ) % {"allowed": allowed}
            elif condition_target(ref, condition.value, vocabulary) is None:
                message = _(
                    "The value does not match that question (an option's text or number, a "
                    "number, a date YYYY-MM-DD, or a prefecture or field name). / "
                    "値がその質問の選択肢・数値・日付（YYYY-MM-DD）・都道府県名・分野名と一致しません。"
                )
            if message:
                problems.setdefault("block", []).append(ValidationError(message))
        if (
            question.kind == "number"
            and question.min_value is not None
            and question.max_value is not None
            and question.min_value > question.max_value
        ):
            problems.setdefault("fields", {})["max_value"] = ValidationError(
                _("The maximum must not be below the minimum. / 最大値は最小値以上にしてください。")
            )
        if problems:
            errors[index] = problems
        seen.setdefault(question.key, question)
    return errors
