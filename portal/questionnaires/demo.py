"""Demo questionnaires (``seed_demo``): one closed survey of consulting work with about 40
identified responses, whose results can be read at once, and one open anonymous survey on
treatment and training that the ``coordinator`` account has not answered yet. Idempotent, and
deterministic for a given day (dates are relative to today so that the open one stays open).
"""

from __future__ import annotations

import datetime
import json
import random

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.home.models import HomePage
from portal.taxonomy.models import Field, Prefecture

from .blocks import question, section
from .forms import ResponseForm
from .models import Mode, QuestionnaireIndexPage, QuestionnairePage
from .opinions.demo import seed_opinions
from .questions import Vocabulary
from .services import ResponseRefused, response_submit, roster_ensure

INDEX_SLUG = "questionnaires"
INDEX_TITLE = "アンケート"
INDEX_INTRO = (
    "<p>出入国在留管理庁から認定コーディネーターの皆さまへのアンケートです。"
    "回答は、相談体制の改善や関係省庁・自治体への課題のフィードバックに活用します。</p>"
)


ORGANISATIONS = [
    ("出入国在留管理局・FRESC", "Immigration bureau or FRESC"),
    ("都道府県", "Prefecture"),
    ("市区町村", "Municipality"),
    (
        "自治体から委託された国際交流協会",
        "International association commissioned by a local government",
    ),
    ("NPO", "NPO"),
    ("民間企業", "Private company"),
    ("大学", "University"),
]
EMPLOYMENT = [
    ("正規職員（常勤）", "Permanent full-time"),
    ("有期雇用（常勤）", "Fixed-term full-time"),
    ("非常勤・パートタイム", "Part-time"),
    ("業務委託", "Commissioned contract"),
]
INTERPRETATION = [
    ("自分で対応", "Myself"),
    ("所内の通訳者", "In-house interpreter"),
    ("電話・遠隔通訳", "Telephone or remote interpretation"),
    ("機械翻訳", "Machine translation"),
    ("やさしい日本語", "Plain Japanese"),
]
CHANGES = [
    ("責任が増えた", "More responsibility"),
    ("給与が上がった", "Pay rise"),
    ("部署が変わった", "Moved to a different post"),
    ("他の職員に助言するようになった", "Advising other staff"),
    ("変化はない", "No change"),
    ("まだ分からない", "Not yet known"),
]
FORMATS = [
    ("オンデマンド配信", "Online on demand"),
    ("ライブ配信", "Live online"),
    ("東京での対面研修", "In person in Tokyo"),
    ("地元での対面研修", "In person in my region"),
]
YES_NO = [("はい", "Yes"), ("いいえ", "No")]

ACTIVITY_SURVEY = [
    section(
        "勤務先と働き方",
        "Your counter and your work",
        "主に勤務している相談窓口についてお答えください。",
        "Please answer about the counter where you mainly work.",
    ),
    question(
        "single_choice",
        "organisation",
        "主に勤務している相談窓口の運営主体",
        "Who runs the counter where you mainly work?",
        options=ORGANISATIONS,
        allow_other=True,
    ),
    question(
        "single_choice",
        "employment",
        "現在の雇用形態",
        "Your current form of employment",
        options=EMPLOYMENT,
        allow_other=True,
    ),
    question(
        "number",
        "days",
        "1週間に相談業務に従事する日数",
        "Days a week you work in consultation",
        min_value="0",
        max_value="7",
        unit="日",
        unit_en="days",
        whole_number=True,
    ),
    question(
        "number",
        "years",
        "相談業務の経験年数",
        "Years of consultation work",
        min_value="0",
        max_value="50",
        unit="年",
        unit_en="years",
        whole_number=True,
    ),
    question(
        "single_choice",
        "several_counters",
        "複数の窓口で相談を受けていますか",
        "Do you work at more than one counter?",
        options=YES_NO,
    ),
    question(
        "number",
        "counters",
        "相談を受けている窓口の数",
        "How many counters?",
        condition=("several_counters", "is", "はい"),
        min_value="2",
        max_value="10",
        unit="か所",
        unit_en="counters",
    ),
    section("相談の内容", "Consultations"),
    question(
        "number",
        "consultations",
        "先月、あなたが対応した相談の件数（概数）",
        "About how many consultations did you handle last month?",
        min_value="0",
        max_value="2000",
        unit="件",
        unit_en="consultations",
        required=False,
    ),
    question(
        "field",
        "fields",
        "過去3か月の相談で多かった分野（5つまで）",
        "Fields that made up most of your consultations in the past 3 months (up to 5)",
        multiple=True,
        max_choices=5,
    ),
    question(
        "multiple_choice",
        "interpretation",
        "相談で使う通訳の方法",
        "Interpretation means you use",
        options=INTERPRETATION,
        allow_other=True,
    ),
    question(
        "likert",
        "sources",
        "地域に、相談者をつなげる適切な支援機関がある",
        "There is an appropriate source of assistance in my area that I can refer clients to.",
    ),
    question(
        "long_text",
        "gaps",
        "相談を通じて見つかった地域の支援の不足や制度上の課題",
        "Gaps in local support or system problems you found through your cases",
        required=False,
    ),
]

