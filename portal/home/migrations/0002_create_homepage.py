from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    if HomePage.objects.exists():
        return
    # Replace the placeholder page that wagtailcore's initial data creates (its Site goes with it).
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    root = Page.objects.get(depth=1)
    if Page.objects.filter(depth=2).exists():
        return
    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = HomePage.objects.create(
        title="支援コーディネーターポータル",
        draft_title="支援コーディネーターポータル",
        slug="home",
        content_type=home_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page_id=home.pk,
        is_default_site=True,
        site_name="Support Coordinator Portal",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
