"""Administrators run the certification lifecycle: import, export, renew, revoke, disqualify."""

from django.db import migrations

from portal.accounts.migration_utils import ensure_permissions, get_permissions

ADDED = {
    "accounts.import_register",
    "accounts.export_register",
    "accounts.renew_certificate",
    "accounts.revoke_certificate",
    "accounts.add_disqualification",
    "accounts.change_disqualification",
    "accounts.view_disqualification",
    "accounts.view_registerimport",
}


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Group.objects.get(name="Administrator").permissions.add(*get_permissions(apps, ADDED))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Group.objects.get(name="Administrator").permissions.remove(*get_permissions(apps, ADDED))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_certification_lifecycle")]

    operations = [migrations.RunPython(grant, revoke)]