TREATMENT_SURVEY = [
    section(
        "処遇",
        "Treatment",
        "この調査は匿名です。回答はあなたと結び付けずに保存されます。",
        "This survey is anonymous: your answers are stored with no link to you.",
    ),
    question("prefecture", "prefecture", "主な活動地域", "Main area of activity"),
    question(
        "likert",
        "pay",
        "給与や勤務条件は、認定コーディネーターとしての専門性に見合っている",
        "My pay and working conditions reflect my expertise as a certified coordinator.",
    ),
    question(
        "multiple_choice",
        "changes",
        "認定後、仕事で変わったこと",
        "What has changed in your work since certification?",
        options=CHANGES,
    ),
    section("研修", "Training"),
    question(
        "multiple_choice",
        "formats",
        "参加しやすい事例研究会・更新研修の形式",
        "Formats you would attend for case-study workshops and renewal training",
        options=FORMATS,
        max_choices=2,
    ),
    question(
        "long_text",
        "requests",
        "国への要望",
        "What do you ask of the national government?",
        required=False,
    ),
]


def _index() -> QuestionnaireIndexPage:
    index = QuestionnaireIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.get().add_child(
            instance=QuestionnaireIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO)
        )
        index.save_revision().publish()
    return index


def _page(index, slug, **values) -> tuple[QuestionnairePage, bool]:
    existing = QuestionnairePage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    questions = values.pop("questions")
    page = QuestionnairePage(slug=slug, live=False, questions=json.dumps(questions), **values)
    index.add_child(instance=page)
    editor = User.objects.filter(username="editor").first()
    page.save_revision(user=editor).publish(user=User.objects.filter(username="admin").first())
    return QuestionnairePage.objects.get(pk=page.pk), True


def _answers_activity(rng: random.Random, fields: list[int]) -> dict:
    # Skewed so that results look like a real survey, with some small cells to suppress.
    data = {
        "q-organisation": [str(rng.choices(range(7), weights=[3, 5, 9, 8, 2, 1, 1])[0])],
        "q-employment": [str(rng.choices(range(4), weights=[5, 6, 10, 3])[0])],
        "q-days": [str(rng.choice([2, 3, 3, 4, 5, 5, 5]))],
        "q-years": [str(rng.randint(1, 22))],
        "q-several_counters": [str(rng.choices([0, 1], weights=[1, 3])[0])],
        "q-counters": [str(rng.randint(2, 4))],
        "q-consultations": [str(rng.randint(10, 160))],
        "q-fields": [str(f) for f in rng.sample(fields[:10], rng.randint(1, 4))],
        "q-interpretation": [str(i) for i in sorted(rng.sample(range(5), rng.randint(1, 3)))],
        "q-sources": [str(rng.choices(range(1, 6), weights=[2, 6, 5, 4, 1])[0])],
    }
    if rng.random() < 0.35:
        data["q-gaps"] = [
            rng.choice(
                [
                    "医療通訳を頼める機関が近くになく、受診の同行を断られることがある。",
                    "外国人の子どもの高校進学の情報が保護者に届いていない。",
                    "技能実習生の転籍について相談できる窓口が県内に少ない。",
                    "介護保険の説明資料が多言語で用意されていない。",
                    "夜間や休日に対応できる相談窓口がない。",
                ]
            )
        ]
    return data


