import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import WorkflowState

from directory.models import Partner
from portal.taxonomy.models import Field, Language, Prefecture

pytestmark = pytest.mark.django_db


def make_partner(slug, field_slug="housing", prefectures=(), nationwide=False, live=True, **extra):
    partner = Partner(
        slug=slug,
        name_ja=extra.pop("name_ja", f"連携先 {slug}"),
        name_en=extra.pop("name_en", f"Partner {slug}"),
        kind=extra.pop("kind", "npo-support-group"),
        level=extra.pop("level", "private"),
        nationwide=nationwide,
        live=live,
        **extra,
    )
    partner.save()
    partner.fields.set([Field.objects.get(slug=field_slug)])
    partner.prefectures.set(Prefecture.objects.filter(code__in=prefectures))
    partner.save()  # parental many-to-many relations are written on save
    partner.save_revision()
    return partner


def test_list_groups_by_field_and_filters_by_prefecture(client_for, coordinator):
    make_partner("tokyo-housing", prefectures=["JP-13"])
    make_partner("osaka-housing", prefectures=["JP-27"])
    make_partner("national-legal", field_slug="legal-trouble-crime", nationwide=True)
    make_partner("draft-one", prefectures=["JP-13"], live=False)
    client = client_for(coordinator)
    client.cookies["portal_language"] = "en"
    page = client.get("/partners/").content.decode()
    housing = page[page.index('id="field-housing"') : page.index('id="field-taxes-public-dues"')]
    assert "Partner tokyo-housing" in housing and "Partner osaka-housing" in housing
    assert "draft-one" not in page  # unpublished
    tokyo = Prefecture.objects.get(code="JP-13")
    page = client.get("/partners/", {"prefecture": tokyo.pk}).content.decode()
    assert "Partner tokyo-housing" in page
    assert "Partner osaka-housing" not in page
    assert "Partner national-legal" in page  # nationwide partners cover every prefecture


def test_language_and_level_filters(client_for, coordinator):
    vietnamese = Language.objects.get(code="vi")
    speaks = make_partner("speaks-vi", prefectures=["JP-13"], level="municipal")
    speaks.languages.set([vietnamese])
    speaks.save()
    make_partner("no-vi", prefectures=["JP-13"], level="national")
    client = client_for(coordinator)
    page = client.get("/partners/", {"language": vietnamese.pk}).content.decode()
    assert "speaks-vi" in page and "no-vi" not in page
    page = client.get("/partners/", {"level": "national"}).content.decode()
    assert "no-vi" in page and "speaks-vi" not in page


def test_a_field_with_many_partners_shows_ten_then_pages(client_for, coordinator):
    for index in range(60):
        make_partner(f"many-{index:02d}", prefectures=["JP-13"])
    client = client_for(coordinator)
    page = client.get("/partners/").content.decode()
    assert page.count('href="/partners/many-') == 10
    assert "?field=housing" in page
    field_page = client.get("/partners/", {"field": "housing"}).content.decode()
    assert field_page.count('href="/partners/many-') == 50
    second = client.get("/partners/", {"field": "housing", "page": 2}).content.decode()
    assert second.count('href="/partners/many-') == 10


def _partner_queries(client) -> tuple[int, int]:
    """Queries of /partners/ with an empty cache, then with the list cached."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/partners/").status_code == 200
        counts.append(len(queries))
    return tuple(counts)


def test_partner_list_query_count_does_not_grow(client_for, coordinator):
    client = client_for(coordinator)
    for index in range(5):
        make_partner(f"few-{index}", prefectures=["JP-13"])
    client.get("/partners/")  # the first request of a session does a little more
    few = _partner_queries(client)
    for index in range(60):
        make_partner(
            f"more-{index}", field_slug=Field.objects.counted()[index % 20].slug, nationwide=True
        )
    more = _partner_queries(client)
    assert more == few
    cold, warm = more
    assert warm < cold  # the cached list spares the partner queries


def test_cached_partner_list_follows_publishing(client_for, coordinator):
    client = client_for(coordinator)
    make_partner("first-one", prefectures=["JP-13"])
    assert 'href="/partners/first-one/"' in client.get("/partners/").content.decode()
    second = make_partner("second-one", prefectures=["JP-13"])
    page = client.get("/partners/").content.decode()
    assert 'href="/partners/second-one/"' in page
    second.live = False
    second.save()
    assert 'href="/partners/second-one/"' not in client.get("/partners/").content.decode()


def test_renamed_field_shows_at_once_in_the_cached_partner_list(client_for, coordinator):
    client = client_for(coordinator)
    make_partner("renamed-field", prefectures=["JP-13"])
    client.get("/partners/")
    housing = Field.objects.get(slug="housing")
    housing.name_ja = "住まいの相談（改称）"
    housing.save()
    page = client.get("/partners/").content.decode()
    assert "住まいの相談（改称）" in page  # heading and the field filter


def test_detail_only_for_live_partners_and_members(client_for, coordinator, expired_coordinator):
    make_partner("live-one", prefectures=["JP-13"], phone="03-0000-0000")
    make_partner("hidden-draft", prefectures=["JP-13"], live=False)
    member = client_for(coordinator)
    assert "03-0000-0000" in member.get("/partners/live-one/").content.decode()
    assert member.get("/partners/hidden-draft/").status_code == 404
    assert Client().get("/partners/live-one/").status_code == 302
    assert client_for(expired_coordinator).get("/partners/live-one/").status_code == 403


def _suggestion(**overrides):
    data = {
        "name_ja": "新しい相談室",
        "name_en": "New Desk",
        "kind": "npo-support-group",
        "level": "private",
        "fields": [Field.objects.get(slug="housing").pk],
        "nationwide": "on",
    }
    data.update(overrides)
    return data


def test_suggestion_waits_for_review(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post("/partners/suggest/", _suggestion())
    assert response.status_code == 302
    partner = Partner.objects.get(name_en="New Desk")
    assert not partner.live
    assert partner.suggested_by == coordinator
    assert WorkflowState.objects.filter(object_id=str(partner.pk), status="in_progress").exists()
    assert "New Desk" not in client.get("/partners/").content.decode()


def test_suggestion_needs_an_area(client_for, coordinator):
    response = client_for(coordinator).post("/partners/suggest/", _suggestion(nationwide=""))
    assert response.status_code == 200
    assert "prefectures" in response.context["form"].errors
    assert not Partner.objects.filter(name_en="New Desk").exists()


def test_correction_leaves_the_live_partner_unchanged_until_approved(client_for, coordinator):
    partner = make_partner("fix-me", prefectures=["JP-13"], phone="03-1111-1111")
    client = client_for(coordinator)
    data = _suggestion(name_ja=partner.name_ja, name_en=partner.name_en, phone="03-2222-2222")
    assert client.post("/partners/fix-me/correct/", data).status_code == 302
    partner.refresh_from_db()
    assert partner.phone == "03-1111-1111"
    assert partner.latest_revision.content["phone"] == "03-2222-2222"
    again = client.post("/partners/fix-me/correct/", data)
    assert again.status_code == 200  # one review at a time
    assert again.context["form"].non_field_errors()


def test_editors_do_not_get_a_direct_publish_button(client_for, editor, administrator):
    partner = make_partner("button-check", prefectures=["JP-13"])
    url = f"/admin/snippets/directory/partner/edit/{partner.pk}/"
    assert 'name="action-publish"' not in client_for(editor).get(url).content.decode()
    assert 'name="action-publish"' in client_for(administrator).get(url).content.decode()
