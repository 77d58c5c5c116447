"""A hand-counted questionnaire for the results and export tests.

Audience (workplace prefecture on the certificate; fields from the directory profile):

=========  ========  ==========  =======================================
prefecture targeted  responded   fields
=========  ========  ==========  =======================================
Tokyo       6         5          A (the first respondent also has B)
Kanagawa    5         4          A
Aichi       3         0          B
Osaka       4         1          B
=========  ========  ==========  =======================================

18 targeted, 10 respondents. Field A: 11 targeted, 9 responded; field B: 8 targeted (one
Tokyo member has both), 2 responded. The answers of the 10 respondents, in order (Tokyo ×5,
Kanagawa ×4, Osaka ×1), are in ``ANSWERS``; the expected counts are worked out beside them.
"""

import datetime
from decimal import Decimal

from portal.accounts import roles
from portal.accounts.models import today
from portal.questionnaires.blocks import question, section
from portal.questionnaires.services import response_submit, roster_ensure
from portal.taxonomy.models import Field, Prefecture

QUESTIONS = [
    section("基本"),
    question(
        "single_choice",
        "employment",
        "雇用形態",
        label_en="Form of employment",
        options=[("正規職員", "Permanent"), ("非常勤", "Part-time"), ("委託", "Commissioned")],
        allow_other=True,
    ),
    question(
        "multiple_choice",
        "formats",
        "参加しやすい研修形式",
        label_en="Training formats",
        options=["オンデマンド", "ライブ配信", "東京で対面", "地元で対面"],
        required=False,
    ),
    question("likert", "pay", "処遇は専門性に見合っている", required=False),
    question("number", "days", "週の相談日数", unit="日", unit_en="days", required=False),
    question("number", "hours", "残業時間", required=False),
    question("prefecture", "pref", "主な活動地域", required=False),
    question("field", "fld", "主な分野", required=False),
    question("date", "since", "活動開始日", required=False),
    question("long_text", "gaps", "地域の支援の不足", required=False),
]

# (prefecture code, targeted, responded)
AUDIENCE = [("JP-13", 6, 5), ("JP-14", 5, 4), ("JP-23", 3, 0), ("JP-27", 4, 1)]

EMPLOYMENT = [0, 0, 0, 0, 0, 1, 1, 1, 1, -1]  # 5, 4, 0, other 1 ("自営業")
FORMATS = [{0, 3}, {0, 3}, {0, 3}, {0, 1}, {0, 1}, {0, 3}, {0, 3}, None, None, None]  # 7, 2, 0, 5
PAY = [3, 3, 3, 4, 4, 4, 4, 2, 5, 5]  # 1:0 2:1 3:3 4:4 5:2
DAYS = [1, 2, 3, 3, 4, 5, 5, 5, 6, 7]  # n 10, mean 4.1, median 4.5
HOURS = [10, 20, None, None, None, None, None, None, None, None]  # n 2: no statistics
PREF = ["JP-13"] * 5 + ["JP-14"] * 3 + ["JP-27"] * 2  # Tokyo 5, Kanagawa 3, Osaka 2
FLD = ["A"] * 8 + ["B"] * 2
SINCE = [
    datetime.date(2020, 4, 1),
    datetime.date(2020, 4, 15),
    datetime.date(2020, 4, 20),
    datetime.date(2020, 4, 30),
    *[datetime.date(2021, 6, 1)] * 4,
    datetime.date(2022, 1, 10),
    datetime.date(2022, 1, 11),
]  # 2020-04: 4, 2021-06: 4, 2022-01: 2
GAPS = ['=HYPERLINK("http://example.com")', "通訳が足りない", *[None] * 8]


def two_fields():
    return list(Field.objects.counted().order_by("order", "slug")[:2])


def member(make_user, issue_certificate, username, prefecture_code, fields):
    from directory.models import CoordinatorProfile, ProfileField

    user = make_user(username, roles.COORDINATOR)
    issue_certificate(
        user,
        today() - datetime.timedelta(days=30),
        workplace_prefecture=Prefecture.objects.get(code=prefecture_code),
    )
    profile = CoordinatorProfile.objects.create(user=user)
    for i, field in enumerate(fields):
        ProfileField.objects.create(profile=profile, field=field, is_main=i == 0)
    return user


def audience(make_user, issue_certificate, prefix="res"):
    """The 18 coordinators: (respondents in answer order, everyone)."""
    field_a, field_b = two_fields()
    respondents, everyone = [], []
    for code, targeted, responded in AUDIENCE:
        for i in range(targeted):
            fields = [field_a] if code in {"JP-13", "JP-14"} else [field_b]
            if code == "JP-13" and i == 0:
                fields.append(field_b)
            user = member(
                make_user, issue_certificate, f"{prefix}-{code[-2:]}-{i + 1}", code, fields
            )
            everyone.append(user)
            if i < responded:
                respondents.append(user)
    return respondents, everyone


def answer_rows(i: int) -> list[dict]:
    """The answers of respondent ``i`` as the response form stores them."""
    field_a, field_b = two_fields()
    rows = [
        {
            "question": "employment",
            "option": EMPLOYMENT[i],
            "text": "自営業" if EMPLOYMENT[i] == -1 else "",
        },
        {"question": "pay", "option": PAY[i]},
        {"question": "days", "number": Decimal(DAYS[i])},
        {"question": "pref", "prefecture_id": Prefecture.objects.get(code=PREF[i]).pk},
        {"question": "fld", "field_id": (field_a if FLD[i] == "A" else field_b).pk},
        {"question": "since", "date": SINCE[i]},
    ]
    for option in sorted(FORMATS[i] or ()):
        rows.append({"question": "formats", "option": option})
    if HOURS[i] is not None:
        rows.append({"question": "hours", "number": Decimal(HOURS[i])})
    if GAPS[i]:
        rows.append({"question": "gaps", "text": GAPS[i]})
    return rows


def survey(make_user, issue_certificate, make_questionnaire, **values):
    """The questionnaire, its fixed audience and the 10 responses; returns (page, respondents,
    everyone)."""
    respondents, everyone = audience(make_user, issue_certificate)
    page = make_questionnaire(QUESTIONS, **values)
    roster_ensure(page)
    for i, user in enumerate(respondents):
        response_submit(page, user, answer_rows(i))
    return page, respondents, everyone
