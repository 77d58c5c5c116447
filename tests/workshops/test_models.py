"""What an editor is told when a workshop's dates or place do not make sense."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db


def _page(**fields):
    starts_at = timezone.now() + datetime.timedelta(days=10)
    values = {
        "title": "事例検討会",
        "slug": "check",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "registration_deadline": starts_at - datetime.timedelta(days=1),
        "capacity": 10,
        "venue": "会議室",
    }
    values.update(fields)
    return WorkshopPage(**values)


def _errors(page) -> dict:
    with pytest.raises(ValidationError) as error:
        page.clean()
    return error.value.message_dict


def test_a_sensible_workshop_is_valid():
    _page().clean()
    _page(venue="", online=True, meeting_url="https://meet.example.jp/a").clean()


def test_the_end_must_come_after_the_start():
    page = _page()
    page.ends_at = page.starts_at
    assert "ends_at" in _errors(page)


def test_the_deadline_may_not_be_after_the_start():
    page = _page()
    page.registration_deadline = page.starts_at + datetime.timedelta(minutes=1)
    assert "registration_deadline" in _errors(page)
    page.registration_deadline = page.starts_at
    page.clean()


def test_a_workshop_needs_a_venue_or_to_be_online():
    assert "venue" in _errors(_page(venue="  ", online=False))


def test_a_meeting_url_belongs_to_an_online_workshop():
    assert "meeting_url" in _errors(_page(meeting_url="https://meet.example.jp/a"))


def test_capacity_must_be_positive(workshop_index):
    page = _page(capacity=0)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "capacity" in error.value.message_dict


def test_location_reads_as_one_line():
    assert _page(venue="会議室", online=True).location in {"会議室 / Online", "会議室 / オンライン"}
    assert _page(venue="", online=True).location in {"Online", "オンライン"}


def test_editors_get_the_workshop_form_and_can_preview_a_new_workshop(
    workshop_index, client_for, administrator, rf
):
    client = client_for(administrator)
    url = f"/admin/pages/add/workshops/workshoppage/{workshop_index.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("starts_at", "registration_deadline", "capacity", "meeting_url", "themes"):
        assert f'name="{name}' in content, name

    # The preview of a page that was never saved renders without registrations.
    request = rf.get("/")
    request.user = administrator
    request.is_preview = True
    # As the admin does for a page that was never saved: a place in the tree, no primary key.
    page = _page()
    page.depth = workshop_index.depth + 1
    page.path = page._get_path(workshop_index.path, page.depth, 1)
    page.set_url_path(workshop_index)
    rendered = page.serve_preview(request, "")
    rendered.render()
    assert rendered.status_code == 200
    assert "事例検討会" in rendered.content.decode()
