"""Shared fixtures of the questionnaire tests: the index page and a factory of questionnaires."""

import datetime
import itertools
import json

import pytest
from django.utils import timezone
from wagtail.models import Page

from portal.home.models import HomePage
from portal.questionnaires.blocks import question, section
from portal.questionnaires.models import QuestionnaireIndexPage, QuestionnairePage

_slugs = itertools.count(1)


SAMPLE_QUESTIONS = [
    section("勤務について"),
    question(
        "single_choice",
        "employment",
        "現在の雇用形態",
        label_en="Form of employment",
        options=[("正規職員", "Permanent"), ("非常勤", "Part-time"), ("委託", "Commissioned")],
        allow_other=True,
    ),
    question(
        "number", "days", "週の相談日数", min_value="0", max_value="7", unit="日", required=False
    ),
    question(
        "likert",
        "pay",
        "処遇は専門性に見合っている",
        condition=("employment", "is", "非常勤"),
    ),
    question(
        "multiple_choice",
        "formats",
        "参加しやすい研修形式",
        options=["オンデマンド", "ライブ配信", "東京で対面", "地元で対面"],
        max_choices=2,
        required=False,
    ),
    question("long_text", "gaps", "地域の支援の不足", required=False),
]


@pytest.fixture
def questionnaire_index(db):
    index = QuestionnaireIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first() or Page.objects.get(depth=1)
        index = home.add_child(
            instance=QuestionnaireIndexPage(title="アンケート", slug="questionnaires")
        )
    return index


@pytest.fixture
def make_questionnaire(questionnaire_index):
    """``make_questionnaire(questions=None, live=True, **fields)``: a questionnaire under the
    index, open from an hour ago for a week unless ``opens_at``/``closes_at`` say otherwise;
    ``live=True`` publishes it directly (reading tests; the workflow has its own tests)."""

    def make(questions=None, *, live=True, prefectures=(), fields=(), **values):
        n = next(_slugs)
        now = timezone.now()
        values.setdefault("title", f"活動状況調査 {n}")
        values.setdefault("slug", f"survey-{n}")
        values.setdefault("opens_at", now - datetime.timedelta(hours=1))
        values.setdefault("closes_at", now + datetime.timedelta(days=7))
        page = QuestionnairePage(
            questions=json.dumps(questions or SAMPLE_QUESTIONS), live=False, **values
        )
        questionnaire_index.add_child(instance=page)
        if prefectures:
            page.target_prefectures.set(prefectures)
        if fields:
            page.target_fields.set(fields)
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page

    return make
