"""Create the four roles with exact permissions, replacing Wagtail's default groups.

The permission lists are frozen here; ``portal/accounts/roles.py`` states the current truth and a
test checks that the database matches it.
"""

from django.db import migrations

from portal.accounts.migration_utils import (
    ensure_permissions,
    set_group_permissions,
    set_root_collection_permissions,
    set_root_page_permissions,
)

TAXONOMY = ("field", "prefecture", "language", "qualification", "immigrationbureau")

GROUPS = {
    "Coordinator": set(),
    "Agency editor": {"wagtailadmin.access_admin"}
    | {f"taxonomy.{a}_{m}" for m in TAXONOMY for a in ("add", "change")},
    "Moderator": {"wagtailadmin.access_admin"},
    "Administrator": {"wagtailadmin.access_admin", "home.change_sitesettings"}
    | {f"accounts.{a}_user" for a in ("add", "change", "delete", "view")}
    | {f"auth.{a}_group" for a in ("add", "change", "delete", "view")}
    | {f"accounts.{a}_certificate" for a in ("add", "change", "view")}
    | {f"taxonomy.{a}_{m}" for m in TAXONOMY for a in ("add", "change", "delete", "view")}
    | {f"wagtailcore.{a}_{m}" for a in ("add", "change", "delete") for m in ("workflow", "task")}
    | {f"wagtailcore.{a}_collection" for a in ("add", "change", "delete")}
    | {f"wagtailredirects.{a}_redirect" for a in ("add", "change", "delete")},
}

PAGE = {
    "Agency editor": {"add_page", "change_page"},
    "Administrator": {
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    },
}

COLLECTION = {
    "Agency editor": {
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    },
    "Administrator": {
        f"{app}.{a}_{m}"
        for app, m in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for a in ("add", "change", "delete", "choose")
    },
}


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    for name, permissions in GROUPS.items():
        set_group_permissions(apps, name, permissions)
    for name, codenames in PAGE.items():
        set_root_page_permissions(apps, name, codenames)
    for name, permissions in COLLECTION.items():
        set_root_collection_permissions(apps, name, permissions)

    # Pages go through one approval workflow whose task belongs to the administrators.
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name="Moderators approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Moderators approval", content_type=task_type, active=True
        )
    task.name = "Approval by an administrator"
    task.save()
    task.groups.set([Group.objects.get(name="Administrator")])

    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Moderators approval", active=True)
    workflow.name = "Agency approval"
    workflow.save()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(
        page=Page.objects.get(depth=1), defaults={"workflow": workflow}
    )

    # Wagtail's stock groups would grant publishing outside the workflow.
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taxonomy", "0002_load_v1"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
