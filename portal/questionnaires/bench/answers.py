"""The benchmark's questionnaire (30 questions, every type, conditions) and valid random
answers to it."""

from __future__ import annotations

import datetime
import decimal
import random

from django.utils.datastructures import MultiValueDict

from portal.accounts.models import today

from .. import blocks
from ..forms import ResponseForm
from ..questions import (
    OTHER,
    QuestionSet,
    Vocabulary,
    condition_target,
)

PREFIX = "bench-"
IDENTIFIED_SLUG = "bench-questionnaire"
ANONYMOUS_SLUG = "bench-questionnaire-anonymous"
USERNAME = "bench-coordinator-{:02d}"
POOL_SIZE = 200  # distinct random responses the clients draw from
REQUEST_TIMEOUT = 30.0

# The questionnaire ----------------------------------------------------------------------------


YES_NO = [("はい", "Yes"), ("いいえ", "No")]


def bench_questions() -> list[dict]:
    """The raw stream of the benchmark questionnaire: 30 questions of every type, in three
    sections, with display conditions of each operator (one depends on a conditional question)."""
    return [
        blocks.section(
            "勤務先と働き方", "Your counter and your work", "主な勤務先についてお答えください。"
        ),
        blocks.question(
            "single_choice",
            "organisation",
            "相談窓口の運営主体",
            "Who runs your counter?",
            options=[
                ("出入国在留管理局・FRESC", "Immigration bureau or FRESC"),
                ("都道府県", "Prefecture"),
                ("市区町村", "Municipality"),
                ("国際交流協会", "International association"),
                ("NPO", "NPO"),
                ("民間企業", "Private company"),
            ],
            allow_other=True,
        ),
        blocks.question(
            "single_choice",
            "employment",
            "現在の雇用形態",
            "Form of employment",
            options=[
                ("正規職員", "Permanent"),
                ("有期雇用", "Fixed-term"),
                ("非常勤", "Part-time"),
                ("業務委託", "Commissioned"),
            ],
            allow_other=True,
        ),
        blocks.question(
            "likert",
            "pay",
            "処遇は専門性に見合っている",
            "My pay reflects my expertise.",
            condition=("employment", "is", "非常勤"),
        ),
        blocks.question(
            "number", "days", "週の相談日数", "Days a week", min_value="0", max_value="7", unit="日"
        ),
        blocks.question(
            "number", "years", "経験年数", "Years of experience", min_value="0", max_value="50"
        ),
        blocks.question(
            "single_choice",
            "several",
            "複数の窓口で相談を受けていますか",
            "Several counters?",
            options=YES_NO,
        ),
        blocks.question(
            "number",
            "counters",
            "相談を受けている窓口の数",
            "How many counters?",
            condition=("several", "is", "はい"),
            min_value="2",
            max_value="10",
        ),
        blocks.question(
            "short_text",
            "counters_note",
            "窓口間の連携で困っていること",
            "Difficulties between counters",
            condition=("counters", "at_least", "4"),
            required=False,
        ),
        blocks.question("prefecture", "prefecture", "主な活動地域", "Main area of activity"),
        blocks.question(
            "short_text",
            "ward",
            "区市町村名",
            "Ward or city",
            condition=("prefecture", "is", "東京都"),
        ),
        blocks.section("相談の内容", "Consultations"),
        blocks.question(
            "number",
            "consultations",
            "先月の相談件数",
            "Consultations last month",
            min_value="0",
            max_value="2000",
            required=False,
        ),
        blocks.question(
            "number",
            "hours",
            "1件あたりの平均時間（時間）",
            "Average hours per consultation",
            min_value="0",
            max_value="24",
            whole_number=False,
            required=False,
        ),
        blocks.question(
            "field",
            "fields",
            "多かった分野（5つまで）",
            "Main fields (up to 5)",
            multiple=True,
            max_choices=5,
        ),
        blocks.question("field", "main_field", "最も多かった分野", "The most frequent field"),
        blocks.question(
            "multiple_choice",
            "interpretation",
            "通訳の方法（3つまで）",
            "Interpretation (up to 3)",
            options=[
                ("自分で対応", "Myself"),
                ("所内の通訳者", "In-house interpreter"),
                ("電話・遠隔通訳", "Remote interpretation"),
                ("機械翻訳", "Machine translation"),
                ("やさしい日本語", "Plain Japanese"),
            ],
            allow_other=True,
            max_choices=3,
        ),
        blocks.question(
            "likert",
            "remote",
            "遠隔通訳は役に立つ",
            "Remote interpretation helps.",
            condition=("interpretation", "includes", "電話・遠隔通訳"),
        ),
        blocks.question(
            "likert", "sources", "つなぐ先の支援機関がある", "There are services to refer to."
        ),
        blocks.question(
            "long_text",
            "good_practice",
            "うまくいった連携の例",
            "An example of good cooperation",
            condition=("sources", "at_least", "4"),
            required=False,
        ),
        blocks.question("date", "started_on", "相談業務を始めた日", "When you started"),
        blocks.question(
            "date", "last_case", "最後に困難事例を扱った日", "Last difficult case", required=False
        ),
        blocks.question(
            "short_text", "memo", "窓口の愛称", "Your counter's nickname", required=False
        ),
        blocks.section("研修", "Training"),
        blocks.question(
            "multiple_choice",
            "formats",
            "参加しやすい研修形式（2つまで）",
            "Training formats (up to 2)",
            options=[
                ("オンデマンド", "On demand"),
                ("ライブ配信", "Live online"),
                ("東京で対面", "In person in Tokyo"),
                ("地元で対面", "In person locally"),
            ],
            max_choices=2,
        ),
        blocks.question(
            "single_choice",
            "travel",
            "東京までの移動手段",
            "How you would travel to Tokyo",
            options=[("新幹線", "Shinkansen"), ("飛行機", "Plane"), ("バス", "Bus")],
            condition=("formats", "includes", "東京で対面"),
        ),
        blocks.question(
            "number",
            "training_days",
            "昨年度の研修日数",
            "Training days last year",
            min_value="0",
            max_value="30",
            required=False,
        ),
        blocks.question("likert", "training_useful", "研修は役に立った", "Training was useful."),
        blocks.question(
            "date",
            "training_since",
            "役立った研修の受講日",
            "When you took that training",
            condition=("training_useful", "at_least", "4"),
            required=False,
        ),
        blocks.question(
            "field",
            "topics",
            "研修で扱ってほしい分野",
            "Fields for future training",
            multiple=True,
            required=False,
        ),
        blocks.question(
            "multiple_choice",
            "changes",
            "認定後に変わったこと",
            "What changed since certification",
            options=[
                ("責任が増えた", "More responsibility"),
                ("給与が上がった", "Pay rise"),
                ("部署が変わった", "New post"),
                ("助言するようになった", "Advising others"),
                ("変化はない", "No change"),
            ],
            allow_other=True,
        ),
        blocks.question(
            "likert", "satisfaction", "仕事に満足している", "I am satisfied with my work."
        ),
        blocks.question(
            "long_text", "requests", "国への要望", "Requests to the government", required=False
        ),
    ]


