import re

import pytest

from directory import services

pytestmark = pytest.mark.django_db


def test_administrators_see_members_who_reached_the_view_limit(
    settings, client_for, coordinator, administrator, editor
):
    settings.PORTAL_DIRECTORY_DAILY_VIEWS = 1
    assert services.detail_view_allowed(coordinator)
    assert not services.detail_view_allowed(coordinator)
    page = client_for(administrator).get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "directory-alerts-heading" in page
    assert coordinator.get_username() in page
    page = client_for(editor).get("/admin/").content.decode()
    # Editors get no alert panel, and the member's name appears nowhere as text.
    assert "directory-alerts-heading" not in page
    assert not re.search(rf"\b{re.escape(coordinator.get_username())}\b", page)
