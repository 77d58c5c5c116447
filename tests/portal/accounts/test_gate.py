import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from portal.accounts import roles
from portal.home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db

MEMBERS = "/members/"


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(MEMBERS)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={MEMBERS}"


def test_valid_coordinator_enters(client_for, coordinator):
    response = client_for(coordinator).get(MEMBERS)
    assert response.status_code == 200
    content = response.content.decode()
    assert coordinator.current_certificate().number in content


@pytest.mark.parametrize("role_fixture", ["editor", "moderator", "administrator"])
def test_staff_enter_without_a_certificate(client_for, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    response = client_for(user).get(MEMBERS)
    assert response.status_code == 200
    assert "staff accounts hold no certificate" in response.content.decode() or (
        "職員" in response.content.decode()
    )


def test_expired_coordinator_gets_the_bilingual_renewal_page(client_for, expired_coordinator):
    response = client_for(expired_coordinator).get(MEMBERS)
    assert response.status_code == 403
    content = response.content.decode()
    certificate = expired_coordinator.current_certificate()
    assert certificate.number in content
    assert "2023-03-31" in content
    # Japanese interface first, English beside it.
    assert "更新研修" in content
    assert "renewal training" in content
    assert 'lang="en"' in content
    # Never member content.
    assert "Your case studies" not in content and "あなたの事例" not in content


def test_revoked_coordinator_gets_the_renewal_page(client_for, revoked_coordinator):
    response = client_for(revoked_coordinator).get(MEMBERS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "was revoked on" in response.content.decode()


def test_user_without_certificate_is_refused(client_for, make_user):
    response = client_for(make_user("no-cert", roles.COORDINATOR)).get(MEMBERS)
    assert response.status_code == 403


def test_inactive_user_is_not_admitted(client, coordinator):
    client.force_login(coordinator)
    coordinator.is_active = False
    coordinator.save()
    response = client.get(MEMBERS)
    assert response.status_code == 302


@pytest.fixture
def members_page():
    home = HomePage.objects.get()
    page = StandardPage(title="Members' guide", slug="members-guide")
    home.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=roles.COORDINATOR))
    return Page.objects.get(pk=page.pk)


def test_page_private_to_coordinators_applies_the_gate(
    client, members_page, coordinator, expired_coordinator
):
    url = members_page.url
    assert client.get(url).status_code == 302
    client.force_login(expired_coordinator)
    response = client.get(url)
    assert response.status_code == 403
    assert "renewal" in response.content.decode() or "更新" in response.content.decode()
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_member_page_query_count_is_bounded(client_for, coordinator, django_assert_max_num_queries):
    client = client_for(coordinator)
    client.get(MEMBERS)  # the first request of a site creates its settings row
    # Session, user, permissions, certificate (gate and page), site, settings, the newest
    # notices (restrictions, prefectures, pages) and open questionnaires (index page, pages):
    # a fixed number, whatever the member's data.
    with django_assert_max_num_queries(14):
        assert client.get(MEMBERS).status_code == 200
