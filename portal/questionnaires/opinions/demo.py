"""Demo opinions: twelve fictional requests and opinions in Japanese, in every status, some sent
anonymously, four with a published answer.

Each opinion is looked up by its text and created only when missing, and every date is fixed, so
running ``seed_demo`` again changes nothing. Authors are demo coordinators with a valid
certificate; when one is missing, another is used, and without any the opinion is anonymous.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from portal.accounts.models import CertificateStatus, User
from portal.taxonomy.models import Field, Prefecture

from ..models import Opinion, OpinionCategory, OpinionStatus

JST = ZoneInfo("Asia/Tokyo")
DEMO_AUTHORS = ("coordinator", "coordinator2", "demo-coordinator-01", "demo-coordinator-02")


@dataclass(frozen=True)
class DemoOpinion:
    author: str | None  # user name; None: sent anonymously
    category: str
    field: str | None  # field slug
    prefecture: int | None  # prefecture number
    created_on: datetime.date
    status: str
    text: str
    staff_note: str = ""
    summary: str = ""
    answer: str = ""
    answered_on: datetime.date | None = None


OPINIONS = (
    DemoOpinion(
        author="coordinator",
        category=OpinionCategory.REQUEST,
        field="residence-status",
        prefecture=13,
        created_on=datetime.date(2025, 4, 14),
        status=OpinionStatus.ANSWERED,
        text=(
            "在留期間更新の申請をした相談者から「いつ結果が出るのか分からず、転職の話を進めて"
            "よいか判断できない」という相談が続いています。\n"
            "審査期間の目安を在留資格ごとに公表していただけると、窓口でも見通しを伝えやすく"
            "なります。"
        ),
        staff_note="入国管理部門に照会済み。公表ページの案内で回答。",
        summary=(
            "在留期間更新の審査にかかる期間の目安を、在留資格ごとに公表してほしいという要望です。"
        ),
        answer=(
            "在留審査の標準的な処理期間は、出入国在留管理庁のウェブサイトで四半期ごとに"
            "公表しています。相談者には、申請受付票の控えを保管し、結果が出るまでの間は"
            "現在の在留カードで在留できる場合があることもあわせてお伝えください。"
        ),
        answered_on=datetime.date(2025, 5, 20),
    ),
    DemoOpinion(
        author=None,
        category=OpinionCategory.SYSTEM,
        field="social-insurance-pension",
        prefecture=23,
        created_on=datetime.date(2025, 5, 8),
        status=OpinionStatus.ANSWERED,
        text=(
            "帰国を予定している相談者が脱退一時金の請求方法を知らず、出国後に手続きができる"
            "ことも知られていません。やさしい日本語と多言語の案内資料があると助かります。"
        ),
        summary="帰国する方向けに、年金の脱退一時金の案内を多言語で用意してほしいという意見です。",
        answer=(
            "日本年金機構が脱退一時金の請求書と案内を多言語で提供しています。"
            "コーディネーター向け資料にも掲載先を追加しましたので、相談の際にご活用ください。"
        ),
        answered_on=datetime.date(2025, 6, 16),
    ),
    DemoOpinion(
        author="coordinator2",
        category=OpinionCategory.TRAINING,
        field=None,
        prefecture=27,
        created_on=datetime.date(2025, 6, 2),
        status=OpinionStatus.ANSWERED,
        text=(
            "更新のための研修を平日の日中にしか受けられず、窓口を空けられない職場では受講が"
            "難しいです。オンラインでの受講や録画の視聴を認めてほしいです。"
        ),
        summary="資格更新のための研修を、オンラインや録画でも受けられるようにしてほしいという要望です。",
        answer=(
            "今年度から、更新研修の一部をオンラインで受講できるようにしました。"
            "事例検討を行う回は対面を基本としますが、各地域で土曜日の開催も予定しています。"
        ),
        answered_on=datetime.date(2025, 7, 10),
    ),
    DemoOpinion(
        author=None,
        category=OpinionCategory.REGIONAL_GAP,
        field="medical-health",
        prefecture=2,
        created_on=datetime.date(2025, 6, 20),
        status=OpinionStatus.CLOSED,
        text=(
            "地域の病院に医療通訳がおらず、通訳できる家族や知人を探すしかない状況です。"
            "子どもが通訳をさせられることもあり、心配しています。"
        ),
        staff_note="厚生労働省の事業を案内して完了。",
        summary="地方の医療機関で医療通訳を確保しにくいという、地域の支援の差についての意見です。",
        answer=(
            "電話やビデオによる遠隔医療通訳を、地域の医療機関が利用できる支援事業があります。"
            "都道府県の担当窓口に確認のうえ、医療機関にもご紹介ください。"
            "お子さんに通訳をさせないよう、医療機関への周知も進めます。"
        ),
        answered_on=datetime.date(2025, 8, 4),
    ),
    DemoOpinion(
        author="coordinator",
        category=OpinionCategory.PORTAL,
        field=None,
        prefecture=None,
        created_on=datetime.date(2025, 7, 1),
        status=OpinionStatus.UNDER_REVIEW,
        text="事例ライブラリを、支援に関わった機関の種類でも絞り込めるようにしてほしいです。",
        staff_note="次回の改修で検討。",
    ),
    DemoOpinion(
        author=None,
        category=OpinionCategory.SYSTEM,
        field="labour-conditions",
        prefecture=22,
        created_on=datetime.date(2025, 7, 15),
        status=OpinionStatus.NEW,
        text=(
            "労働条件通知書が日本語だけで渡され、内容を理解しないまま働き始める人がいます。"
            "母語の通知書の交付を、もっと強く事業主に求めてほしいです。"
        ),
    ),
    DemoOpinion(
        author="coordinator2",
        category=OpinionCategory.REQUEST,
        field="child-education",
        prefecture=11,
        created_on=datetime.date(2025, 8, 5),
        status=OpinionStatus.UNDER_REVIEW,
        text=(
            "学齢期の子どもが就学していないことに、転入の手続きの時点で気付けるようにして"
            "ほしいです。市区町村の教育委員会との情報共有の仕組みを求めます。"
        ),
        staff_note="文部科学省の就学状況調査と関係。担当課と相談中。",
    ),
    DemoOpinion(
        author="coordinator",
        category=OpinionCategory.REGIONAL_GAP,
        field="japanese-language",
        prefecture=32,
        created_on=datetime.date(2025, 8, 22),
        status=OpinionStatus.NEW,
        text=(
            "日本語教室が県内に数か所しかなく、車を持たない人は通えません。"
            "オンライン教室の立ち上げを支援してほしいです。"
        ),
    ),
    DemoOpinion(
        author=None,
        category=OpinionCategory.OTHER,
        field="disaster-emergency",
        prefecture=17,
        created_on=datetime.date(2025, 9, 1),
        status=OpinionStatus.NEW,
        text=(
            "避難所での案内が日本語の放送だけでした。やさしい日本語の掲示物の見本を、"
            "平時から自治体に配ってほしいです。"
        ),
    ),
    DemoOpinion(
        author="coordinator2",
        category=OpinionCategory.SYSTEM,
        field="daily-life-procedures",
        prefecture=14,
        created_on=datetime.date(2025, 9, 12),
        status=OpinionStatus.CLOSED,
        text=(
            "転居の届出とマイナンバーカードの住所変更を、同じ窓口で一度に済ませられるように"
            "してほしいです。"
        ),
        staff_note="同趣旨の意見に回答済みのため、個別の回答はせず完了。",
    ),
    DemoOpinion(
        author=None,
        category=OpinionCategory.TRAINING,
        field=None,
        prefecture=None,
        created_on=datetime.date(2025, 10, 3),
        status=OpinionStatus.UNDER_REVIEW,
        text="研修の教材を、受講後も会員がいつでも見られるようにしてほしいです。",
    ),
    DemoOpinion(
        author="coordinator",
        category=OpinionCategory.REQUEST,
        field="skill-development-ssw",
        prefecture=21,
        created_on=datetime.date(2025, 10, 20),
        status=OpinionStatus.NEW,
        text=(
            "育成就労への移行について、受入れ機関と本人の双方に向けた説明資料を、"
            "早めに示してほしいです。窓口にも問い合わせが増えています。"
        ),
    ),
)


def _authors() -> dict[str, User]:
    """The demo coordinators present with a valid certificate, by user name, in order."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_AUTHORS)}
    return {
        username: users[username]
        for username in DEMO_AUTHORS
        if username in users
        and users[username].is_active
        and users[username].certificate_status() == CertificateStatus.VALID
    }


