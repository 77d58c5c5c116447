"""The case library at ``/cases/`` and one case page: what members see, filters, pagination,
query counts, the author line, partners and related cases."""

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseStudyPage
from directory.models import Partner, Scope
from directory.services import consent_grant
from portal.taxonomy.models import Field, Prefecture

pytestmark = pytest.mark.django_db


def _field(slug):
    return Field.objects.get(slug=slug)


def _pref(number):
    return Prefecture.objects.get(number=number)


def _published_on(case, days_ago):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    CaseStudyPage.objects.filter(pk=case.pk).update(first_published_at=when)


def make_partner(slug, field_slugs=("housing",), prefectures=(), nationwide=False, live=True):
    partner = Partner(
        slug=slug,
        name_ja=f"連携先 {slug}",
        name_en=f"Partner {slug}",
        kind="npo-support-group",
        level="private",
        nationwide=nationwide,
        live=live,
    )
    partner.save()
    partner.fields.set(Field.objects.filter(slug__in=field_slugs))
    partner.prefectures.set(Prefecture.objects.filter(number__in=prefectures))
    partner.save()
    return partner


def html(response):
    assert response.status_code == 200
    return response.content.decode()


# The list ---------------------------------------------------------------------------------


def test_library_lists_published_cases_only_newest_first(
    client_for, coordinator, make_user, make_case
):
    author = make_user("writer")
    older = make_case(author, live=True, title="古い公開事例")
    newer = make_case(author, live=True, title="新しい公開事例")
    _published_on(older, 10)
    _published_on(newer, 1)
    make_case(author, title="下書きの事例")  # draft, never published
    review = make_case(author, live=True, title="審査中の事例")
    CaseStudyPage.objects.filter(pk=review.pk).update(state="in_review")
    page = html(client_for(coordinator).get("/cases/"))
    assert "新しい公開事例" in page and "古い公開事例" in page
    assert page.index("新しい公開事例") < page.index("古い公開事例")
    assert "下書きの事例" not in page
    assert "審査中の事例" not in page


def test_library_needs_a_valid_member(client, expired_coordinator, client_for, case_index):
    assert client.get("/cases/").status_code == 302
    assert client_for(expired_coordinator).get("/cases/").status_code == 403


@pytest.mark.parametrize(
    ("param", "value_of", "expected"),
    [
        ("field", lambda: _field("housing").pk, "住まいの事例"),
        ("prefecture", lambda: _pref(27).pk, "大阪の事例"),
        ("case_type", lambda: "regional", "地域課題の事例"),
        ("client_status", lambda: "student", "留学生の事例"),
    ],
)
def test_each_filter_narrows_the_list(
    client_for, coordinator, make_user, make_case, param, value_of, expected
):
    author = make_user("writer")
    make_case(author, live=True, title="住まいの事例", fields=[_field("housing")])
    make_case(author, live=True, title="大阪の事例", prefecture=_pref(27))
    make_case(author, live=True, title="地域課題の事例", case_type="regional")
    make_case(author, live=True, title="留学生の事例", client_status="student")
    page = html(client_for(coordinator).get("/cases/", {param: value_of()}))
    titles = {"住まいの事例", "大阪の事例", "地域課題の事例", "留学生の事例"}
    assert {title for title in titles if title in page} == {expected}


def test_invalid_filter_says_so_and_shows_everything(client_for, coordinator, make_user, make_case):
    author = make_user("writer")
    make_case(author, live=True, title="事例その一")
    make_case(author, live=True, title="事例その二", client_status="student")
    page = html(client_for(coordinator).get("/cases/", {"client_status": "martian"}))
    assert 'data-part="filter-error"' in page and 'role="alert"' in page
    assert "事例その一" in page and "事例その二" in page


def test_empty_state(client_for, coordinator, case_index):
    page = html(client_for(coordinator).get("/cases/"))
    assert 'data-part="empty"' in page


def test_pagination_keeps_the_filters(client_for, coordinator, make_user, make_case):
    author = make_user("writer")
    housing = _field("housing")
    for n in range(22):
        make_case(author, live=True, title=f"住まい {n:02d}", fields=[housing])
    make_case(author, live=True, title="別分野の事例", fields=[_field("child-education")])
    client = client_for(coordinator)
    first = html(client.get("/cases/", {"field": housing.pk}))
    assert first.count('class="card"') == 20
    assert f"field={housing.pk}&amp;page=2" in first
    second = html(client.get("/cases/", {"field": housing.pk, "page": 2}))
    assert second.count('class="card"') == 2
    assert "別分野の事例" not in first + second


def test_cards_show_the_case_but_never_an_anonymous_author(
    client_for, coordinator, make_user, make_case
):
    author = make_user("hidden-writer", last_name="秘密", first_name="花子")
    make_case(
        author,
        live=True,
        title="匿名の事例",
        fields=[_field("housing")],
        prefecture=_pref(27),
        outcome="partly",
        summary="住まいを失いかけた家族を支えた。",
    )
    page = html(client_for(coordinator).get("/cases/"))
    assert "匿名の事例" in page and "住まいを失いかけた家族を支えた。" in page
    assert _field("housing").name_ja in page and "大阪府" in page
    assert "Anonymous coordinator" in page or "匿名" in page
    assert "秘密" not in page and "花子" not in page and "hidden-writer" not in page


