"""Helpers for data migrations that create roles and grant permissions.

Migrations call these with frozen permission lists of their own, so a later change to
``roles.py`` never rewrites history.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Create auth permissions for every app now (Django otherwise waits for post_migrate)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def get_permissions(apps, names):
    Permission = apps.get_model("auth.Permission")
    found = []
    for name in sorted(names):
        app_label, codename = name.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def set_group_permissions(apps, group_name: str, names) -> None:
    Group = apps.get_model("auth.Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.set(get_permissions(apps, names))


def set_root_page_permissions(apps, group_name: str, codenames) -> None:
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    group = Group.objects.get(name=group_name)
    root = Page.objects.get(depth=1)
    GroupPagePermission.objects.filter(group=group).delete()
    for permission in get_permissions(apps, {f"wagtailcore.{c}" for c in codenames}):
        GroupPagePermission.objects.create(group=group, page=root, permission=permission)


def set_root_collection_permissions(apps, group_name: str, names) -> None:
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    group = Group.objects.get(name=group_name)
    root = Collection.objects.get(depth=1)
    GroupCollectionPermission.objects.filter(group=group).delete()
    for permission in get_permissions(apps, names):
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission=permission
        )