# Valid random answers -------------------------------------------------------------------------

PHRASES = (
    "医療通訳を頼める機関が近くにない。",
    "外国人の子どもの進学情報が保護者に届いていない。",
    "転籍について相談できる窓口が少ない。",
    "介護保険の説明資料が多言語で用意されていない。",
    "夜間や休日に対応できる相談窓口がない。",
    "市役所の担当課と月に一度の情報交換を始めた。",
    "Interpreters are hard to book at short notice.",
    "やさしい日本語の研修を地域で開きたい。",
)


def _text(rng: random.Random, low: int, high: int, limit: int) -> str:
    parts = [rng.choice(PHRASES) for _ in range(rng.randint(low, high))]
    return "".join(parts)[:limit]


def _condition_targets(questions: QuestionSet, vocabulary: Vocabulary) -> dict[str, list]:
    """For each question that a display condition refers to: (operator, canonical target)."""
    by_key = questions.by_key()
    targets: dict[str, list] = {}
    for question in questions:
        condition = question.condition
        if condition is None or condition.key not in by_key:
            continue
        ref = by_key[condition.key]
        target = condition_target(ref, condition.value, vocabulary)
        if target is not None:
            targets.setdefault(ref.key, []).append((condition.operator, target))
    return targets


def _random_value(question, vocabulary: Vocabulary, rng: random.Random, wanted):
    """A canonical value for ``question``; ``wanted`` = (operator, target) to meet, or None."""
    kind = question.kind
    if kind in {"single_choice", "multiple_choice"}:
        choices = list(range(len(question.options)))
        if question.allow_other and rng.random() < 0.15:
            choices.append(OTHER)
        if kind == "single_choice":
            if wanted is not None:
                return wanted[1]
            return OTHER if OTHER in choices and rng.random() < 0.5 else rng.choice(choices)
        most = min(question.max_choices or len(choices), len(choices))
        chosen = set(rng.sample(choices, rng.randint(1, most)))
        if wanted is not None and wanted[1] not in chosen:
            chosen.discard(next(iter(chosen)))
            chosen.add(wanted[1])
        return chosen
    if kind == "likert":
        if wanted is not None:
            return wanted[1] if wanted[0] == "is" else rng.randint(wanted[1], 5)
        return rng.randint(1, 5)
    if kind == "number":
        low = decimal.Decimal(question.min_value if question.min_value is not None else 0)
        high = decimal.Decimal(question.max_value if question.max_value is not None else low + 1000)
        if wanted is not None:
            if wanted[0] == "is":
                return wanted[1]
            low = max(low, wanted[1])
        if question.whole_number:
            return decimal.Decimal(rng.randint(int(low), int(high)))
        tenths = rng.randint(int(low * 10), int(high * 10))
        return decimal.Decimal(tenths) / 10
    if kind == "date":
        if wanted is not None:
            if wanted[0] == "is":
                return wanted[1]
            return wanted[1] + datetime.timedelta(days=rng.randint(0, 365))
        return today() - datetime.timedelta(days=rng.randint(0, 3650))
    if kind == "prefecture":
        if wanted is not None:
            return wanted[1]
        return rng.choice(vocabulary.prefectures).pk
    if kind == "field":
        ids = [f.pk for f in vocabulary.fields]
        if not question.multiple:
            return wanted[1] if wanted is not None else rng.choice(ids)
        most = min(question.max_choices or 6, len(ids))
        chosen = set(rng.sample(ids, rng.randint(1, most)))
        if wanted is not None and wanted[1] not in chosen:
            chosen.discard(next(iter(chosen)))
            chosen.add(wanted[1])
        return chosen
    if wanted is not None and wanted[0] == "is":
        return wanted[1]
    if kind == "short_text":
        return _text(rng, 1, 2, 200)
    return _text(rng, 1, 12, 5000)


