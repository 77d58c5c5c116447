"""Everyone on the register of certificates holds the Coordinator role.

Holders created by the register import were left without it, so notices, questionnaires and
the members' documents collection (which all name the Coordinator group) missed them.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Certificate = apps.get_model("accounts", "Certificate")
    User = apps.get_model("accounts", "User")
    group = Group.objects.filter(name="Coordinator").first()
    if group is None:
        return
    holders = set(Certificate.objects.values_list("holder_id", flat=True).distinct())
    members = set(group.user_set.values_list("pk", flat=True))
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=pk, group_id=group.pk) for pk in sorted(holders - members)],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_members_documents")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
