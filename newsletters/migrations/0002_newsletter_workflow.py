"""Newsletter issues go through interviewee confirmation before the agency's approval.

The "Newsletter approval" workflow runs the interviewee confirmation task, then the same
approval task as every other page. It is assigned to the newsletter index page when that page is
created (see hooks/interviews.py), and here to any that already exists.
"""

from django.db import migrations

WORKFLOW = "Newsletter approval"
CONFIRMATION = "Interviewee confirmation"
APPROVAL = "Approval by an administrator"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ConfirmationTask = apps.get_model("newsletters", "IntervieweeConfirmationTask")
    NewsletterIndexPage = apps.get_model("newsletters", "NewsletterIndexPage")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="newsletters", model="intervieweeconfirmationtask"
    )
    confirmation = ConfirmationTask.objects.filter(name=CONFIRMATION).first()
    if confirmation is None:
        confirmation = ConfirmationTask.objects.create(
            name=CONFIRMATION, content_type=task_type, active=True
        )
    approval = Task.objects.get(name=APPROVAL)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=confirmation.pk, defaults={"sort_order": 0}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=approval, defaults={"sort_order": 1})
    for index in NewsletterIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW).delete()
    apps.get_model("newsletters", "IntervieweeConfirmationTask").objects.filter(
        name=CONFIRMATION
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
