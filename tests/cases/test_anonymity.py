"""An anonymous case never names its author: not in the page, the list, the search indexes or
the digest. The author's own-data export holds their cases; nobody else's export does."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from modelsearch.conf import get_app_config
from wagtail.search import index

from cases.models import CaseStudyPage
from directory.models import Scope
from directory.services import consent_grant
from newsletters.models import DigestFrequency
from newsletters.selectors.digests import digest_sections
from newsletters.services.digests import digest_choose, digests_send
from portal.accounts import roles
from portal.accounts.models import today

pytestmark = pytest.mark.django_db

# A Wednesday: the digest covers Monday 2026-11-09 to Sunday 2026-11-15.
RUN_ON = datetime.date(2026, 11, 18)
IN_PERIOD = timezone.make_aware(datetime.datetime(2026, 11, 12, 10, 0))
EXPORT = "/accounts/profile/export/"
TITLE = "在留期限を過ぎかけた留学生への支援"


@pytest.fixture
def author(make_user, issue_certificate):
    """A valid coordinator listed in the members' directory, so a link to them could exist."""
    user = make_user(
        "kagemura-writer",
        roles.COORDINATOR,
        last_name="影村",
        first_name="静香",
        family_name_kana="かげむら",
        given_name_kana="しずか",
        family_name_romaji="Kagemura",
        given_name_romaji="Shizuka",
        email="shizuka.kagemura@example.jp",
    )
    issue_certificate(user, today() - datetime.timedelta(days=30))
    consent_grant(user, Scope.DIRECTORY, [])
    return user


@pytest.fixture
def anonymous_case(author, make_case):
    return make_case(author, live=True, title=TITLE, attribution="anonymous")


def identifying(user) -> list[str]:
    return [
        user.last_name,
        user.first_name,
        user.family_name_kana,
        user.given_name_kana,
        user.family_name_romaji,
        user.given_name_romaji,
        user.username,
        user.email,
    ]


def assert_nothing_identifying(text: str, user) -> None:
    lowered = text.lower()
    for value in identifying(user):
        assert value.lower() not in lowered, value


def assert_no_user_id_in_links(text: str, user) -> None:
    from directory.models import CoordinatorProfile

    profile_pk = CoordinatorProfile.objects.get(user=user).pk
    assert f"/directory/{profile_pk}/" not in text
    for href in re.findall(r'(?:href|src|action)="([^"]*)"', text):
        if any(word in href for word in ("directory", "user", "author", "owner", "profile")):
            # The key as a token of its own (not a digit inside an asset's version hash).
            assert not re.search(rf"(?<![0-9A-Za-z]){user.pk}(?![0-9A-Za-z])", href), href
    assert not re.search(r"data-(?:author|owner|user(?!bar))", text)
    for comment in re.findall(r"<!--(.*?)-->", text, flags=re.S):
        assert_nothing_identifying(comment, user)