def _answers_treatment(rng: random.Random, prefectures: list[int]) -> dict:
    return {
        "q-prefecture": [str(rng.choice(prefectures))],
        "q-pay": [str(rng.choices(range(1, 6), weights=[4, 5, 3, 2, 1])[0])],
        "q-changes": [str(i) for i in sorted(rng.sample(range(4), rng.randint(1, 2)))],
        "q-formats": [str(i) for i in sorted(rng.sample(range(4), rng.randint(1, 2)))],
    }


def _respond(page, users, make_data, rng, start) -> int:
    vocabulary = Vocabulary.get()
    made = 0
    for n, user in enumerate(users):
        form = ResponseForm(page.question_set, vocabulary, data=_data(make_data(rng)))
        if not form.is_valid():
            raise ValueError(f"demo answers do not fit {page.slug}: {form.errors.as_json()}")
        try:
            response_submit(page, user, form.answer_rows(), start + datetime.timedelta(hours=n))
        except ResponseRefused:
            continue
        made += 1
    return made


def _data(values: dict):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict(values)


def seed(stdout=None) -> list[QuestionnairePage]:
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    fields = list(Field.objects.counted().order_by("order").values_list("pk", flat=True))
    prefectures = list(Prefecture.objects.order_by("number").values_list("pk", flat=True))
    with transaction.atomic():
        index = _index()
        closed, closed_new = _page(
            index,
            "consultation-work-survey-2026",
            title="相談業務の実態調査（2026年度）",
            title_en="Survey of consultation work (FY2026)",
            introduction="<p>相談体制・相談件数・通訳の方法などについて伺います。所要時間は約10分です。</p>",
            introduction_en="<p>About your counter, the number of consultations and how you "
            "interpret. It takes about 10 minutes.</p>",
            questions=ACTIVITY_SURVEY,
            opens_at=now - datetime.timedelta(days=45),
            closes_at=now - datetime.timedelta(days=15),
            mode=Mode.IDENTIFIED,
        )
        open_page, _ = _page(
            index,
            "treatment-and-training-survey",
            title="認定後の処遇と研修ニーズに関する調査（匿名）",
            title_en="Treatment since certification and training needs (anonymous)",
            introduction="<p>認定後の処遇の変化と、研修の形式についての希望を伺います。"
            "匿名で回答できます。</p>",
            introduction_en="<p>How your treatment changed after certification and which "
            "training formats suit you. Answers are anonymous.</p>",
            questions=TREATMENT_SURVEY,
            opens_at=now - datetime.timedelta(days=3),
            closes_at=now + datetime.timedelta(days=2, hours=8),
            mode=Mode.ANONYMOUS,
        )
        made = 0
        if closed_new:
            start = closed.opens_at + datetime.timedelta(hours=1)
            roster_ensure(closed, start)
            users = list(
                User.objects.filter(
                    pk__in=closed.roster_entries.values("user_id"),
                )
                .exclude(username="coordinator2")
                .order_by("username")
            )
            made += _respond(closed, users[:40], lambda r: _answers_activity(r, fields), rng, start)
        if not open_page.sheets.exists():
            start = open_page.opens_at + datetime.timedelta(hours=1)
            roster_ensure(open_page, start)
            users = list(
                User.objects.filter(pk__in=open_page.roster_entries.values("user_id"))
                .exclude(username__in=["coordinator", "coordinator2"])
                .order_by("-username")[:12]
            )
            made += _respond(
                open_page, users, lambda r: _answers_treatment(r, prefectures), rng, start
            )
    seed_opinions(stdout=stdout)
    if stdout is not None:
        stdout.write(
            f"  questionnaires: 2 ({closed.roster_entries.filter(has_responded=True).count()} "
            f"responses to the closed one, {made} new)"
        )
    return [closed, open_page]