def test_library_query_count_does_not_grow(
    client_for, coordinator, make_user, make_case, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_user("writer", last_name="名前", first_name="出す")
    fields = [_field("housing"), _field("child-education")]
    client = client_for(coordinator)

    def count():
        client.get("/cases/")  # warm caches (session, taxonomy choices)
        with CaptureQueriesContext(connection) as queries:
            html(client.get("/cases/"))
        return len(queries)

    for n in range(3):
        make_case(author, live=True, fields=fields, attribution="named" if n % 2 else "anonymous")
    few = count()
    for n in range(9):
        make_case(author, live=True, fields=fields, attribution="named" if n % 2 else "anonymous")
    assert CaseStudyPage.objects.live().count() == 12
    with django_assert_num_queries(few):
        html(client.get("/cases/"))


def test_links_to_submit_and_own_cases_when_those_pages_exist(client_for, coordinator, case_index):
    from django.urls import NoReverseMatch, reverse

    page = html(client_for(coordinator).get("/cases/"))
    for name in ("cases:submit", "cases:mine"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in page


# One case ---------------------------------------------------------------------------------


def test_case_page_shows_every_section_and_the_client_in_coarse_terms(
    client_for, coordinator, make_user, make_case
):
    author = make_user("writer")
    partner = make_partner("legal-aid", field_slugs=("housing",), prefectures=(13,))
    case = make_case(
        author,
        live=True,
        case_type="regional",
        fields=[_field("housing")],
        stakeholders="<p>町役場と国際交流協会</p>",
        measures="<p>月例の合同相談会</p>",
        government_feedback="<p>通訳者の広域確保が必要</p>",
        partners_note="地域のボランティア団体",
        client_language=None,
    )
    case.partners.set([partner])
    case.save()
    page = html(client_for(coordinator).get(case.url))
    for text in (
        "20代の技能実習生が妊娠2か月で相談に来た。",
        "妊娠を理由とする不利益取扱いの禁止が知られていなかった。",
        "外国人技能実習機構の母国語相談につないだ。",
        "監理団体は帰国の示唆を撤回した。",
        "妊娠・出産のルールを早めに伝える。",
        "町役場と国際交流協会",
        "月例の合同相談会",
        "通訳者の広域確保が必要",
        "地域のボランティア団体",
    ):
        assert text in page
    assert f'href="{partner.get_absolute_url()}"' in page
    # Choice labels, not stored values.
    assert "technical-intern" not in page
    assert 'id="section-stakeholders"' in page


def test_individual_case_has_no_regional_sections(client_for, coordinator, make_user, make_case):
    case = make_case(make_user("writer"), live=True, stakeholders="<p>町役場の担当課</p>")
    page = html(client_for(coordinator).get(case.url))
    assert "町役場の担当課" not in page


def test_named_author_links_to_directory_only_when_listed(
    client_for, coordinator, make_user, make_case, issue_certificate
):
    from portal.accounts import roles
    from portal.accounts.models import today

    author = make_user("named-writer", roles.COORDINATOR, last_name="山田", first_name="花子")
    issue_certificate(author, today() - datetime.timedelta(days=30))
    case = make_case(author, live=True, attribution="named")
    client = client_for(coordinator)
    page = html(client.get(case.url))
    assert "山田" in page and "花子" in page
    assert "/directory/" not in page.split('data-part="author"')[1].split("</p>")[0]
    consent_grant(author, Scope.DIRECTORY, [])
    page = html(client.get(case.url))
    line = page.split('data-part="author"')[1].split("</p>")[0]
    assert "/directory/" in line and "山田" in line


def test_partners_for_field_and_prefecture(client_for, coordinator, make_user, make_case):
    case = make_case(
        make_user("writer"), live=True, fields=[_field("housing")], prefecture=_pref(13)
    )
    make_partner("tokyo-housing", ("housing",), prefectures=(13,))
    make_partner("national-housing", ("housing",), nationwide=True)
    make_partner("osaka-housing", ("housing",), prefectures=(27,))
    make_partner("tokyo-school", ("child-education",), prefectures=(13,))
    make_partner("tokyo-hidden", ("housing",), prefectures=(13,), live=False)
    for n in range(8):
        make_partner(f"more-{n}", ("housing",), prefectures=(13,))
    page = html(client_for(coordinator).get(case.url))
    section = page.split('id="field-partners-heading"')[1].split("</section>")[0]
    assert "連携先 osaka-housing" not in section
    assert "連携先 tokyo-school" not in section
    assert "連携先 tokyo-hidden" not in section
    assert section.count("<li>") == 6
    assert 'href="/partners/"' in section


def test_related_cases_share_a_field(client_for, coordinator, make_user, make_case):
    author = make_user("writer")
    housing, school = _field("housing"), _field("child-education")
    case = make_case(author, live=True, fields=[housing])
    for n in range(5):
        _published_on(make_case(author, live=True, title=f"関連 {n}", fields=[housing]), n + 1)
    make_case(author, live=True, title="無関係の事例", fields=[school])
    make_case(author, title="下書きの関連", fields=[housing])
    page = html(client_for(coordinator).get(case.url))
    section = page.split('id="related-heading"')[1]
    assert [t for t in ("関連 0", "関連 1", "関連 2", "関連 3") if t in section] == [
        "関連 0",
        "関連 1",
        "関連 2",
        "関連 3",
    ]
    assert section.index("関連 0") < section.index("関連 3")
    assert "関連 4" not in section
    assert "無関係の事例" not in section and "下書きの関連" not in section