# 1. Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer_fixture", ["coordinator", "editor", "moderator"])
def test_anonymous_case_page_names_nobody(
    request, client_for, anonymous_case, author, viewer_fixture
):
    viewer = request.getfixturevalue(viewer_fixture)
    response = client_for(viewer).get(anonymous_case.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE in page
    assert "Anonymous coordinator" in page or "匿名" in page
    assert_nothing_identifying(page, author)
    assert_no_user_id_in_links(page, author)


def test_named_case_names_its_author(client_for, coordinator, author, make_case):
    case = make_case(author, live=True, attribution="named")
    page = client_for(coordinator).get(case.url).content.decode()
    assert "影村" in page


def test_list_and_related_cases_name_nobody(
    client_for, coordinator, anonymous_case, author, make_case
):
    other = make_case(author, live=True, title="関連する別の事例")
    client = client_for(coordinator)
    for url in ("/cases/", other.url):
        page = client.get(url).content.decode()
        assert TITLE in page
        assert_nothing_identifying(page, author)
        assert_no_user_id_in_links(page, author)


# 2–3. Search indexes ----------------------------------------------------------------------


def test_no_search_field_names_the_author(anonymous_case):
    names = {getattr(field, "field_name", "") for field in CaseStudyPage.get_search_fields()}
    assert "author" not in names
    # Wagtail indexes every page's owner; a case never has one.
    assert anonymous_case.owner_id is None


def test_elasticsearch_document_names_nobody(anonymous_case, author):
    from wagtail.search.backends.elasticsearch9 import Elasticsearch9Mapping

    mapping = Elasticsearch9Mapping(CaseStudyPage)
    document = mapping.get_document(anonymous_case.specific)
    raw = json.dumps(document, ensure_ascii=False, default=str)
    assert TITLE in raw  # the document is the real one
    assert_nothing_identifying(raw, author)
    assert not any("author" in key for key in document)
    assert all(document[key] is None for key in document if "owner" in key)
    assert "author" not in json.dumps(mapping.get_mapping())


def test_database_index_entry_names_nobody(anonymous_case, author):
    from django.contrib.contenttypes.models import ContentType

    anonymous_case.save()
    index.insert_or_update_object(anonymous_case)
    IndexEntry = get_app_config().get_model("IndexEntry")
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CaseStudyPage),
        object_id=str(anonymous_case.pk),
    )
    rows = list(entries.values())
    assert rows, "the case is indexed"
    raw = json.dumps(rows, ensure_ascii=False, default=str)
    assert TITLE in raw
    assert_nothing_identifying(raw, author)


# 4. Digest --------------------------------------------------------------------------------


def test_digest_lists_the_case_without_its_author(coordinator, anonymous_case, author):
    CaseStudyPage.objects.filter(pk=anonymous_case.pk).update(first_published_at=IN_PERIOD)
    sections = digest_sections(coordinator, datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))
    [section] = [s for s in sections if s.key == "cases"]
    [item] = section.items
    assert item.title == TITLE and item.url.endswith(anonymous_case.url)
    assert item.summary == anonymous_case.summary

    digest_choose(coordinator, DigestFrequency.WEEKLY)
    assert digests_send(on=RUN_ON)["sent"] == 1
    [message] = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert TITLE in body
        assert_nothing_identifying(body, author)


def test_digest_leaves_out_cases_outside_the_period_or_unpublished(coordinator, author, make_case):
    draft = make_case(author, title="未公開の事例")
    old = make_case(author, live=True, title="先月の事例")
    CaseStudyPage.objects.filter(pk=draft.pk).update(first_published_at=IN_PERIOD)
    CaseStudyPage.objects.filter(pk=old.pk).update(
        first_published_at=IN_PERIOD - datetime.timedelta(days=30)
    )
    sections = digest_sections(coordinator, datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))
    assert not [s for s in sections if s.key == "cases"]


def test_no_digest_cases_for_an_expired_member(expired_coordinator, anonymous_case):
    CaseStudyPage.objects.filter(pk=anonymous_case.pk).update(first_published_at=IN_PERIOD)
    assert (
        digest_sections(
            expired_coordinator, datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)
        )
        == []
    )


# 5. Own-data export -----------------------------------------------------------------------


def test_export_holds_own_cases_including_drafts(client_for, author, coordinator, make_case):
    published = make_case(author, live=True, title=TITLE)
    make_case(author, title="書きかけの事例", summary="まだ下書きの要約。")
    submitted = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 0))
    CaseStudyPage.objects.filter(pk=published.pk).update(submitted_at=submitted)

    data = json.loads(client_for(author).get(EXPORT).content)
    rows = {row["title"]: row for row in data["cases"]}
    assert set(rows) == {TITLE, "書きかけの事例"}
    assert rows[TITLE]["state"] == "published"
    assert rows[TITLE]["attribution"] == "anonymous"
    assert rows[TITLE]["submitted_at"].startswith("2026-10-01")
    assert "20代の技能実習生" in rows[TITLE]["situation"]
    assert rows["書きかけの事例"]["state"] == "draft"
    assert rows["書きかけの事例"]["summary"] == "まだ下書きの要約。"

    client_for(coordinator)
    other = client_for(coordinator).get(EXPORT).content.decode()
    assert json.loads(other)["cases"] == []
    assert TITLE not in other and "書きかけの事例" not in other