def _form_values(value) -> list[str]:
    if isinstance(value, set):
        return [str(v) for v in sorted(value)]
    if isinstance(value, datetime.date):
        return [value.isoformat()]
    if isinstance(value, decimal.Decimal):
        return [f"{value.normalize():f}"]
    return [str(value)]


def random_answers(
    questions: QuestionSet, vocabulary: Vocabulary, rng: random.Random
) -> dict[str, list[str]]:
    """Form data (``q-<key>`` → values) of a valid response: every required question that its
    condition shows is answered, optional ones mostly, hidden ones are left out. Values that a
    later question's condition looks for are picked half of the time, so that the conditional
    questions are exercised."""
    targets = _condition_targets(questions, vocabulary)
    values: dict = {}
    for question in questions:
        if not question.required and rng.random() < 0.3:
            continue
        wanted = None
        if question.key in targets and rng.random() < 0.5:
            wanted = rng.choice(targets[question.key])
        values[question.key] = _random_value(question, vocabulary, rng, wanted)
    shown = questions.visible(values, vocabulary)
    data: dict[str, list[str]] = {}
    for question in questions:
        if not shown.get(question.key) or question.key not in values:
            continue
        value = values[question.key]
        data[question.field_name] = _form_values(value)
        chose_other = value == OTHER or (isinstance(value, set) and OTHER in value)
        if question.allow_other and chose_other:
            data[question.other_name] = [_text(rng, 1, 1, 200)]
    return data


def answer_rows(questions: QuestionSet, vocabulary: Vocabulary, data: dict) -> list[dict]:
    """The ``Answer`` rows the site stores for ``data``; ``ValueError`` when it is not valid."""
    form = ResponseForm(questions, vocabulary, data=MultiValueDict(data))
    if not form.is_valid():
        raise ValueError(f"invalid benchmark answers: {form.errors.as_json()}")
    return form.answer_rows()


def answer_pool(
    questions: QuestionSet, vocabulary: Vocabulary, size: int, seed: int
) -> list[tuple[list[tuple[str, str]], int]]:
    """``size`` valid responses as (form fields, number of answer rows they store)."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    pool = []
    for _ in range(size):
        data = random_answers(questions, vocabulary, rng)
        rows = answer_rows(questions, vocabulary, data)
        pool.append(([(name, v) for name, values in data.items() for v in values], len(rows)))
    return pool


def percentile(values, p: float) -> float:
    """The ``p``-th percentile (0–100) with linear interpolation between closest ranks (as
    ``statistics.quantiles(method="inclusive")`` and numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