def _author_for(demo: DemoOpinion, authors: dict[str, User]) -> User | None:
    if demo.author is None or not authors:
        return None
    return authors.get(demo.author) or next(iter(authors.values()))


def _answered_at(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime(day.year, day.month, day.day, 15, 0, tzinfo=JST)


@transaction.atomic
def seed_opinions(stdout=None) -> list[Opinion]:
    authors = _authors()
    fields = {field.slug: field for field in Field.objects.all()}
    prefectures = {prefecture.number: prefecture for prefecture in Prefecture.objects.all()}
    made, created = [], 0
    for demo in OPINIONS:
        opinion = Opinion.objects.filter(text=demo.text).first()
        if opinion is None:
            opinion = Opinion.objects.create(
                author=_author_for(demo, authors),
                category=demo.category,
                field=fields.get(demo.field) if demo.field else None,
                prefecture=prefectures.get(demo.prefecture) if demo.prefecture else None,
                text=demo.text,
                status=demo.status,
                staff_note=demo.staff_note,
                public_summary=demo.summary,
                public_answer=demo.answer,
                answered_at=_answered_at(demo.answered_on),
            )
            # The receipt date is set on creation; the demo's dates are fixed.
            Opinion.objects.filter(pk=opinion.pk).update(created_on=demo.created_on)
            opinion.created_on = demo.created_on
            created += 1
        made.append(opinion)
    if stdout is not None:
        answered = sum(1 for demo in OPINIONS if demo.answer)
        anonymous = sum(1 for opinion in made if opinion.author_id is None)
        stdout.write(
            f"  opinions: {len(made)} opinions ({answered} answered, {anonymous} anonymous, "
            f"{created} new)"
        )
    return made
