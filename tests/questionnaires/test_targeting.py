"""Who is asked: audience conditions, the roster fixed at opening, reminders."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory.models import CoordinatorProfile, ProfileField
from portal.questionnaires.models import Roster, RosterEntry
from portal.questionnaires.services import questionnaire_send_reminders, targeted_users
from portal.taxonomy.models import Field, Prefecture

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, issue_certificate):
    """Four valid coordinators and one lapsed one, with different places and fields."""
    on = timezone.localdate() - datetime.timedelta(days=20)
    tokyo, osaka, aichi = (Prefecture.objects.get(code=c) for c in ("JP-13", "JP-27", "JP-23"))
    residence, labour = Field.objects.order_by("order")[:2]

    def person(name, *, workplace=None, areas=(), fields=(), kind="", issued=on, language="ja"):
        user = make_user(name, "Coordinator", preferred_language=language)
        certificate = issue_certificate(user, issued, workplace_prefecture=workplace)
        profile = CoordinatorProfile.objects.create(user=user, workplace_type=kind)
        profile.prefectures.set(areas)
        for f in fields:
            ProfileField.objects.create(profile=profile, field=f)
        user.certificate = certificate
        return user

    return {
        "tokyo": person("tokyo", workplace=tokyo, fields=[residence], kind="npo"),
        "osaka": person("osaka", workplace=osaka, areas=[aichi], fields=[labour], language="en"),
        "aichi": person("aichi", areas=[aichi], kind="local-government"),
        "none": person("none"),
        "lapsed": person("lapsed", workplace=tokyo, issued=datetime.date(2019, 6, 1)),
        "prefectures": (tokyo, osaka, aichi),
        "fields": (residence, labour),
    }


def names(users):
    return sorted(u.username for u in users)


def test_everyone_valid_by_default(people, make_questionnaire):
    page = make_questionnaire(live=False)
    assert names(targeted_users(page)) == ["aichi", "none", "osaka", "tokyo"]


def test_prefecture_matches_workplace_or_area_of_activity(people, make_questionnaire):
    tokyo, osaka, aichi = people["prefectures"]
    assert names(targeted_users(make_questionnaire(live=False, prefectures=[aichi]))) == [
        "aichi",
        "osaka",
    ]
    assert names(targeted_users(make_questionnaire(live=False, prefectures=[tokyo]))) == ["tokyo"]


def test_conditions_combine(people, make_questionnaire):
    tokyo, osaka, aichi = people["prefectures"]
    residence, labour = people["fields"]
    page = make_questionnaire(live=False, prefectures=[aichi], fields=[labour])
    assert names(targeted_users(page)) == ["osaka"]
    page = make_questionnaire(live=False, target_workplace_types=["npo", "local-government"])
    assert names(targeted_users(page)) == ["aichi", "tokyo"]
    numbers = f"{people['none'].certificate.number}\n{people['lapsed'].certificate.number}"
    page = make_questionnaire(live=False, target_certificates=numbers)
    assert names(targeted_users(page)) == ["none"]  # the lapsed holder is never asked


def test_roster_is_fixed_at_opening_with_places_and_fields(
    people, make_questionnaire, make_user, issue_certificate, client_for
):
    page = make_questionnaire()
    client_for(people["tokyo"]).get("/questionnaires/")
    roster = Roster.objects.get(questionnaire=page)
    assert roster.targeted == 4
    entry = RosterEntry.objects.get(questionnaire=page, user=people["osaka"])
    assert {p.code for p in entry.prefectures.all()} == {"JP-27", "JP-23"}
    assert list(entry.fields.all()) == [people["fields"][1]]
    # Someone certified after opening is not in this round's audience.
    late = make_user("late", "Coordinator")
    issue_certificate(late, timezone.localdate())
    assert client_for(late).get(page.url).status_code == 404
    assert RosterEntry.objects.filter(questionnaire=page).count() == 4


def test_reminders_go_once_to_non_respondents_before_closing(
    people, make_questionnaire, client_for
):
    now = timezone.now()
    later = make_questionnaire(closes_at=now + datetime.timedelta(days=10))
    soon = make_questionnaire(closes_at=now + datetime.timedelta(days=2))
    client_for(people["tokyo"]).post(soon.url, {"q-employment": "0", "action": "submit"})
    assert questionnaire_send_reminders() == 3
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == ["aichi", "none", "osaka"]
    english = next(m for m in mail.outbox if m.to[0].startswith("osaka"))
    assert "Reminder" in english.subject and soon.url in english.body
    japanese = next(m for m in mail.outbox if m.to[0].startswith("aichi"))
    assert "アンケート" in japanese.subject or soon.title in japanese.subject
    call_command("send_questionnaire_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 3
    assert not later.reminders.exists()
