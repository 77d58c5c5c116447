"""The *Case moderation* workflow: one task, given to the Moderator group.

It is assigned to the case library page when that page is created (``cases.services.library``),
together with the moderators' page permissions there.
"""

from django.db import migrations

WORKFLOW = "Case moderation"
TASK = "Review by a moderator"
GROUP = "Moderator"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    CaseModerationTask = apps.get_model("cases", "CaseModerationTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="cases", model="casemoderationtask")
    task = CaseModerationTask.objects.filter(name=TASK).first()
    if task is None:
        task = CaseModerationTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set(Group.objects.filter(name=GROUP))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("cases", "CaseModerationTask").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("accounts", "0005_members_documents"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
