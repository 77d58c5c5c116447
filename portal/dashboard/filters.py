"""The dashboard's filters: a period (from, until) and a prefecture, sent as a GET form.

What the period means depends on the figure, and each part of the dashboard says so:

- Coordinators (status, consent, prefectures, fields, languages, workplaces) describe the
  register on one day: the last day of the period, or today when it has no end.
- Trends and events (certifications and renewals, case studies, moderation decisions, notices,
  questionnaires, opinions) count what happened within the period. Without a start date the
  certification trend shows the twelve months up to the last day; the other counts have no lower
  bound.
- Partners are the current list: the period does not apply to them.

The prefecture selects coordinators who work or are active there, case studies and opinions
about it, notices that concern it (and the coordinators they ask there), questionnaire audiences
there, and partners that cover it. The map always shows every prefecture and marks the chosen one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.models import today
from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Prefecture

# Dates outside these bounds are refused (they would only be typing mistakes, and date
# arithmetic near the ends of the calendar overflows).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
TREND_MONTHS = 12

DATE_FORMAT_ERROR = _(
    "Enter the date as YYYY-MM-DD (for example 2025-04-01). / "
    "日付は YYYY-MM-DD の形式で入力してください（例：2025-04-01）。"
)
DATE_RANGE_ERROR = _(
    "Enter a date between 2000-01-01 and 2099-12-31. / "
    "2000-01-01 から 2099-12-31 までの日付を入力してください。"
)
ORDER_ERROR = _(
    "The end of the period must not be before its start. / 期間の終わりは始まりより前にできません。"
)
PREFECTURE_ERROR = _("Choose a prefecture from the list. / 都道府県は一覧から選んでください。")


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD"),
        error_messages={"invalid": DATE_FORMAT_ERROR},
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date filter", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Format: YYYY-MM-DD. Coordinators are counted as on this day (default: today)."
        ),
        error_messages={"invalid": DATE_FORMAT_ERROR},
    )
    prefecture = TaxonomyChoiceField(
        Prefecture,
        to_field="code",
        label=_("Prefecture"),
        empty_label=_("All prefectures"),
        error_messages={"invalid_choice": PREFECTURE_ERROR},
    )

    def _clean_bounded(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(DATE_RANGE_ERROR, code="out_of_range")
        return value

    def clean_date_from(self):
        return self._clean_bounded("date_from")

    def clean_date_to(self):
        return self._clean_bounded("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", forms.ValidationError(ORDER_ERROR, code="order"))
        return data


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    prefecture: Prefecture | None = None

    @property
    def as_of(self) -> datetime.date:
        """The day the register is described on."""
        return self.date_to or today()

    @property
    def trend_start(self) -> datetime.date:
        """The first day of the certification trend: the start of the period, or the first day
        of the month twelve months before the last one."""
        if self.date_from:
            return self.date_from
        end = self.as_of
        month = end.year * 12 + end.month - 1 - (TREND_MONTHS - 1)
        return datetime.date(month // 12, month % 12 + 1, 1)

    @property
    def prefecture_id(self) -> int | None:
        return self.prefecture.pk if self.prefecture else None

    def params(self, **changes) -> dict[str, str]:
        """The filters as query parameters (``changes`` replace some: ``prefecture=code``)."""
        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "prefecture": self.prefecture.code if self.prefecture else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}

    def query(self, **changes) -> str:
        """``?date_from=…&prefecture=…`` (empty when nothing is chosen)."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for the notes of a download."""
        return [
            (str(_("Period from")), self.date_from.isoformat() if self.date_from else "—"),
            (str(_("Period until")), self.date_to.isoformat() if self.date_to else "—"),
            (str(_("Register as on")), self.as_of.isoformat()),
            (
                str(_("Prefecture")),
                self.prefecture.name if self.prefecture else str(_("All prefectures")),
            ),
        ]


def filters_from(data) -> tuple[DashboardFilterForm, Filters, bool]:
    """The form bound to ``data`` (a QueryDict), the filters it gives and whether it is valid.

    An invalid form gives no filters at all (every figure unfiltered) rather than a mix."""
    form = DashboardFilterForm(data or None)
    if not form.is_bound:
        return form, Filters(), True
    if not form.is_valid():
        return form, Filters(), False
    code = form.cleaned_data.get("prefecture")
    prefecture = Prefecture.objects.filter(code=code).first() if code else None
    return (
        form,
        Filters(
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
            prefecture=prefecture,
        ),
        True,
    )
