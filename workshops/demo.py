"""Demo workshops: the listing page and two case study workshops (one online, one at a venue).

The dates are fixed calendar days in the next calendar year (15 February and 10 March), so the
demo always shows upcoming workshops and the same day gives the same rows. Existing pages and
registrations are left as they are.
"""

import datetime
import json

from django.db import transaction

from portal.accounts.models import User, today
from portal.home.models import HomePage
from portal.taxonomy.models import Field

from .models import Registration, WorkshopIndexPage, WorkshopPage

JST = datetime.timezone(datetime.timedelta(hours=9), "JST")

INDEX_SLUG = "workshops"
INDEX_TITLE = "事例検討会"
INDEX_INTRO = (
    "<p>支援コーディネーター同士で実際の相談事例を持ち寄り、対応の工夫や連携先の見つけ方を"
    "話し合う事例検討会です。個人が特定される情報は伏せて共有します。</p>"
)

WORKSHOPS = (
    {
        "slug": "case-study-online-february",
        "title": "オンライン事例検討会：在留資格の変更と就労の相談",
        "month": 2,
        "day": 15,
        "start": (14, 0),
        "end": (16, 30),
        "online": True,
        "venue": "",
        "meeting_url": "https://meet.example.jp/portal-case-study-february",
        "capacity": 30,
        "themes": ["residence-status", "employment-career", "labour-conditions"],
        "search_description": "転職を考える外国人相談者の事例から、在留資格と就労の相談対応を検討します。",
        "description": [
            {"type": "heading", "value": {"text": "この回で扱うこと", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>技能実習から特定技能への移行を考える相談者や、勤務先とのトラブルを"
                "抱えた相談者の事例を取り上げます。在留資格の手続と労働相談の窓口をどう組み合わせて"
                "案内したか、担当者が実際の流れを紹介し、参加者で別の対応案を出し合います。</p>",
            },
            {
                "type": "callout",
                "value": {
                    "tone": "info",
                    "title": "参加にあたって",
                    "body": "<p>事例は個人が特定されないよう加工して共有します。"
                    "録画は行いません。</p>",
                },
            },
        ],
    },
    {
        "slug": "case-study-tokyo-march",
        "title": "事例検討会（東京会場）：子育て家庭の住まいと教育の相談",
        "month": 3,
        "day": 10,
        "start": (13, 30),
        "end": (17, 0),
        "online": False,
        "venue": "東京都千代田区霞が関1-1-1 中央合同庁舎 研修室A（デモ用の架空の会場）",
        "meeting_url": "",
        "capacity": 20,
        "themes": ["housing", "child-education", "pregnancy-childbirth-childrearing"],
        "search_description": "転居と子どもの就学が重なった家庭の事例を、小グループで検討します。",
        "description": [
            {"type": "heading", "value": {"text": "進め方", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>転居に伴って子どもの転校と住まい探しが同時に必要になった家庭の事例を"
                "もとに、小グループで支援計画を立てます。居住支援法人や教育委員会など、"
                "地域の連携先とどのように役割を分けたかを共有します。</p>",
            },
            {
                "type": "paragraph",
                "value": "<p>会場では筆記用具をご用意ください。終了後に希望者で情報交換の時間を"
                "設けます。</p>",
            },
        ],
    },
)


def _year() -> int:
    return today().year + 1


def _at(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JST)


def _index(home: HomePage) -> WorkshopIndexPage:
    index = WorkshopIndexPage.objects.child_of(home).filter(slug=INDEX_SLUG).first()
    if index is None:
        index = WorkshopIndexPage(slug=INDEX_SLUG, title=INDEX_TITLE, intro=INDEX_INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _workshop(index: WorkshopIndexPage, spec: dict, year: int) -> WorkshopPage:
    page = WorkshopPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if page is not None:
        return page
    starts_at = _at(year, spec["month"], spec["day"], *spec["start"])
    page = WorkshopPage(
        slug=spec["slug"],
        title=spec["title"],
        search_description=spec["search_description"],
        starts_at=starts_at,
        ends_at=_at(year, spec["month"], spec["day"], *spec["end"]),
        registration_deadline=(starts_at - datetime.timedelta(days=7)).replace(hour=17, minute=0),
        venue=spec["venue"],
        online=spec["online"],
        meeting_url=spec["meeting_url"],
        capacity=spec["capacity"],
    )
    page.description = json.dumps(spec["description"])
    index.add_child(instance=page)
    page.themes.set(Field.objects.filter(slug__in=spec["themes"]).order_by("order"))
    page.save_revision().publish()
    return page


@transaction.atomic
def seed(stdout=None) -> WorkshopIndexPage:
    home = HomePage.objects.get()
    index = _index(home)
    year = _year()
    pages = [_workshop(index, spec, year) for spec in WORKSHOPS]
    # The demo coordinator already holds a seat at the first workshop.
    first = pages[0]
    coordinator = User.objects.get(username="coordinator")
    if not Registration.objects.filter(workshop=first, user=coordinator).exists():
        Registration.objects.create(
            workshop=first,
            user=coordinator,
            status=Registration.Status.REGISTERED,
            created_at=datetime.datetime.combine(today(), datetime.time(0, 0), tzinfo=JST),
        )
    return index
