"""Demo accounts (ARCHITECTURE §4) with certificates that match their stories.

Dates are relative to the current Japanese fiscal year so ``coordinator`` is always valid and
``expired`` always lapsed; the same day gives the same rows.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles, services
from .certification import fiscal_year_of
from .models import Certificate, User, today


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    family: str
    given: str
    family_kana: str
    given_kana: str
    family_romaji: str
    given_romaji: str
    superuser: bool = False
    # Offset in fiscal years from the current one for the certificate's issue date (None: none).
    issued_fy_offset: int | None = None
    language: str = "ja"


DEMO_ACCOUNTS = (
    DemoAccount(
        "admin",
        roles.ADMINISTRATOR,
        "管理",
        "太郎",
        "かんり",
        "たろう",
        "Kanri",
        "Taro",
        superuser=True,
    ),
    DemoAccount(
        "editor", roles.AGENCY_EDITOR, "編集", "花子", "へんしゅう", "はなこ", "Henshu", "Hanako"
    ),
    DemoAccount("moderator", roles.MODERATOR, "審査", "健", "しんさ", "けん", "Shinsa", "Ken"),
    DemoAccount(
        "coordinator",
        roles.COORDINATOR,
        "山田",
        "美咲",
        "やまだ",
        "みさき",
        "Yamada",
        "Misaki",
        issued_fy_offset=-1,
    ),
    DemoAccount(
        "coordinator2",
        roles.COORDINATOR,
        "グエン",
        "ヴァン・アン",
        "ぐえん",
        "ゔぁん・あん",
        "Nguyen",
        "Van An",
        issued_fy_offset=-1,
        language="en",
    ),
    DemoAccount(
        "expired",
        roles.COORDINATOR,
        "佐藤",
        "誠",
        "さとう",
        "まこと",
        "Sato",
        "Makoto",
        issued_fy_offset=-5,
    ),
)


def demo_issue_date(fy_offset: int, on: datetime.date | None = None) -> datetime.date:
    """10 March of the fiscal year ``fy_offset`` years from the current one."""
    fiscal_year = fiscal_year_of(on or today()) + fy_offset
    return datetime.date(fiscal_year + 1, 3, 10)


@transaction.atomic
def seed(stdout=None) -> list[User]:
    password = settings.PORTAL_DEMO_PASSWORD
    users = []
    for index, account in enumerate(DEMO_ACCOUNTS, start=1):
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@demo.example.jp"},
        )
        user.last_name, user.first_name = account.family, account.given
        user.family_name_kana, user.given_name_kana = account.family_kana, account.given_kana
        user.family_name_romaji = account.family_romaji
        user.given_name_romaji = account.given_romaji
        user.is_superuser = account.superuser
        user.is_active = True
        if created:
            user.preferred_language = account.language
            # The demo coordinator shows a name on the public verification page.
            user.show_name_on_verification = account.username == "coordinator"
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        if account.issued_fy_offset is not None:
            issued_on = demo_issue_date(account.issued_fy_offset)
            number = f"SC-{fiscal_year_of(issued_on)}-{index:04d}"
            if not Certificate.objects.filter(number=number).exists():
                services.certificate_issue(holder=user, number=number, issued_on=issued_on)
        users.append(user)
    return users
