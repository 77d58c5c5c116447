"""The demo workshops: two published workshops, the same rows on every run, and they render."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

pytestmark = pytest.mark.django_db


def _rows():
    return {
        "index": list(WorkshopIndexPage.objects.order_by("pk").values_list("pk", "slug", "title")),
        "workshops": list(
            WorkshopPage.objects.order_by("pk").values_list(
                "pk",
                "slug",
                "title",
                "live",
                "starts_at",
                "ends_at",
                "registration_deadline",
                "capacity",
                "venue",
                "online",
                "meeting_url",
            )
        ),
        "themes": list(
            WorkshopPage.themes.through.objects.order_by("pk").values_list(
                "workshoppage_id", "field_id"
            )
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "workshop_id", "user__username", "status", "created_at"
            )
        ),
    }


def test_seed_demo_adds_two_workshops_and_gives_the_same_rows_twice():
    call_command("seed_demo", stdout=io.StringIO())
    first = _rows()
    call_command("seed_demo", stdout=io.StringIO())
    assert _rows() == first

    index = WorkshopIndexPage.objects.get()
    assert (index.slug, index.title, index.live) == ("workshops", "事例検討会", True)
    workshops = list(WorkshopPage.objects.live().child_of(index).order_by("starts_at"))
    assert len(workshops) == 2
    online, venue = workshops
    assert online.online and online.meeting_url and not online.venue
    assert venue.venue and not venue.online
    now = timezone.now()
    for workshop in workshops:
        assert workshop.starts_at > now
        assert now < workshop.registration_deadline <= workshop.starts_at
        assert workshop.themes.count() == 3
    assert list(Registration.objects.values_list("workshop_id", "user__username", "status")) == [
        (online.pk, "coordinator", Registration.Status.REGISTERED)
    ]


def test_demo_workshops_render_for_the_demo_coordinator(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(username="coordinator", password="portal-demo")
    listing = client.get("/workshops/")
    assert listing.status_code == 200
    content = listing.content.decode()
    for workshop in WorkshopPage.objects.all():
        assert workshop.title in content
        page = client.get(workshop.url)
        assert page.status_code == 200
        assert workshop.title in page.content.decode()
