"""Who sees what: administrators and agency editors read every part and download every table;
moderators read and download the case-study part only; coordinators and anonymous visitors read
nothing. The admin menu and the admin home follow the same rule."""

import pytest
from django.urls import reverse

from .helpers import download_url, page_url

pytestmark = pytest.mark.django_db

PARTS = ("overview", "cases", "knowledge")
TABLES = {"overview": "coordinator-status", "cases": "case-states", "knowledge": "opinion-status"}


def statuses(client):
    pages = {part: client.get(page_url(part)).status_code for part in PARTS}
    tables = {part: client.get(download_url(key)).status_code for part, key in TABLES.items()}
    sections = {part: client.get(download_url(part, "xlsx")).status_code for part in PARTS}
    return pages, tables, sections


@pytest.mark.parametrize("role", ["administrator", "editor"])
def test_administrators_and_editors_read_everything(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    pages, tables, sections = statuses(client)
    assert pages == tables == sections == {"overview": 200, "cases": 200, "knowledge": 200}


def test_moderators_read_only_the_case_studies(moderator, client_for, english):
    client = client_for(english(moderator))
    pages, tables, sections = statuses(client)
    assert pages == tables == sections == {"overview": 403, "cases": 200, "knowledge": 403}
    refused = client.get(page_url("overview")).content.decode()
    assert "You do not have permission" in refused
    assert reverse("dashboard_cases") in refused  # where they may go instead
    assert "coordinator-status" not in refused


def test_coordinators_and_visitors_read_nothing(coordinator, client_for, client):
    for part in PARTS:
        response = client.get(page_url(part))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    client = client_for(coordinator)
    for part in PARTS:
        assert client.get(page_url(part)).status_code in (302, 403)
    assert client.get(download_url("coordinator-status")).status_code in (302, 403)


def test_menu_shows_the_parts_each_role_may_read(administrator, moderator, client_for):
    overview, cases = reverse("dashboard_overview"), reverse("dashboard_cases")
    home = client_for(administrator).get(reverse("wagtailadmin_home")).content.decode()
    assert f'"{overview}"' in home and f'"{cases}"' in home
    home = client_for(moderator).get(reverse("wagtailadmin_home")).content.decode()
    assert f'"{overview}"' not in home
    assert f'"{cases}"' in home


def test_admin_home_panels_follow_the_roles(
    administrator, editor, moderator, coordinator, client_for
):
    def panels(user):
        html = client_for(user).get(reverse("wagtailadmin_home")).content.decode()
        return {
            name
            for name in ("dashboard-coordinators", "dashboard-cases")
            if f'data-panel="{name}"' in html
        }

    assert panels(administrator) == {"dashboard-coordinators", "dashboard-cases"}
    assert panels(editor) == {"dashboard-coordinators", "dashboard-cases"}
    assert panels(moderator) == {"dashboard-cases"}


def test_admin_home_panel_counts_today(holder, administrator, client_for):
    import datetime

    from portal.accounts.models import today

    holder(today() - datetime.timedelta(days=40))
    holder(today() - datetime.timedelta(days=41))
    holder(datetime.date(2019, 6, 1))
    html = client_for(administrator).get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-part="valid">2<' in html
    assert 'data-part="expired">1<' in html
