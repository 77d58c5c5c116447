"""The calendar file: a valid RFC 5545 VCALENDAR that calendar apps can import."""

import datetime
import re

import pytest

from workshops import ics
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def unfold(body: str) -> list[str]:
    """The content lines of an iCalendar body (RFC 5545 §3.1)."""
    assert body.endswith("\r\n")
    physical = body[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def properties(lines: list[str]) -> dict[str, str]:
    """NAME -> value of the VEVENT's properties (no parameters are used)."""
    start, end = lines.index("BEGIN:VEVENT"), lines.index("END:VEVENT")
    found = {}
    for line in lines[start + 1 : end]:
        name, _, value = line.partition(":")
        found[name] = value
    return found


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


UTC_STAMP = re.compile(r"^\d{8}T\d{6}Z$")


def test_text_is_escaped_and_long_lines_are_folded_at_75_octets():
    event = ics.Event(
        uid="workshop-1@example.jp",
        starts_at=datetime.datetime(2027, 2, 15, 5, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 2, 15, 7, 30, tzinfo=datetime.UTC),
        summary="事例検討会; 在留資格, 就労\\相談\n第2部" * 4,
        location="東京都千代田区, 研修室A",
        stamp=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    )
    body = ics.calendar(event, "-//Test//Test//JA")
    for physical in body.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    values = properties(unfold(body))
    assert unescape(values["SUMMARY"]) == event.summary
    assert unescape(values["LOCATION"]) == event.location
    assert values["DTSTART"] == "20270215T050000Z"
    assert values["DTEND"] == "20270215T073000Z"
    assert values["DTSTAMP"] == "20270101T000000Z"


def test_the_workshop_calendar_file_is_valid(make_workshop, browser, coordinator):
    workshop = make_workshop(
        title="オンライン事例検討会：在留資格の変更と就労の相談、転職の相談を中心に、事例を持ち寄って検討します",
        venue="東京都千代田区霞が関1-1-1, 研修室A; 3階",
        online=True,
        meeting_url="https://meet.example.jp/secret-room",
    )
    response = browser(coordinator).get(f"{workshop.url}calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.ics"')
    body = response.content.decode("utf-8")

    assert "\r\n" in body and "\n" not in body.replace("\r\n", "")
    for physical in body.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1

    values = properties(lines)
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"):
        assert values.get(name), name
    for name in ("DTSTAMP", "DTSTART", "DTEND"):
        assert UTC_STAMP.match(values[name]), values[name]
    starts = datetime.datetime.strptime(values["DTSTART"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    ends = datetime.datetime.strptime(values["DTEND"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    assert starts == workshop.starts_at
    assert ends == workshop.ends_at
    assert unescape(values["SUMMARY"]) == workshop.title
    assert unescape(values["LOCATION"]).startswith("東京都千代田区霞が関1-1-1, 研修室A; 3階 / ")
    assert values["URL"] == workshop.get_full_url()
    assert values["URL"].startswith("http") and values["URL"].endswith(workshop.url)
    # Not registered: the meeting link stays out of the file.
    assert "secret-room" not in body


def test_the_meeting_url_is_in_the_calendar_file_of_a_registered_member(
    make_workshop, browser, coordinator
):
    workshop = make_workshop(
        venue="", online=True, meeting_url="https://meet.example.jp/secret-room"
    )
    Registration.objects.create(
        workshop=workshop, user=coordinator, status=Registration.Status.REGISTERED
    )
    body = browser(coordinator).get(f"{workshop.url}calendar/").content.decode()
    assert "https://meet.example.jp/secret-room" in unescape(
        properties(unfold(body))["DESCRIPTION"]
    )


def test_the_calendar_file_is_behind_the_member_gate(make_workshop, browser, expired_coordinator):
    workshop = make_workshop()
    anonymous = browser().get(f"{workshop.url}calendar/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert browser(expired_coordinator).get(f"{workshop.url}calendar/").status_code == 403
