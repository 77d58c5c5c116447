"""A "Members' documents" collection: documents in it (or below it) are served only to admitted
members, like members-only pages.

Its privacy names the Coordinator group and the staff groups; the member gate
(``portal.accounts.gate.document_needs_gate``) also refuses coordinators whose certificate is not
valid, even while they are still in the group.
"""

from django.db import migrations

NAME = "Members' documents / 会員向け資料"
GROUPS = ("Coordinator", "Agency editor", "Moderator", "Administrator")
# django-treebeard's materialised path: four base-36 characters per level.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


def _step(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP, "0")


def create(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Group = apps.get_model("auth", "Group")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None or Collection.objects.filter(name=NAME).exists():
        return
    last = (
        Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    )
    number = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
    collection = Collection.objects.create(
        name=NAME, path=root.path + _step(number), depth=2, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="groups"
    )
    restriction.groups.set(Group.objects.filter(name__in=GROUPS))


def remove(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(name=NAME, depth=2).first()
    if collection is None:
        return
    root = Collection.objects.filter(depth=1).order_by("path").first()
    collection.delete()
    root.numchild = max(root.numchild - 1, 0)
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_certification_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
