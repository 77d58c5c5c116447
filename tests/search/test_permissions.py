"""The search page shows each viewer only what they may see, in the HTML, the JSON, the facets and
the counts: anonymous visitors and expired coordinators public items only, valid coordinators and
staff member items too; drafts, unpublished and expired items never; directory profiles only while
listed, with only the parts consented for the viewer's scope."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory import services as directory_services
from newsletters.models import NoticePage
from portal.accounts import roles

from . import site_content as content

pytestmark = pytest.mark.django_db

QUERY = "在留"

PUBLIC = {"PUBNOTICE", "佐藤 花子"}
MEMBERS = {"MEMNOTICE", "CASEPUB", "NEWSLETTERPUB", "WORKSHOPPUB", "PARTNERLIVE", "山田 一郎"}
NEVER = {
    "DRAFTNOTICE",
    "EXPIREDNOTICE",
    "CASEDRAFT",
    "CASEUNPUB",
    "PARTNERDRAFT",
    "鈴木 次郎",  # no consent
    "作者名",  # the author of an anonymous case
    "hidden-contact@example.jp",  # contact details are never part of a search result
    "099-555-0123",
}
# Optional parts of the directory card (see tests/directory/test_consent.py).
WORKPLACE, BIO = "秘密の職場", "秘密の自己紹介"


@pytest.fixture
def corpus(make_user, issue_certificate):
    """One item of every kind containing 在留資格 (never 在留 on its own), visible or not."""
    member_fields = {
        "notice": content.field("medical-health"),
        "case": content.field("labour-conditions"),
        "workshop": content.field("japanese-language"),
    }
    public_field = content.field("residence-status")
    content.notice(
        "PUBNOTICE 公開のお知らせ",
        fields=[public_field],
        prefectures=[content.prefecture(content.TOKYO)],
    )
    content.notice("MEMNOTICE 会員向け", audience="members", fields=[member_fields["notice"]])
    content.notice("DRAFTNOTICE 下書き", live=False)
    expired = content.notice("EXPIREDNOTICE 期限切れ")
    NoticePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(days=1)
    )
    author = make_user("case-author", roles.COORDINATOR, last_name="秘匿", first_name="作者名")
    content.case(author, "CASEPUB 在留資格の変更", fields=[member_fields["case"]])
    content.case(author, "CASEDRAFT 在留資格", state="draft", live=False)
    content.case(author, "CASEUNPUB 在留資格", state="unpublished")
    content.newsletter("NEWSLETTERPUB 号", author)
    content.workshop("WORKSHOPPUB 検討会", themes=[member_fields["workshop"]])
    content.partner("PARTNERLIVE 窓口", field_slug="taxes-public-dues", prefectures=["JP-27"])
    content.partner("PARTNERDRAFT 窓口", live=False)
    names = {
        "directory-only": ("山田", "一郎", "やまだ", "いちろう", "Yamada", "Ichiro"),
        "both": ("佐藤", "花子", "さとう", "はなこ", "Sato", "Hanako"),
        "none": ("鈴木", "次郎", "すずき", "じろう", "Suzuki", "Jiro"),
    }
    content.profile(
        make_user,
        issue_certificate,
        "listed-directory",
        consents={"directory": {"workplace", "bio", "contact"}},
        names=names["directory-only"],
        municipalities="在留市",
    )
    content.profile(
        make_user,
        issue_certificate,
        "listed-both",
        consents={"directory": {"bio"}, "public": set()},
        names=names["both"],
        municipalities="在留町",
    )
    content.profile(
        make_user,
        issue_certificate,
        "not-listed",
        consents={},
        names=names["none"],
        municipalities="在留村",
    )
    return {"member_fields": member_fields, "public_field": public_field}


@pytest.fixture
def viewer(request, coordinator, expired_coordinator, editor):
    return {
        "anonymous": None,
        "expired": expired_coordinator,
        "coordinator": coordinator,
        "editor": editor,
    }[request.param]


def _get(client, user, **params):
    if user is not None:
        client.force_login(user)
    html = client.get("/search/", {"q": QUERY, **params})
    data = client.get("/search/", {"q": QUERY, "format": "json", **params})
    assert html.status_code == data.status_code == 200
    return html.content.decode(), data.json()


ROLES = ["anonymous", "expired", "coordinator", "editor"]
MEMBER_ROLES = {"coordinator", "editor"}


@pytest.mark.parametrize("viewer", ROLES, indirect=True)
def test_each_role_sees_only_what_it_may(client, corpus, viewer, request):
    role = request.node.callspec.params["viewer"]
    html, data = _get(client, viewer)
    member = role in MEMBER_ROLES
    allowed = PUBLIC | (MEMBERS if member else set())
    forbidden = NEVER | (set() if member else MEMBERS)
    titles = " ".join(hit["title"] for hit in data["results"])
    for marker in allowed:
        assert marker in html, marker
        assert marker in titles, marker
    for marker in forbidden:
        assert marker not in html, marker
        assert marker not in str(data), marker
    # Counts: the total and every facet count cover visible results only.
    assert data["total"] == len(allowed) == len(data["results"])
    type_counts = {row["value"]: row["count"] for row in data["facets"]["type"]}
    expected_types = (
        {"notice": 2, "case": 1, "newsletter": 1, "workshop": 1, "partner": 1, "coordinator": 2}
        if member
        else {"notice": 1, "coordinator": 1}
    )
    assert type_counts == expected_types
    field_ids = {row["value"] for row in data["facets"]["field"]}
    member_field_ids = {f.pk for f in corpus["member_fields"].values()}
    if member:
        assert member_field_ids <= field_ids
    else:
        assert field_ids == {corpus["public_field"].pk}
        for member_field in corpus["member_fields"].values():
            assert member_field.name not in html
        assert {row["label"] for row in data["facets"]["prefecture"]} == {
            content.prefecture(content.TOKYO).name
        }
        assert [row["count"] for row in data["facets"]["field"]] == [2]


@pytest.mark.parametrize("viewer", ROLES, indirect=True)
def test_filters_never_reveal_hidden_items(client, corpus, viewer, request):
    """Asking for a member type, field or prefecture gives an anonymous visitor nothing more."""
    role = request.node.callspec.params["viewer"]
    case_field = corpus["member_fields"]["case"]
    for params in (
        {"type": "case"},
        {"type": "partner"},
        {"type": "workshop"},
        {"type": "newsletter"},
        {"field": case_field.pk},
        {"prefecture": content.prefecture(content.OSAKA).pk},
    ):
        html, data = _get(client, viewer, **params)
        if role in MEMBER_ROLES:
            assert data["total"] >= 1, params
        else:
            assert data["total"] == 0, params
            assert data["results"] == []
            for marker in MEMBERS:
                assert marker not in html


def test_directory_snippets_show_only_the_consented_parts(client, corpus, coordinator):
    html, data = _get(client, None, type="coordinator")
    public = [hit for hit in data["results"] if hit["type"] == "coordinator"]
    assert [hit["title"] for hit in public] == ["佐藤 花子"]
    assert public[0]["url"].startswith("/coordinators/")
    assert WORKPLACE not in html and BIO not in html  # nothing optional in the public list

    html, data = _get(client, coordinator, type="coordinator")
    by_title = {hit["title"]: hit for hit in data["results"]}
    assert set(by_title) == {"山田 一郎", "佐藤 花子"}
    assert by_title["山田 一郎"]["url"].startswith("/directory/")
    assert WORKPLACE in by_title["山田 一郎"]["snippet"]
    assert BIO in by_title["山田 一郎"]["snippet"]
    assert WORKPLACE not in by_title["佐藤 花子"]["snippet"]  # consented to the biography only
    assert BIO in by_title["佐藤 花子"]["snippet"]


def _titles(client, user, **params):
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    data = client.get("/search/", {"q": QUERY, "format": "json", **params}).json()
    html = client.get("/search/", {"q": QUERY, **params}).content.decode()
    return {hit["title"] for hit in data["results"]}, data, html


def test_withdrawn_profiles_disappear_at_once_and_after_update_index(
    client, make_user, issue_certificate, coordinator
):
    listed = content.profile(
        make_user,
        issue_certificate,
        "withdrawing",
        consents={"directory": set(), "public": set()},
        names=("高橋", "三郎", "たかはし", "さぶろう", "Takahashi", "Saburo"),
        municipalities="在留郡",
    )
    name = "高橋 三郎"
    assert name in _titles(client, None)[0]
    assert name in _titles(client, coordinator)[0]

    directory_services.consent_withdraw(listed.user, "public")
    titles, data, html = _titles(client, None)
    assert name not in titles and name not in html
    assert data["total"] == 0 and data["facets"]["type"] == []
    assert name in _titles(client, coordinator)[0]  # still in the members' directory

    directory_services.consent_withdraw(listed.user, "directory")
    for user in (None, coordinator):
        titles, data, html = _titles(client, user)
        assert name not in titles and name not in html
        assert "coordinator" not in {row["value"] for row in data["facets"]["type"]}

    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    for user in (None, coordinator):
        titles, _data, html = _titles(client, user)
        assert name not in titles and name not in html


def test_a_lapsed_certificate_removes_the_profile_from_search(
    client, make_user, issue_certificate, coordinator
):
    listed = content.profile(
        make_user,
        issue_certificate,
        "lapsing",
        consents={"directory": set(), "public": set()},
        names=("伊藤", "四郎", "いとう", "しろう", "Ito", "Shiro"),
        municipalities="在留島",
    )
    assert "伊藤 四郎" in _titles(client, coordinator)[0]
    listed.user.certificates.update(valid_until=datetime.date(2020, 3, 31))
    for user in (None, coordinator):
        assert "伊藤 四郎" not in _titles(client, user)[0]


def test_responses_are_never_stored(client, corpus):
    for params in ({"q": QUERY}, {"q": QUERY, "format": "json"}):
        response = client.get("/search/", params)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_a_profile_in_the_public_list_only_is_found_by_everyone_as_public(
    client, make_user, issue_certificate, coordinator
):
    listed = content.profile(
        make_user,
        issue_certificate,
        "public-only",
        consents={"public": set()},
        names=("公開", "一郎", "こうかい", "いちろう", "Kokai", "Ichiro"),
        municipalities="在留郡",
    )
    html, data = _get(client, None, type="coordinator")
    assert [hit["url"].split("?")[0] for hit in data["results"]] == ["/coordinators/"]
    # Members search the members' directory, where this profile is not listed.
    html, data = _get(client, coordinator, type="coordinator")
    assert data["results"] == []
    directory_services.consent_withdraw(listed.user, "public")
    html, data = _get(client, None, type="coordinator")
    assert data["results"] == []
