"""A small iCalendar (RFC 5545) writer for one event: enough for calendar apps to import a
workshop, with text escaped, times in UTC and long lines folded at 75 octets."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC ("Z") form, e.g. 20270215T010000Z."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line so no physical line is longer than 75 octets (RFC 5545 §3.1).

    Continuation lines start with one space; multi-byte UTF-8 characters are never split."""
    lines = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > MAX_OCTETS:
            lines.append(current)
            current = b" " + encoded
        else:
            current += encoded
    lines.append(current)
    return CRLF.join(part.decode("utf-8") for part in lines)


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    stamp: datetime.datetime | None = None


def calendar(event: Event, product_id: str) -> str:
    """The whole VCALENDAR with one VEVENT, CRLF line endings included."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product_id}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(event.stamp or timezone.now())}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        # URL is of type URI: not TEXT-escaped.
        lines.append(f"URL:{event.url}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
