"""The response form: built from a questionnaire's questions, with display conditions applied on
the server (answers to hidden questions are dropped; a required question is required only when
it is shown)."""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from .questions import OTHER, QuestionSet, Vocabulary, condition_target


class ResponseForm(forms.Form):
    required_css_class = "required"

    def __init__(self, questions: QuestionSet, vocabulary: Vocabulary, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.vocabulary = vocabulary
        self.shown: dict[str, bool] = {}
        for question in questions:
            self.fields.update(question.form_fields(vocabulary))

    # Cleaning -----------------------------------------------------------------------------------

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        cleaned = getattr(self, "cleaned_data", {})
        values = {q.key: q.value_from(cleaned) for q in self.questions if q.field_name in cleaned}
        self.shown = self.questions.visible(values, self.vocabulary)
        for question in self.questions:
            names = [question.field_name]
            if question.allow_other:
                names.append(question.other_name)
            if not self.shown.get(question.key):
                for name in names:  # hidden: whatever was typed is dropped, errors too
                    self._errors.pop(name, None)
                    cleaned.pop(name, None)
                continue
            if question.field_name in self._errors:
                continue
            value = question.value_from(cleaned)
            if value is None and question.required:
                self.add_error(question.field_name, _("Please answer this question."))
                continue
            problem = question.check(value, cleaned)
            if problem:
                self.add_error(question.field_name, problem)

    @property
    def error_list(self) -> list[tuple[str, str, list[str]]]:
        """(field id, question label, messages) for the error summary at the top of the form."""
        rows = []
        for name, errors in self.errors.items():
            if name in self.fields:
                rows.append((self[name].id_for_label, self.fields[name].label, errors))
        return rows

    # Storing --------------------------------------------------------------------------------------

    def answer_rows(self) -> list[dict]:
        """The ``Answer`` values of the shown, answered questions."""
        rows: list[dict] = []
        cleaned = self.cleaned_data
        for question in self.questions:
            if not self.shown.get(question.key):
                continue
            value = question.value_from(cleaned)
            if value is None:
                continue
            base = {"question": question.key}
            kind = question.kind
            other = (cleaned.get(question.other_name) or "").strip() if question.allow_other else ""
            if kind in {"single_choice", "multiple_choice", "likert"}:
                for option in sorted(value) if isinstance(value, set) else [value]:
                    rows.append(
                        {**base, "option": option, "text": other if option == OTHER else ""}
                    )
            elif kind == "number":
                rows.append({**base, "number": value})
            elif kind == "date":
                rows.append({**base, "date": value})
            elif kind == "prefecture":
                rows.append({**base, "prefecture_id": value})
            elif kind == "field":
                for field_id in sorted(value) if isinstance(value, set) else [value]:
                    rows.append({**base, "field_id": field_id})
            else:
                rows.append({**base, "text": value})
        return rows

    # Rendering ------------------------------------------------------------------------------------

    def blocks(self):
        """Sections with, per question, its bound field(s) and the data its display condition
        needs in the page (the script compares the same canonical values as the server)."""
        by_key = self.questions.by_key()
        for section in self.questions.sections:
            items = []
            for question in section.questions:
                condition = None
                if question.condition is not None and question.condition.key in by_key:
                    ref = by_key[question.condition.key]
                    target = condition_target(ref, question.condition.value, self.vocabulary)
                    condition = {
                        "field": ref.field_name,
                        "operator": question.condition.operator,
                        "target": "" if target is None else str(target),
                        "kind": ref.kind,
                        "text": self.questions.describe_condition(question, self.vocabulary),
                    }
                items.append(
                    {
                        "question": question,
                        "field": self[question.field_name],
                        "other": self[question.other_name] if question.allow_other else None,
                        "condition": condition,
                        "grouped": isinstance(
                            self.fields[question.field_name].widget,
                            forms.RadioSelect | forms.CheckboxSelectMultiple,
                        ),
                    }
                )
            yield section, items


def draft_data(form_data) -> dict[str, list[str]]:
    """The question fields of a POST, as typed, for a draft."""
    return {
        name: [v[:5000] for v in form_data.getlist(name)]
        for name in form_data
        if name.startswith("q-")
    }


def data_from_draft(data: dict) -> MultiValueDict:
    return MultiValueDict({name: list(values) for name, values in (data or {}).items()})


def data_from_answers(questions: QuestionSet, answers) -> MultiValueDict:
    """Form data that shows stored answers again (identified mode, editing until closing)."""
    by_key = questions.by_key()
    data: dict[str, list[str]] = {}
    for answer in answers:
        question = by_key.get(answer.question)
        if question is None:
            continue
        name = question.field_name
        if question.kind in {"single_choice", "multiple_choice", "likert"}:
            data.setdefault(name, []).append(str(answer.option))
            if answer.option == OTHER:
                data[question.other_name] = [answer.text]
        elif question.kind == "number":
            value = answer.number.normalize() if answer.number is not None else ""
            data[name] = [f"{value:f}" if value != "" else ""]
        elif question.kind == "date":
            data[name] = [answer.date.isoformat()]
        elif question.kind == "prefecture":
            data[name] = [str(answer.prefecture_id)]
        elif question.kind == "field":
            data.setdefault(name, []).append(str(answer.field_id))
        else:
            data[name] = [answer.text]
    return MultiValueDict(data)
