"""Demo register entries that give the dashboard's trend and status figures something to show.

The directory's demo coordinators were all certified in March of earlier fiscal years. These
24 further holders (``demo-register-01`` … ``-24``, no profile, no password) are on the register
only, as many real holders are: twelve certified one a month over the last twelve months, six
who renewed during that time, three whose certificate was revoked and three whose certificate
expired. Each has a workplace prefecture on the register, as the register import records it.

Dates are relative to today, so the same day gives the same rows; a holder whose certificate
number is already on the register is left alone, so running ``seed_demo`` again changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from portal.accounts import services
from portal.accounts.certification import fiscal_year_of
from portal.accounts.models import Certificate, User, today
from portal.taxonomy.models import Prefecture

COUNT = 24
NEW = range(1, 13)
RENEWED = range(13, 19)
REVOKED = range(19, 22)
EXPIRED = range(22, 25)

FAMILY = [
    ("田中", "たなか", "Tanaka"),
    ("渡辺", "わたなべ", "Watanabe"),
    ("伊藤", "いとう", "Ito"),
    ("中村", "なかむら", "Nakamura"),
    ("小林", "こばやし", "Kobayashi"),
    ("加藤", "かとう", "Kato"),
    ("ペレイラ", "ぺれいら", "Pereira"),
    ("チャン", "ちゃん", "Tran"),
]
GIVEN = [
    ("直子", "なおこ", "Naoko"),
    ("拓也", "たくや", "Takuya"),
    ("由美", "ゆみ", "Yumi"),
    ("大樹", "だいき", "Daiki"),
    ("アナ", "あな", "Ana"),
    ("リン", "りん", "Linh"),
]
# Prefecture numbers, so the register spreads over the map. Two valid holders work in
# prefectures that the demo's notice about the Noto earthquake concerns, so it asks someone.
PREFECTURES = [
    *(13, 27, 23, 14, 40, 1, 4, 22, 28, 11, 34, 17),  # certified this year (one in Ishikawa)
    *(27, 26, 20, 43, 12, 15),  # renewed (one in Niigata)
    *(8, 47, 21),  # revoked
    *(33, 9, 13),  # expired
]
REVOCATION_REASON = "デモ：欠格事由に該当することが判明したため"


def months_ago(day: datetime.date, months: int, on_day: int) -> datetime.date:
    """``on_day`` of the month ``months`` before ``day``'s month (never after ``day``)."""
    month = day.year * 12 + day.month - 1 - months
    result = datetime.date(month // 12, month % 12 + 1, min(on_day, 28))
    return min(result, day)


def _holder(index: int) -> User:
    family = FAMILY[index % len(FAMILY)]
    given = GIVEN[(index * 5) % len(GIVEN)]
    username = f"demo-register-{index:02d}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.example.jp",
            "last_name": family[0],
            "first_name": given[0],
            "family_name_kana": family[1],
            "given_name_kana": given[1],
            "family_name_romaji": family[2],
            "given_name_romaji": given[2],
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _issue(user, number, issued_on, prefecture, renews=None) -> Certificate:
    existing = Certificate.objects.filter(number=number).first()
    if existing is not None:
        return existing
    return services.certificate_issue(
        holder=user,
        number=number,
        issued_on=issued_on,
        renews=renews,
        workplace="多文化共生総合相談センター",
        workplace_prefecture=prefecture,
    )


@transaction.atomic
def seed(stdout=None) -> None:
    on = today()
    fiscal_year = fiscal_year_of(on)
    prefectures = {p.number: p for p in Prefecture.objects.all()}
    for index in range(1, COUNT + 1):
        user = _holder(index)
        prefecture = prefectures.get(PREFECTURES[index - 1])
        number = f"SC-REG-{index:04d}"
        if index in NEW:
            _issue(user, number, months_ago(on, index - 1, 3 + index), prefecture)
        elif index in RENEWED:
            first = _issue(user, number, datetime.date(fiscal_year - 2, 3, 5 + index), prefecture)
            renewal = f"SC-REG-{index:04d}-R"
            if not Certificate.objects.filter(number=renewal).exists():
                services.certificate_renew(
                    previous=first,
                    number=renewal,
                    completed_on=months_ago(on, (index - 12) * 2 - 1, 10 + index),
                )
        elif index in REVOKED:
            first = _issue(user, number, datetime.date(fiscal_year - 1, 3, index), prefecture)
            if first.revoked_on is None:
                services.certificate_revoke(
                    certificate=first,
                    revoked_on=on - datetime.timedelta(days=30 * (index - 18)),
                    reason=REVOCATION_REASON,
                )
        else:
            _issue(user, number, datetime.date(fiscal_year - 5, 3, index), prefecture)
    if stdout is not None:
        stdout.write(
            f"  dashboard: {COUNT} holders on the register only ({len(NEW)} certified this "
            f"year, {len(RENEWED)} renewed, {len(REVOKED)} revoked, {len(EXPIRED)} expired)"
        )
