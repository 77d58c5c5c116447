"""The workshop pages as members and staff use them: the gate, registering and cancelling,
what each viewer sees, the attendee exports and the listing's query count."""

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook
from wagtail.documents.models import Document
from wagtail.models import Collection, PageLogEntry

from workshops import services
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

pytestmark = pytest.mark.django_db

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED


def text(response) -> str:
    return response.content.decode()


def viewer_status(response) -> str:
    """The words of the "Your registration" status line, whitespace collapsed."""
    match = re.search(r'<p role="status" data-part="viewer-status">(.*?)</p>', text(response), re.S)
    assert match, "no status line"
    return " ".join(match.group(1).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# The member gate ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(make_workshop, browser):
    workshop = make_workshop()
    visitor = browser()
    for url in ("/workshops/", workshop.url, f"{workshop.url}attendees/csv/"):
        response = visitor.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = visitor.post(f"{workshop.url}register/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_a_lapsed_coordinator_gets_the_renewal_page_and_cannot_register(
    make_workshop, browser, expired_coordinator
):
    workshop = make_workshop()
    client = browser(expired_coordinator)
    for url in ("/workshops/", workshop.url):
        response = client.get(url)
        assert response.status_code == 403, url
        assert workshop.title not in text(response)
    assert client.post(f"{workshop.url}register/").status_code == 403
    assert not Registration.objects.exists()


# Registering and cancelling -------------------------------------------------------------------


def test_a_coordinator_registers_and_cancels(make_workshop, browser, coordinator):
    workshop = make_workshop(capacity=3)
    client = browser(coordinator)

    page = client.get(workshop.url)
    assert page.status_code == 200
    assert viewer_status(page) == "You are not registered."
    assert '<dd data-part="seats-left">3</dd>' in text(page)
    assert ">Register</button>" in text(page)

    response = client.post(f"{workshop.url}register/", follow=True)
    assert response.redirect_chain == [(workshop.url, 302)]
    assert messages_of(response) == ["You are registered for this workshop."]
    assert viewer_status(response) == "You are registered for this workshop."
    assert '<dd data-part="seats-left">2</dd>' in text(response)
    assert ">Cancel registration</button>" in text(response)
    assert ">Register</button>" not in text(response)

    response = client.post(f"{workshop.url}cancel/", follow=True)
    assert messages_of(response) == ["Your registration has been cancelled."]
    assert viewer_status(response) == "You cancelled your registration."
    assert '<dd data-part="seats-left">3</dd>' in text(response)
    assert ">Register</button>" in text(response)
    assert Registration.objects.get(user=coordinator).status == Registration.Status.CANCELLED


def test_a_full_workshop_offers_the_waiting_list_with_a_position(
    make_workshop, browser, make_coordinator
):
    workshop = make_workshop(capacity=1)
    first, second, third = (make_coordinator(name) for name in ("first", "second", "third"))
    services.registration_create(first, workshop)
    services.registration_create(second, workshop)

    client = browser(third)
    page = client.get(workshop.url)
    assert ">Join the waiting list</button>" in text(page)
    assert "1 person waiting" in text(page)
    response = client.post(f"{workshop.url}register/", follow=True)
    assert "waiting list (number 2)" in messages_of(response)[0]
    assert viewer_status(response).startswith("You are on the waiting list (number 2).")
    assert ">Leave the waiting list</button>" in text(response)

    response = client.post(f"{workshop.url}cancel/", follow=True)
    assert messages_of(response) == ["You have left the waiting list."]


def test_the_waiting_member_sees_the_seat_after_someone_cancels(
    make_workshop, browser, make_coordinator, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    holder, waiting = make_coordinator("holder"), make_coordinator("waiting")
    services.registration_create(holder, workshop)
    services.registration_create(waiting, workshop)
    assert viewer_status(browser(waiting).get(workshop.url)).startswith(
        "You are on the waiting list (number 1)."
    )
    with django_capture_on_commit_callbacks(execute=True):
        browser(holder).post(f"{workshop.url}cancel/")
    assert viewer_status(browser(waiting).get(workshop.url)) == (
        "You are registered for this workshop."
    )


def test_registering_twice_says_so(make_workshop, browser, coordinator):
    workshop = make_workshop()
    client = browser(coordinator)
    client.post(f"{workshop.url}register/", follow=True)
    response = client.post(f"{workshop.url}register/", follow=True)
    assert messages_of(response) == ["You are already registered for this workshop."]
    assert Registration.objects.filter(user=coordinator).count() == 1


def test_after_the_deadline_the_page_says_so_and_registration_is_refused(
    make_workshop, browser, coordinator
):
    workshop = make_workshop(
        starts_in=datetime.timedelta(days=2), deadline_before=datetime.timedelta(days=3)
    )
    client = browser(coordinator)
    page = client.get(workshop.url)
    assert "The registration deadline has passed." in text(page)
    assert ">Register</button>" not in text(page)
    response = client.post(f"{workshop.url}register/", follow=True)
    assert messages_of(response)[0].startswith("Registration closed on ")
    assert not Registration.objects.exists()


def test_register_and_cancel_accept_only_post_with_a_csrf_token(
    make_workshop, coordinator, browser
):
    workshop = make_workshop()
    assert browser(coordinator).get(f"{workshop.url}register/").status_code == 405
    assert browser(coordinator).get(f"{workshop.url}cancel/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    assert strict.post(f"{workshop.url}register/").status_code == 403
    assert not Registration.objects.exists()


# What each viewer sees ------------------------------------------------------------------------


@pytest.fixture
def document(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return Document.objects.create(
        title="事例シート（配布資料）", file=ContentFile(b"%PDF-1.4 demo", name="case-sheet.pdf")
    )


def test_meeting_link_and_materials_are_for_registered_members_and_staff(
    make_workshop, browser, coordinator, make_coordinator, editor, document
):
    workshop = make_workshop(
        venue="",
        online=True,
        meeting_url="https://meet.example.jp/secret-room",
        materials=[("document", document)],
    )
    services.registration_create(coordinator, workshop)

    registered = text(browser(coordinator).get(workshop.url))
    assert "https://meet.example.jp/secret-room" in registered
    assert "事例シート（配布資料）" in registered
    assert document.url in registered

    outsider = text(browser(make_coordinator("outsider")).get(workshop.url))
    assert "secret-room" not in outsider
    assert "事例シート" not in outsider
    assert "Materials are shown to registered attendees." in outsider

    staff = text(browser(editor).get(workshop.url))
    assert "事例シート（配布資料）" in staff
    assert "secret-room" not in staff


# Attendee exports -----------------------------------------------------------------------------


@pytest.fixture
def full_workshop(make_workshop, make_coordinator):
    """Capacity 1: 山田 has the seat, Nguyen waits first, 佐藤 second; 鈴木 cancelled."""
    workshop = make_workshop(title="東京会場の事例検討会", capacity=1)
    people = [
        make_coordinator(
            "yamada",
            last_name="山田",
            first_name="美咲",
            family_name_kana="やまだ",
            given_name_kana="みさき",
            family_name_romaji="Yamada",
            given_name_romaji="Misaki",
        ),
        make_coordinator("nguyen", last_name="グエン", first_name="アン"),
        make_coordinator("sato", last_name="佐藤", first_name="誠"),
        make_coordinator("suzuki", last_name="鈴木", first_name="一郎"),
    ]
    suzuki = people[3]
    for person in people:
        services.registration_create(person, workshop)
    services.registration_cancel(suzuki, workshop)
    return workshop, people


def test_only_staff_see_the_export_links(full_workshop, browser, editor):
    workshop, people = full_workshop
    assert "attendees/csv/" in text(browser(editor).get(workshop.url))
    assert "attendees/csv/" not in text(browser(people[0]).get(workshop.url))


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_members_may_not_export_attendees(full_workshop, browser, extension):
    workshop, people = full_workshop
    response = browser(people[0]).get(f"{workshop.url}attendees/{extension}/")
    assert response.status_code == 403
    assert not PageLogEntry.objects.filter(action=services.EXPORT).exists()


def test_staff_export_attendees_as_csv_that_excel_reads(full_workshop, browser, editor):
    workshop, people = full_workshop
    response = browser(editor).get(f"{workshop.url}attendees/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = rows
    assert header[:3] == ["Status", "Waiting list number", "Name"]
    assert [(row[0], row[1], row[2]) for row in body] == [
        ("Registered", "", "山田 美咲"),
        ("On the waiting list", "1", "グエン アン"),
        ("On the waiting list", "2", "佐藤 誠"),
    ]
    yamada = body[0]
    assert yamada[3:6] == ["やまだ みさき", "Misaki YAMADA", "yamada@example.jp"]
    assert re.fullmatch(r"T-\d{5}", yamada[6])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", yamada[7])
    entry = PageLogEntry.objects.get(action=services.EXPORT)
    assert entry.page_id == workshop.pk
    assert entry.user_id == editor.pk
    assert entry.data == {"format": "csv", "rows": 3}


def test_staff_export_attendees_as_xlsx(full_workshop, browser, administrator):
    workshop, people = full_workshop
    response = browser(administrator).get(f"{workshop.url}attendees/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Status", "Waiting list number", "Name")
    assert [row[:3] for row in rows[1:]] == [
        ("Registered", None, "山田 美咲"),
        ("On the waiting list", 1, "グエン アン"),
        ("On the waiting list", 2, "佐藤 誠"),
    ]
    assert isinstance(rows[1][7], datetime.datetime)
    assert PageLogEntry.objects.filter(
        action=services.EXPORT, page=workshop, data__format="xlsx"
    ).exists()


def test_exported_cells_never_run_as_formulas(make_workshop, make_coordinator, browser, editor):
    workshop = make_workshop()
    services.registration_create(
        make_coordinator("formula", last_name="=HYPERLINK(1)", first_name="x"), workshop
    )
    sheet = load_workbook(
        io.BytesIO(browser(editor).get(f"{workshop.url}attendees/xlsx/").content)
    ).active
    assert sheet["C2"].data_type == "s"
    assert sheet["C2"].value == "'=HYPERLINK(1) x"
    body = browser(editor).get(f"{workshop.url}attendees/csv/").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1) x" in body


# The listing ----------------------------------------------------------------------------------


def test_listing_shows_upcoming_then_past_with_seats_and_status(
    make_workshop, browser, coordinator
):
    later = make_workshop(title="三月の事例検討会", starts_in=datetime.timedelta(days=60))
    sooner = make_workshop(title="二月の事例検討会", capacity=4)
    past = make_workshop(
        title="昨年の事例検討会",
        starts_in=-datetime.timedelta(days=40),
        deadline_before=datetime.timedelta(days=7),
    )
    draft = make_workshop(title="準備中の事例検討会")
    draft.unpublish()
    services.registration_create(coordinator, sooner)

    content = text(browser(coordinator).get("/workshops/"))
    assert "準備中の事例検討会" not in content
    positions = [content.index(t) for t in (sooner.title, later.title, past.title)]
    assert positions == sorted(positions)
    assert content.index("Upcoming workshops") < positions[0]
    assert positions[1] < content.index("Past workshops") < positions[2]
    assert "3 workshops." in content
    sooner_card = content[content.index(f'data-workshop="{sooner.pk}"') :]
    sooner_card = sooner_card[: sooner_card.index("</article>")]
    assert "3 seats left" in sooner_card
    assert "Registered" in sooner_card
    later_card = content[content.index(f'data-workshop="{later.pk}"') :]
    assert "Registered" not in later_card[: later_card.index("</article>")]


def test_listing_without_upcoming_workshops_says_so(make_workshop, browser, coordinator):
    make_workshop(title="昨年の事例検討会", starts_in=-datetime.timedelta(days=40))
    content = text(browser(coordinator).get("/workshops/"))
    assert "No workshop is planned at the moment." in content
    assert "昨年の事例検討会" in content


def test_listing_is_paginated(make_workshop, browser, coordinator, monkeypatch):
    monkeypatch.setattr(WorkshopIndexPage, "per_page", 2)
    titles = [
        make_workshop(title=f"第{n}回", starts_in=datetime.timedelta(days=10 + n)).title
        for n in range(1, 4)
    ]
    client = browser(coordinator)
    first = text(client.get("/workshops/"))
    assert titles[0] in first and titles[1] in first and titles[2] not in first
    assert "Page 1 of 2" in first
    second = text(client.get("/workshops/?page=2"))
    assert titles[2] in second and titles[0] not in second


def _listing_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workshops/")
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_listing_query_count_does_not_grow_with_workshops(
    make_workshop, browser, coordinator, make_coordinator
):
    from portal.taxonomy.models import Field

    themes = list(Field.objects.order_by("order")[:3])
    others = [make_coordinator(f"other-{n}") for n in range(3)]

    def add(count):
        for _ in range(count):
            workshop = make_workshop(capacity=2)
            workshop.themes.set(themes)
            workshop.save_revision().publish()
            services.registration_create(coordinator, workshop)
            for other in others:
                services.registration_create(other, workshop)

    client = browser(coordinator)
    add(2)
    client.get("/workshops/")  # the session's first request does a little more
    small = _listing_queries(client)
    add(4)
    large = _listing_queries(client)
    assert large == small
    assert small <= 15


@translation.override("en")
def test_materials_must_be_members_only_documents(document):
    block = WorkshopPage.materials.field.stream_block.child_blocks["document"]
    with pytest.raises(ValidationError, match="Members' documents"):
        block.clean(document)  # uploaded to the root collection: anyone could download it
    document.collection = Collection.objects.get(name__startswith="Members' documents")
    document.save()
    assert block.clean(document) == document
