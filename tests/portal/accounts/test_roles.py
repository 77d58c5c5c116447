import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Workflow

from portal.accounts import roles

pytestmark = pytest.mark.django_db


def _names(permissions):
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_exactly_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) == {
        roles.COORDINATOR,
        roles.AGENCY_EDITOR,
        roles.MODERATOR,
        roles.ADMINISTRATOR,
    }


@pytest.mark.parametrize("role", list(roles.ROLE_PERMISSIONS))
def test_group_permissions_match_the_role_definition(role):
    group = Group.objects.get(name=role)
    assert _names(group.permissions.select_related("content_type")) == roles.ROLE_PERMISSIONS[role]
    page_codenames = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert page_codenames == roles.ROLE_PAGE_PERMISSIONS[role]
    collection = {
        f"{p.permission.content_type.app_label}.{p.permission.codename}"
        for p in GroupCollectionPermission.objects.filter(group=group).select_related(
            "permission__content_type"
        )
    }
    assert collection == roles.ROLE_COLLECTION_PERMISSIONS[role]


def test_only_administrators_manage_users():
    user_perms = Permission.objects.filter(
        content_type__app_label__in=["accounts", "auth"],
        codename__in=["add_user", "change_user", "delete_user", "add_group", "change_group"],
    )
    holders = set(Group.objects.filter(permissions__in=user_perms).values_list("name", flat=True))
    assert holders == {roles.ADMINISTRATOR}


def test_editors_cannot_publish_pages():
    assert not GroupPagePermission.objects.filter(
        group__name=roles.AGENCY_EDITOR, permission__codename="publish_page"
    ).exists()


def test_pages_go_through_the_agency_approval_workflow():
    workflow = Workflow.objects.get(name=roles.APPROVAL_WORKFLOW_NAME)
    assert workflow.active
    [task] = workflow.tasks.all()
    assert list(task.specific.groups.values_list("name", flat=True)) == [roles.APPROVER_GROUP]
    assert workflow.workflow_pages.filter(page__depth=1).exists()


def test_editor_cannot_reach_user_management(client_for, editor):
    client = client_for(editor)
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/users/", "/admin/users/new/", "/admin/groups/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/"), url
            assert "/users/" not in response["Location"]


def test_administrator_manages_users(client_for, administrator):
    client = client_for(administrator)
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/users/new/").status_code == 200


def test_moderator_cannot_edit_pages_or_taxonomy(client_for, moderator):
    from portal.home.models import HomePage

    client = client_for(moderator)
    home = HomePage.objects.get()
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.get("/admin/snippets/taxonomy/field/")
    assert response.status_code in (302, 403)


def test_editor_maintains_taxonomy_but_cannot_delete(client_for, editor):
    from portal.taxonomy.models import Field

    client = client_for(editor)
    field = Field.objects.get(slug="housing")
    assert client.get("/admin/snippets/taxonomy/field/").status_code == 200
    assert client.get(f"/admin/snippets/taxonomy/field/edit/{field.pk}/").status_code == 200
    response = client.get(f"/admin/snippets/taxonomy/field/delete/{field.pk}/")
    assert response.status_code in (302, 403)


def test_coordinator_cannot_enter_the_admin(client_for, coordinator):
    response = client_for(coordinator).get("/admin/")
    assert response.status_code in (302, 403)
