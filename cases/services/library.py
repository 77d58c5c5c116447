"""Setting up the case library page: its workflow and the moderators' permissions there."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from portal.accounts.roles import MODERATOR

WORKFLOW = "Case moderation"
MODERATOR_PAGE_PERMISSIONS = ("change_page", "publish_page", "lock_page", "unlock_page")


def assign_case_moderation(index) -> None:
    """Cases under ``index`` go through the *Case moderation* workflow; moderators may change,
    publish (which approving needs), lock and unlock them there. Safe to call again."""
    WorkflowPage.objects.update_or_create(
        page=index, defaults={"workflow": Workflow.objects.get(name=WORKFLOW)}
    )
    group = Group.objects.get(name=MODERATOR)
    for codename in MODERATOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
