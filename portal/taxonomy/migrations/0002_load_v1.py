from django.db import migrations

from portal.taxonomy.loader import load


def load_v1(apps, schema_editor):
    load(apps, "v1")


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load_v1, migrations.RunPython.noop)]
