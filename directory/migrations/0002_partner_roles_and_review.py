"""Partners: editors maintain and review them; a review workflow publishes suggestions.

Agency editors approve partner suggestions, so they hold the publish permission the approval
needs; the admin hides the direct "Publish" action from them (directory/wagtail_hooks.py), so
their own changes go through the same review.
"""

from django.db import migrations

from portal.accounts.migration_utils import ensure_permissions, get_permissions

EDITOR = {"directory.add_partner", "directory.change_partner", "directory.publish_partner"}
ADMINISTRATOR = EDITOR | {
    "directory.delete_partner",
    "directory.lock_partner",
    "directory.unlock_partner",
    "directory.view_coordinatorprofile",
    "directory.view_consent",
}


def _snippet_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="directory", model="partner")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_partner",
            defaults={"name": f"Can {action} partner"},
        )
    return content_type


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    partner_type = _snippet_permissions(apps)
    Group = apps.get_model("auth.Group")
    Group.objects.get(name="Agency editor").permissions.add(*get_permissions(apps, EDITOR))
    Group.objects.get(name="Administrator").permissions.add(*get_permissions(apps, ADMINISTRATOR))

    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="Review by an agency editor", defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([Group.objects.get(name="Agency editor")])
    workflow, _ = Workflow.objects.get_or_create(name="Partner review", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=partner_type, defaults={"workflow": workflow}
    )


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Workflow.objects.filter(name="Partner review").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("accounts", "0004_certification_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
