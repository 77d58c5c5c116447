"""The files staff download: aggregated results (for ministries) and raw responses.

Aggregated (CSV and XLSX), built from :func:`.aggregate.questionnaire_results` only, so every
count is already under the small-count rule (``<3`` and ``x``, see :mod:`.suppression`):

- "Response rate": breakdown (overall, prefecture, field), item, targeted, respondents,
  response rate (%);
- "Answers": question no., key, question, option, respondents, percent (%), with a
  "respondents to this question" row per question and the mean and median of numbers;
- "Notes" (XLSX; at the end of the CSV): the questionnaire, the time of the audience, and the
  legend of the marks.

It has no column about a person and no free text. The CSV holds both tables one after the
other, each under its own heading row, and starts with a byte-order mark so that Excel reads
UTF-8.

Raw (identified questionnaires only; administrators): one row per response with username,
name, certificate numbers, submitted and updated times and one column per question key;
several values are joined with "; ", the text of "other" follows it, Likert answers are their
point (1–5). Anonymous questionnaires have no raw export (:class:`RawExportRefused`).

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) is
written with a leading apostrophe (:mod:`portal.spreadsheets` writes every file).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Certificate
from portal.spreadsheets import csv_document, xlsx_document
from portal.taxonomy.models import Field, Prefecture

from ..models import Answer, IdentifiedResponse, QuestionnairePage
from ..questions import OTHER
from . import suppression
from .aggregate import QuestionnaireResults, plain


class RawExportRefused(Exception):
    """Raw responses of an anonymous questionnaire do not exist as such and are never exported."""


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def filename(page: QuestionnairePage, kind: str, extension: str) -> str:
    """``questionnaire-12-results-20250401.csv`` (``kind``: ``results`` or ``responses``)."""
    return f"questionnaire-{page.pk}-{kind}-{_stamp()}.{extension}"


# Aggregated ---------------------------------------------------------------------------------


def rate_table(results: QuestionnaireResults) -> list[list]:
    rates = results.rates
    rows: list[list] = [
        [_("Breakdown"), _("Item"), _("Targeted"), _("Respondents"), _("Response rate (%)")]
    ]

    def row(group, name, targeted, cell):
        rows.append([group, name, targeted, cell.export_value, cell.export_percent])

    row(_("Overall"), _("Everyone targeted"), rates.overall.targeted, rates.overall.responded)
    for item in rates.by_prefecture:
        row(_("Prefecture"), item.label, item.targeted, item.responded)
    for item in rates.by_field:
        row(_("Field of consultation"), item.label, item.targeted, item.responded)
    return rows


def answer_table(results: QuestionnaireResults) -> list[list]:
    rows: list[list] = [
        [
            _("Question no."),
            _("Key"),
            _("Question"),
            _("Option"),
            _("Respondents"),
            _("Percent (%)"),
        ]
    ]
    for result in results.questions:
        head = [result.number, result.key, result.text]
        for option in result.rows:
            cell = option.cell
            rows.append([*head, option.label, cell.export_value, cell.export_percent])
        rows.append([*head, _("Respondents to this question"), result.respondents.export_value, ""])
        stats = result.stats
        if stats is not None:
            unit = f" ({stats.unit})" if stats.unit else ""
            hidden = suppression.SMALL if stats.n.suppressed else ""
            for label, value in ((_("Mean"), stats.mean), (_("Median"), stats.median)):
                rows.append([*head, f"{label}{unit}", hidden if value is None else value, ""])
    return rows


def notes_table(results: QuestionnaireResults) -> list[list]:
    page = results.page
    taken_at = results.rates.taken_at
    rows = [
        [_("Questionnaire"), page.localized_title],
        [_("Mode"), page.get_mode_display()],
        [
            _("Audience fixed at"),
            timezone.localtime(taken_at).strftime("%Y-%m-%d %H:%M") if taken_at else "",
        ],
        [_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]
    rows.extend([mark, str(text)] for mark, text in suppression.LEGEND)
    rows.append(["0", _("Nobody: a zero is shown, as it says nothing about any one person.")])
    rows.append(
        [
            _("Mean, median"),
            _("Shown only when at least %(n)s coordinators answered.")
            % {"n": suppression.THRESHOLD},
        ]
    )
    return rows


def aggregated_csv(results: QuestionnaireResults) -> bytes:
    return csv_document(
        [
            (_("Response rate"), rate_table(results)),
            (_("Answers"), answer_table(results)),
            (_("Notes"), notes_table(results)),
        ]
    )


def aggregated_xlsx(results: QuestionnaireResults) -> bytes:
    """Sheets "Response rate", "Answers" and "Notes" (names in English whatever the language,
    so that the files handed on are alike)."""
    return xlsx_document(
        [
            ("Response rate", rate_table(results)),
            ("Answers", answer_table(results)),
            ("Notes", notes_table(results)),
        ]
    )


# Raw responses ------------------------------------------------------------------------------


def _describe(question, answers, prefectures: dict, fields: dict):
    kind = question.kind
    if kind in {"single_choice", "multiple_choice"}:
        parts = []
        for a in sorted(answers, key=lambda a: (a.option == OTHER, a.option)):
            text = question.describe_value(a.option)
            parts.append(f"{text}: {a.text}" if a.option == OTHER and a.text else text)
        return "; ".join(parts)
    if kind == "likert":
        return answers[0].option if len(answers) == 1 else "; ".join(str(a.option) for a in answers)
    if kind == "number":
        return plain(answers[0].number) if answers[0].number is not None else ""
    if kind == "date":
        return answers[0].date.isoformat() if answers[0].date else ""
    if kind == "prefecture":
        return prefectures.get(answers[0].prefecture_id, "")
    if kind == "field":
        return "; ".join(
            fields.get(a.field_id, "") for a in sorted(answers, key=lambda a: a.field_id)
        )
    return answers[0].text


def raw_table(page: QuestionnairePage) -> list[list]:
    """One row per response of an identified questionnaire (header first). Five queries whatever
    the number of responses."""
    if page.is_anonymous:
        raise RawExportRefused
    questions = list(page.question_set)
    links = list(
        IdentifiedResponse.objects.filter(questionnaire_id=page.pk)
        .select_related("user")
        .order_by("user__username")
    )
    numbers: dict[int, list[str]] = {}
    for holder_id, number in (
        Certificate.objects.filter(
            holder_id__in=IdentifiedResponse.objects.filter(questionnaire_id=page.pk).values(
                "user_id"
            )
        )
        .order_by("issued_on", "pk")
        .values_list("holder_id", "number")
    ):
        numbers.setdefault(holder_id, []).append(number)
    answers: dict = {}
    for answer in Answer.objects.filter(sheet__questionnaire_id=page.pk).only(
        "sheet_id", "question", "option", "number", "date", "text", "prefecture_id", "field_id"
    ):
        answers.setdefault(answer.sheet_id, {}).setdefault(answer.question, []).append(answer)
    prefectures = {p.pk: p.name for p in Prefecture.objects.all()}
    fields = {f.pk: f.name for f in Field.objects.all()}

    rows: list[list] = [
        [
            _("Username"),
            _("Name"),
            _("Name (romaji)"),
            _("Certificate numbers"),
            _("Submitted at"),
            _("Updated at"),
            *[q.key for q in questions],
        ]
    ]
    for link in links:
        user = link.user
        sheet = answers.get(link.sheet_id, {})
        rows.append(
            [
                user.get_username(),
                user.name_kanji,
                user.name_romaji,
                "; ".join(numbers.get(user.pk, [])),
                timezone.localtime(link.submitted_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(link.updated_at).strftime("%Y-%m-%d %H:%M"),
                *[
                    _describe(q, sheet[q.key], prefectures, fields) if q.key in sheet else ""
                    for q in questions
                ],
            ]
        )
    return rows


def raw_csv(page: QuestionnairePage) -> tuple[bytes, int]:
    """The raw responses as CSV and the number of responses."""
    table = raw_table(page)
    return csv_document([(None, table)]), len(table) - 1


def raw_xlsx(page: QuestionnairePage) -> tuple[bytes, int]:
    """The raw responses as XLSX (sheet "Responses") and the number of responses."""
    table = raw_table(page)
    return xlsx_document([("Responses", table)]), len(table) - 1
