"""The notice list and pages: who sees what, filters, "effective soon", the gate, the sitemap,
the member start page, the body's blocks and a query count that does not grow with the list."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.documents.models import Document
from wagtail.models import Collection

from newsletters.models import NoticePage
from newsletters.selectors.notices import member_home_notices, visible_notices
from portal.accounts.models import today
from portal.taxonomy.models import Field

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """Titles of the notices in the list (not the "effective soon" box)."""
    html = response.content.decode()
    return re.findall(r'<h3 id="notice-\d+-title"><a href="[^"]*">([^<]+)</a></h3>', html)


@pytest.fixture
def corpus(make_notice, days_ago):
    public = make_notice(title="公開のお知らせ", audience="public", published_at=days_ago(3))
    members = make_notice(title="会員向けのお知らせ", audience="members", published_at=days_ago(2))
    draft = make_notice(title="下書きのお知らせ", audience="public", live=False)
    unpublished = make_notice(title="取り下げたお知らせ", audience="public")
    unpublished.unpublish()
    expired = make_notice(title="期限切れのお知らせ", audience="public")
    NoticePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    return {
        "public": public,
        "members": members,
        "draft": draft,
        "unpublished": unpublished,
        "expired": expired,
    }


ALWAYS_HIDDEN = ("下書きのお知らせ", "取り下げたお知らせ", "期限切れのお知らせ")


@pytest.mark.parametrize(
    "who, sees_members",
    [("anonymous", False), ("coordinator", True), ("expired", False), ("editor", True)],
)
def test_listing_visibility(request, client, client_for, corpus, notice_index, who, sees_members):
    if who != "anonymous":
        user = request.getfixturevalue(
            {"coordinator": "coordinator", "expired": "expired_coordinator", "editor": "editor"}[
                who
            ]
        )
        client = client_for(user)
    response = client.get(notice_index.url)
    assert response.status_code == 200
    titles = listed(response)
    assert "公開のお知らせ" in titles
    assert ("会員向けのお知らせ" in titles) is sees_members
    for hidden in ALWAYS_HIDDEN:
        assert hidden not in response.content.decode()
    if sees_members:
        assert titles == ["会員向けのお知らせ", "公開のお知らせ"]  # newest first


def test_visible_notices_selector(corpus, coordinator, expired_coordinator, administrator):
    from django.contrib.auth.models import AnonymousUser

    public_only = {corpus["public"].pk}
    both = {corpus["public"].pk, corpus["members"].pk}
    assert set(visible_notices(AnonymousUser()).values_list("pk", flat=True)) == public_only
    assert set(visible_notices(expired_coordinator).values_list("pk", flat=True)) == public_only
    assert set(visible_notices(coordinator).values_list("pk", flat=True)) == both
    assert set(visible_notices(administrator).values_list("pk", flat=True)) == both


def test_notice_restricted_by_wagtail_privacy_is_not_listed(make_notice, coordinator, client_for):
    from wagtail.models import PageViewRestriction

    notice = make_notice(title="パスワード付き", audience="members")
    PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert not visible_notices(coordinator).filter(pk=notice.pk).exists()


def test_detail_gate(client, client_for, corpus, coordinator, expired_coordinator):
    members_url = corpus["members"].url
    response = client.get(members_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(corpus["public"].url).status_code == 200
    assert client.get("/notices/" + corpus["draft"].slug + "/").status_code == 404

    response = client_for(expired_coordinator).get(members_url)
    assert response.status_code == 403
    assert "会員向けのお知らせ" not in response.content.decode()

    response = client_for(coordinator).get(members_url)
    assert response.status_code == 200
    assert "会員向けのお知らせ" in response.content.decode()


def test_detail_shows_the_notice_facts(client, make_notice, prefecture):
    field = Field.objects.get(slug="residence-status")
    notice = make_notice(
        title="東京都の手続き",
        summary="日本語の要約です。",
        summary_en="The English summary.",
        category="law-revision",
        effective_date=datetime.date(2031, 4, 1),
        prefectures=[prefecture(13)],
        fields=[field],
    )
    html = client.get(notice.url).content.decode()
    assert "東京都" in html and field.name_ja in html
    assert "2031-04-01" in html
    assert "日本語の要約です。" in html
    assert "I have read this" not in html  # a normal notice asks for no confirmation

    html = client.get(notice.url, headers={"accept-language": "en"}).content.decode()
    assert "The English summary." in html


def test_nationwide_notice_says_so(client, make_notice):
    html = client.get(make_notice(title="全国").url).content.decode()
    area = re.search(r'data-part="area">(.*?)</dd>', html).group(1)
    assert area.strip() in ("Nationwide", "全国")


# Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def filterable(make_notice, prefecture, days_ago):
    residence = Field.objects.get(slug="residence-status")
    housing = Field.objects.get(slug="housing")
    return {
        "law": make_notice(
            title="法改正",
            category="law-revision",
            fields=[residence],
            published_at=timezone.make_aware(datetime.datetime(2025, 4, 10, 9, 0)),
            effective_date=datetime.date(2025, 10, 1),
        ),
        "tokyo": make_notice(
            title="東京の手続き",
            category="procedure",
            fields=[housing],
            prefectures=[prefecture(13)],
            published_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0)),
            effective_date=datetime.date(2025, 7, 1),
        ),
        "osaka": make_notice(
            title="大阪の手続き",
            category="procedure",
            prefectures=[prefecture(27)],
            published_at=timezone.make_aware(datetime.datetime(2025, 8, 1, 9, 0)),
        ),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"category": "procedure"}, ["大阪の手続き", "東京の手続き"]),
        ({"category": "law-revision"}, ["法改正"]),
        ({"field": "FIELD:housing"}, ["東京の手続き"]),
        # A nationwide notice concerns every prefecture.
        ({"prefecture": "PREF:13"}, ["東京の手続き", "法改正"]),
        ({"prefecture": "PREF:27"}, ["大阪の手続き", "法改正"]),
        ({"date_from": "2025-05-01"}, ["大阪の手続き", "東京の手続き"]),
        ({"date_from": "2025-05-01", "date_to": "2025-06-30"}, ["東京の手続き"]),
        (
            {"date_basis": "effective", "date_from": "2025-09-01", "date_to": "2025-12-31"},
            ["法改正"],
        ),
        ({"date_basis": "effective", "date_to": "2025-07-31"}, ["東京の手続き"]),
        ({"category": "procedure", "prefecture": "PREF:13"}, ["東京の手続き"]),
    ],
)
def test_filters(client, notice_index, filterable, prefecture, query, expected):
    query = dict(query)
    for key, value in query.items():
        if value.startswith("FIELD:"):
            query[key] = Field.objects.get(slug=value[6:]).pk
        elif value.startswith("PREF:"):
            query[key] = prefecture(value[5:]).pk
    response = client.get(notice_index.url, query)
    assert listed(response) == expected
    assert 'data-part="filter-error"' not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"field": "not-a-number"},
        {"prefecture": "99999"},
        {"category": "gossip"},
        {"date_from": "2025-13-45"},
        {"date_from": "2025-06-01", "date_to": "2025-01-01"},
        {"date_basis": "yesterday"},
    ],
)
def test_invalid_filters_show_an_error_and_the_whole_list(client, notice_index, filterable, query):
    response = client.get(notice_index.url, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-part="filter-error"' in html
    assert 'class="errorlist"' in html
    assert listed(response) == ["大阪の手続き", "東京の手続き", "法改正"]


def test_pagination_keeps_the_filters(client, notice_index, make_notice, days_ago):
    for n in range(23):
        make_notice(title=f"手続き {n:02d}", category="procedure", published_at=days_ago(n + 1))
    make_notice(title="災害", category="disaster")
    first = client.get(notice_index.url, {"category": "procedure"})
    assert len(listed(first)) == 20
    assert listed(first)[0] == "手続き 00"
    assert "category=procedure&amp;page=2" in first.content.decode()
    second = client.get(notice_index.url, {"category": "procedure", "page": 2})
    assert listed(second) == ["手続き 20", "手続き 21", "手続き 22"]
    # An impossible page number shows the last page rather than an error.
    assert client.get(notice_index.url, {"page": "zz"}).status_code == 200


def test_effective_soon(client, notice_index, make_notice):
    on = today()
    make_notice(title="来週から", effective_date=on + datetime.timedelta(days=7))
    make_notice(title="本日から", effective_date=on)
    make_notice(title="二か月後", effective_date=on + datetime.timedelta(days=60))
    make_notice(title="先月から", effective_date=on - datetime.timedelta(days=30))
    make_notice(title="会員・来週", audience="members", effective_date=on)
    html = client.get(notice_index.url).content.decode()
    box = re.search(r'data-part="effective-soon">(.*?)</section>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", box) == ["本日から", "来週から"]


def test_no_effective_soon_box_without_dates(client, notice_index, make_notice):
    make_notice(title="日付なし")
    assert 'data-part="effective-soon"' not in client.get(notice_index.url).content.decode()


def test_empty_list_has_an_empty_state(client, notice_index):
    html = client.get(notice_index.url).content.decode()
    assert 'class="empty-state"' in html


# Sitemap ----------------------------------------------------------------------------------------


def test_sitemap_lists_public_notices_only(client, corpus):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"/notices/{corpus['public'].slug}/" in xml
    for hidden in ("members", "draft", "unpublished"):
        assert f"/notices/{corpus[hidden].slug}/" not in xml


# Member start page ------------------------------------------------------------------------------


def test_member_home_lists_the_newest_notices(
    client_for, coordinator, expired_coordinator, make_notice, days_ago
):
    for n in range(6):
        make_notice(title=f"通常 {n}", audience="members", published_at=days_ago(10 + n))
    make_notice(title="至急確認", importance="important", published_at=days_ago(1))
    make_notice(title="下書き", live=False)
    response = client_for(coordinator).get("/members/")
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'aria-labelledby="notices-heading".*?</section>', html, re.S).group(0)
    titles = re.findall(r"<li><a [^>]*>([^<]+)</a></li>", section)
    assert len(titles) == 5
    assert "至急確認" in titles[0] and titles[0] != "至急確認"  # marked to confirm
    assert titles[1:] == ["通常 0", "通常 1", "通常 2", "通常 3"]
    assert "下書き" not in section


def test_member_home_marker_goes_once_confirmed(coordinator, make_notice):
    from newsletters.services.notices import notice_acknowledge

    notice = make_notice(title="至急確認", importance="important", audience="members")
    [link] = member_home_notices(coordinator)
    assert link.needs_confirmation and link.title != "至急確認" and link.url == notice.url
    notice_acknowledge(coordinator, notice)
    [link] = member_home_notices(coordinator)
    assert not link.needs_confirmation and link.title == "至急確認"


def test_member_home_marks_nothing_for_staff(editor, make_notice):
    make_notice(title="至急確認", importance="important", audience="members")
    [link] = member_home_notices(editor)
    assert not link.needs_confirmation and link.title == "至急確認"


# Query count ------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_listing_query_count_does_not_grow(
    client_for, coordinator, notice_index, make_notice, prefecture
):
    field = Field.objects.get(slug="housing")
    client = client_for(coordinator)

    def add(count):
        for n in range(count):
            make_notice(
                audience="members" if n % 2 else "public",
                importance="important" if n % 3 == 0 else "normal",
                prefectures=[prefecture(13), prefecture(27)] if n % 4 == 0 else (),
                fields=[field],
                effective_date=today() + datetime.timedelta(days=n),
            )

    add(3)
    client.get(notice_index.url)  # warm caches (site root paths, vocabulary, feed token)
    few = _queries(client, notice_index.url)
    add(12)
    client.get(notice_index.url)
    many = _queries(client, notice_index.url)
    assert many == few, f"{few} queries with 3 notices, {many} with 15"


def test_member_home_query_count_does_not_grow(client_for, coordinator, make_notice):
    client = client_for(coordinator)
    make_notice(importance="important", audience="members")
    client.get("/members/")
    few = _queries(client, "/members/")
    for _n in range(8):
        make_notice(importance="important", audience="members")
    many = _queries(client, "/members/")
    assert many == few


# Body blocks ------------------------------------------------------------------------------------


def _document(title, filename, content=b"data"):
    document = Document(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def test_body_blocks_render_accessibly_and_load_nothing_from_elsewhere(client, make_notice):
    video = _document("説明動画", "guide.mp4")
    captions = _document("字幕", "guide.vtt", b"WEBVTT\n")
    attachment = _document("申請書", "form.pdf", b"%PDF-1.4")
    body = [
        {"type": "heading", "value": {"text": "概要", "level": "h2"}},
        {"type": "paragraph", "value": "<p>本文の段落です。</p>"},
        {
            "type": "video",
            "value": {
                "title": "手続きの説明",
                "file": video.pk,
                "captions": captions.pk,
                "captions_language": "ja",
                "external_url": "",
                "transcript": "字幕の書き起こしです。",
            },
        },
        {
            "type": "video",
            "value": {
                "title": "外部の動画",
                "file": None,
                "captions": None,
                "captions_language": "ja",
                "external_url": "https://video.example.org/watch/1",
                "transcript": "",
            },
        },
        {"type": "documents", "value": [attachment.pk]},
        {
            "type": "law_links",
            "value": [
                {
                    "title": "出入国管理及び難民認定法",
                    "url": "https://laws.e-gov.go.jp/law/326CO0000000319",
                    "note": "第19条",
                }
            ],
        },
        {
            "type": "table",
            "value": {
                "data": [["項目", "期限"], ["申請", "4月1日"]],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "日程",
            },
        },
    ]
    import json

    notice = make_notice(title="ブロックの表示", body=json.dumps(body))
    html = client.get(notice.url).content.decode()
    assert "<iframe" not in html
    assert '<video controls preload="none"' in html
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert re.search(
        rf'<track kind="captions" srclang="ja" label="[^"]+" src="{re.escape(captions.url)}" default>',
        html,
    )
    assert "<details>" in html and "字幕の書き起こしです。" in html
    external = re.search(r'<a href="https://video.example.org/watch/1"[^>]*>([^<]+)</a>', html)
    assert external and "外部の動画" in external.group(1)
    assert f'<a href="{attachment.url}">申請書</a>' in html
    assert "https://laws.e-gov.go.jp/law/326CO0000000319" in html and "第19条" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "<caption>日程</caption>" in html
    assert "本文の段落です。" in html


def test_editor_previews_a_new_and_an_edited_notice(client_for, editor, notice_index, make_notice):
    from django.urls import reverse
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    data = nested_form_data(
        {
            "title": "プレビュー",
            "slug": "preview",
            "summary": "プレビューの要約",
            "summary_en": "",
            "category": "procedure",
            "importance": "important",
            "audience": "members",
            "effective_date": "",
            "nationwide": "on",
            "body": streamfield([("paragraph", rich_text("<p>プレビュー本文</p>"))]),
            "comments": inline_formset([]),
        }
    )
    client = client_for(editor)
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["newsletters", "noticepage", notice_index.pk]
    )
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "プレビュー本文" in response.content.decode()

    notice = make_notice(importance="important")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[notice.pk])
    assert client.post(url, {**data, "slug": notice.slug}).json()["is_valid"]
    assert "プレビュー本文" in client.get(url).content.decode()


@translation.override("en")
def test_members_only_notice_refuses_attachments_anyone_could_download(
    make_notice, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    form = Document.objects.create(
        title="申請様式", file=ContentFile(b"%PDF-1.4 form", name="form.pdf")
    )
    notice = make_notice(audience="public", body=[("documents", [form])])
    notice.full_clean()  # a public notice may link public documents

    notice.audience = "members"
    with pytest.raises(ValidationError, match="申請様式"):
        notice.full_clean()

    form.collection = Collection.objects.get(name__startswith="Members' documents")
    form.save()
    notice = NoticePage.objects.get(pk=notice.pk)
    notice.audience = "members"
    notice.full_clean()
