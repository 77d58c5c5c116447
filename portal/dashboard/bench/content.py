"""The benchmark's partners, opinions, important notices with their confirmations, and a closed
questionnaire with its answers."""

from __future__ import annotations

import datetime
import json
import random

from django.utils import timezone

from portal.accounts.models import User, today
from portal.taxonomy.models import Field, Prefecture

from .. import sources
from .common import BATCH, PREFIX, bulk, index_page


def make_partners(count: int, rng: random.Random, tag: str) -> None:
    Partner = sources.partner()
    fields = list(Field.objects.counted())
    partners = bulk(
        Partner,
        [
            Partner(
                name_ja=f"ベンチ連携先 {i}",
                slug=f"{PREFIX}-{tag}-p{i:05d}",
                kind="npo-support-group",
                level="prefectural",
                nationwide=rng.random() < 0.1,
                live=True,
            )
            for i in range(count)
        ],
    )
    field_links, prefecture_links = [], []
    for partner in partners:
        for item in rng.sample(fields, rng.randint(1, 3)):
            field_links.append(Partner.fields.through(partner_id=partner.pk, field_id=item.pk))
        if not partner.nationwide:
            prefecture_links.append(
                Partner.prefectures.through(partner_id=partner.pk, prefecture_id=rng.randint(1, 47))
            )
    bulk(Partner.fields.through, field_links)
    prefecture_ids = {p.number: p.pk for p in Prefecture.objects.all()}
    for link in prefecture_links:
        link.prefecture_id = prefecture_ids[link.prefecture_id]
    bulk(Partner.prefectures.through, prefecture_links)


def make_opinions(count: int, rng: random.Random) -> None:
    from portal.questionnaires.models import Opinion, OpinionCategory, OpinionStatus

    fields = list(Field.objects.counted())
    prefectures = list(Prefecture.objects.all())
    opinions = bulk(
        Opinion,
        [
            Opinion(
                category=rng.choice(OpinionCategory.values),
                field=rng.choice(fields) if rng.random() < 0.7 else None,
                prefecture=rng.choice(prefectures) if rng.random() < 0.8 else None,
                text="ベンチマーク用の意見です。",
                status=rng.choice(OpinionStatus.values),
            )
            for _ in range(count)
        ],
    )
    for opinion in opinions:
        opinion.created_on = today() - datetime.timedelta(days=rng.randint(0, 700))
    Opinion.objects.bulk_update(opinions, ["created_on"], batch_size=BATCH)


def make_notices(users: list[User], rng: random.Random, tag: str) -> None:
    Notice = sources.notice()
    Acknowledgement = sources.acknowledgement()
    index = index_page("newsletters.NoticeIndexPage", title="お知らせ", slug="notices")
    for i in range(5):
        notice = index.add_child(
            instance=Notice(
                title=f"ベンチマーク：重要なお知らせ {tag}-{i}",
                slug=f"{PREFIX}-{tag}-notice-{i}",
                summary="確認をお願いします。",
                category="procedure",
                importance="important",
                audience="members",
            )
        )
        notice.save_revision().publish()
        bulk(
            Acknowledgement,
            [
                Acknowledgement(notice_id=notice.pk, user_id=u.pk)
                for u in users
                if rng.random() < 0.5
            ],
        )


# Questionnaire --------------------------------------------------------------------------------


def make_questionnaire(answers: int, rng: random.Random, tag: str) -> None:
    """A closed questionnaire whose audience is every valid holder, answered by about six in ten
    with ``answers`` answer rows in all."""
    from portal.questionnaires.blocks import question
    from portal.questionnaires.models import Answer, QuestionnairePage, ResponseSheet, RosterEntry
    from portal.questionnaires.services import roster_ensure

    index = index_page(
        "questionnaires.QuestionnaireIndexPage", title="アンケート", slug="questionnaires"
    )
    keys = [f"q{i}" for i in range(10)]
    now = timezone.now()
    page = index.add_child(
        instance=QuestionnairePage(
            title=f"ベンチマーク調査 {tag}",
            slug=f"{PREFIX}-{tag}-survey",
            questions=json.dumps(
                [
                    question("single_choice", key, f"質問 {key}", options=["A", "B", "C"])
                    for key in keys
                ]
            ),
            opens_at=now - datetime.timedelta(days=40),
            closes_at=now - datetime.timedelta(days=10),
            live=False,
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    roster_ensure(page, now - datetime.timedelta(days=40))
    entries = list(
        RosterEntry.objects.filter(questionnaire_id=page.pk).values_list("pk", flat=True)
    )
    responding = [pk for pk in entries if rng.random() < 0.6]
    if not responding:
        return
    RosterEntry.objects.filter(pk__in=responding).update(has_responded=True)
    sheets = bulk(ResponseSheet, [ResponseSheet(questionnaire_id=page.pk) for _ in responding])
    rows = []
    for n in range(answers):
        sheet = sheets[n % len(sheets)]
        rows.append(
            Answer(
                sheet_id=sheet.pk,
                question=keys[(n // len(sheets)) % len(keys)],
                option=rng.randint(0, 2),
            )
        )
    bulk(Answer, rows)
