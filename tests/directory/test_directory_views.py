"""The members' directory and the public list as pages: filters, search, paging, query counts,
the anti-harvesting cap, the contact relay and the member gate."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.models import RelayMessage, WorkplaceType
from portal.taxonomy.models import Field, Language, Prefecture

from .test_consent import (
    BIO,
    CONTACT,
    NAME,
    OPTIONAL,
    PHONE,
    WORKPLACE,
    browser,
    card_marker,
    text,
)

pytestmark = pytest.mark.django_db


CARD = 'class="card profile-card"'


def _names(index):
    """Distinct fictional names for bulk profiles (kanji, kana, romaji)."""
    return (f"試験{index:02d}", "一郎", "しけん", "いちろう", "Shiken", "Ichiro")


def _bulk(listed, count, start=0, consents=None):
    return [
        listed(
            f"bulk-{index:03d}",
            names=_names(index),
            consents=consents or {"directory": ["workplace"]},
            workplace_name=f"職場{index:03d}",
            contact_email=f"bulk{index:03d}@example.jp",
            bio_ja=f"紹介{index:03d}",
        )
        for index in range(start, start + count)
    ]


# 3. Filters and search -----------------------------------------------------------------------


def option_count(content, select, value) -> int:
    """The count shown in the label of one filter option, e.g. "東京都 (2)" -> 2."""
    block = re.search(rf'<select name="{select}".*?</select>', content, re.S)
    assert block, f"no {select} filter on the page"
    option = re.search(rf'<option value="{value}"[^>]*>(.*?)</option>', block.group(0), re.S)
    assert option, f"no option {value} in the {select} filter"
    number = re.search(r"\((\d+)\)\s*$", option.group(1).strip())
    assert number, f"option {option.group(1)!r} shows no count"
    return int(number.group(1))


@pytest.fixture
def taxonomy_pair():
    """One value used by visible profiles and one used only by hidden ones, per filter."""
    fields = list(Field.objects.order_by("order"))
    languages = list(Language.objects.order_by("order"))
    return {
        "shown_prefecture": Prefecture.objects.get(code="JP-13"),
        "hidden_prefecture": Prefecture.objects.get(code="JP-47"),
        "shown_field": fields[0],
        "hidden_field": fields[-1],
        "shown_language": languages[0],
        "hidden_language": languages[-1],
    }


@pytest.fixture
def mixed_directory(listed, taxonomy_pair):
    t = taxonomy_pair
    shared = {
        "prefecture": t["shown_prefecture"].code,
        "field": t["shown_field"],
        "language": t["shown_language"],
    }
    hidden = {
        "prefecture": t["hidden_prefecture"].code,
        "field": t["hidden_field"],
        "language": t["hidden_language"],
    }
    return {
        "visible": listed(
            "visible",
            consents={"directory": ["workplace"]},
            workplace_type=WorkplaceType.NPO,
            workplace_name="見える職場",
            **shared,
        ),
        # Shows itself but not its workplace: its workplace type must never be matched or counted.
        "no_workplace": listed(
            "no-workplace",
            names=("佐藤", "誠", "さとう", "まこと", "Sato", "Makoto"),
            consents={"directory": ["contact", "bio"]},
            workplace_type=WorkplaceType.IMMIGRATION_BUREAU,
            **shared,
        ),
        # Not listed at all, with values nobody visible has.
        "unconsented": listed(
            "unconsented",
            names=("隠田", "秘子", "かくれだ", "ひめこ", "Kakureda", "Himeko"),
            consents={},
            workplace_type=WorkplaceType.FRESC,
            **hidden,
        ),
        # Listed only in the public list.
        "public_only": listed(
            "public-only",
            names=("公開", "太郎", "こうかい", "たろう", "Kokai", "Taro"),
            consents={"public": OPTIONAL},
            workplace_type=WorkplaceType.FRESC,
            **hidden,
        ),
        # Consented but the certificate lapsed long ago.
        "lapsed": listed(
            "lapsed-holder",
            names=("期限", "切子", "きげん", "きりこ", "Kigen", "Kiriko"),
            consents={"directory": OPTIONAL},
            workplace_type=WorkplaceType.COMPANY,
            issued_on=datetime.date(2019, 6, 1),
            **hidden,
        ),
    }


def test_filter_counts_only_count_visible_profiles(mixed_directory, taxonomy_pair, coordinator):
    t = taxonomy_pair
    response = browser(coordinator).get("/directory/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["prefecture"] == {t["shown_prefecture"].pk: 2}
    assert counts["field"] == {t["shown_field"].pk: 2}
    assert counts["language"] == {t["shown_language"].pk: 2}
    # Only the profile that shows its workplace counts towards a workplace type.
    assert counts["workplace_type"] == {WorkplaceType.NPO: 1}
    assert response.context["page"].paginator.count == 2
    content = text(response)
    for key in ("unconsented", "public_only", "lapsed"):
        assert card_marker(mixed_directory[key]) not in content
    # What the filter options say on the page.
    assert option_count(content, "prefecture", t["shown_prefecture"].pk) == 2
    assert option_count(content, "prefecture", t["hidden_prefecture"].pk) == 0
    assert option_count(content, "field", t["shown_field"].pk) == 2
    assert option_count(content, "field", t["hidden_field"].pk) == 0
    assert option_count(content, "language", t["shown_language"].pk) == 2
    assert option_count(content, "language", t["hidden_language"].pk) == 0
    assert option_count(content, "workplace_type", WorkplaceType.NPO) == 1
    for hidden_type in (
        WorkplaceType.FRESC,
        WorkplaceType.IMMIGRATION_BUREAU,
        WorkplaceType.COMPANY,
    ):
        assert option_count(content, "workplace_type", hidden_type) == 0


def test_filter_counts_follow_a_profile_edit(taxonomy_pair, listed, editor):
    """Counts are never stale: after a holder moves to another area, the options say so."""
    t = taxonomy_pair
    profile = listed(consents={"directory": ["workplace"]}, prefecture=t["shown_prefecture"].code)
    staff = browser(editor)
    before = text(staff.get("/directory/"))
    assert option_count(before, "prefecture", t["shown_prefecture"].pk) == 1
    assert option_count(before, "prefecture", t["hidden_prefecture"].pk) == 0

    holder = browser(profile.user)
    response = holder.post(
        "/accounts/profile/",
        {
            "prefectures": [t["hidden_prefecture"].pk],
            "workplace_name": WORKPLACE,
            "workplace_type": "npo",
            "preferred_contact": "relay",
            "fields_of_consultation": [t["shown_field"].pk],
            "main_fields": [t["shown_field"].pk],
            "profilelanguage_set-TOTAL_FORMS": "0",
            "profilelanguage_set-INITIAL_FORMS": "0",
            "consent-directory-listed": "on",
            "consent-directory-fields": ["workplace"],
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert list(profile.prefectures.all()) == [t["hidden_prefecture"]]

    after = staff.get("/directory/")
    assert option_count(text(after), "prefecture", t["shown_prefecture"].pk) == 0
    assert option_count(text(after), "prefecture", t["hidden_prefecture"].pk) == 1
    filtered = staff.get("/directory/", {"prefecture": t["hidden_prefecture"].pk})
    assert card_marker(profile) in text(filtered)


def test_public_list_counts_only_its_own_scope(mixed_directory, taxonomy_pair):
    t = taxonomy_pair
    response = browser().get("/coordinators/")
    counts = response.context["counts"]
    assert counts["prefecture"] == {t["hidden_prefecture"].pk: 1}
    assert counts["workplace_type"] == {WorkplaceType.FRESC: 1}
    assert response.context["page"].paginator.count == 1
    assert card_marker(mixed_directory["public_only"]) in text(response)
    assert card_marker(mixed_directory["visible"]) not in text(response)


@pytest.mark.parametrize(
    "query",
    ["prefecture", "field", "language", "workplace_type"],
)
def test_filtering_by_a_value_only_hidden_profiles_have_finds_nothing(
    mixed_directory, taxonomy_pair, coordinator, query
):
    t = taxonomy_pair
    value = {
        "prefecture": t["hidden_prefecture"].pk,
        "field": t["hidden_field"].pk,
        "language": t["hidden_language"].pk,
        "workplace_type": WorkplaceType.FRESC,
    }[query]
    response = browser(coordinator).get("/directory/", {query: value})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["counts"][query] == {}
    for profile in mixed_directory.values():
        assert card_marker(profile) not in text(response)


def test_workplace_type_filter_never_matches_a_hidden_workplace(mixed_directory, coordinator):
    member = browser(coordinator)
    hidden_type = member.get("/directory/", {"workplace_type": WorkplaceType.IMMIGRATION_BUREAU})
    assert hidden_type.context["page"].paginator.count == 0
    assert card_marker(mixed_directory["no_workplace"]) not in text(hidden_type)
    # The same profile is listed, just not findable by what it hides.
    assert card_marker(mixed_directory["no_workplace"]) in text(member.get("/directory/"))
    shown_type = member.get("/directory/", {"workplace_type": WorkplaceType.NPO})
    assert shown_type.context["page"].paginator.count == 1
    assert card_marker(mixed_directory["visible"]) in text(shown_type)


def test_workplace_filter_follows_the_consent_of_the_scope_viewed(listed, coordinator):
    profile = listed(
        consents={"directory": ["workplace"], "public": ["bio"]},
        workplace_type=WorkplaceType.ONE_STOP,
    )
    query = {"workplace_type": WorkplaceType.ONE_STOP}
    members = browser(coordinator).get("/directory/", query)
    assert card_marker(profile) in text(members)
    public = browser().get("/coordinators/", query)
    assert public.context["page"].paginator.count == 0
    assert public.context["counts"]["workplace_type"] == {}
    assert card_marker(profile) not in text(public)
    assert WORKPLACE not in text(public)


@pytest.fixture
def yamada_and_sato(listed):
    yamada = listed("yamada", consents={"directory": [], "public": []})
    sato = listed(
        "sato",
        names=("佐藤", "誠", "さとう", "まこと", "Sato", "Makoto"),
        consents={"directory": [], "public": []},
    )
    # Another 山田 who never consented: search must not reveal them.
    hidden = listed(
        "yamada-hidden",
        names=("山田", "太郎", "やまだ", "たろう", "Yamada", "Taro"),
        consents={},
    )
    return yamada, sato, hidden


@pytest.mark.parametrize(
    "query",
    [
        "山田",
        "山田花子",
        "山田 花子",
        "やまだ",
        "やまだはなこ",
        "ヤマダ",
        "ﾔﾏﾀﾞ",
        "ﾔﾏﾀﾞ ﾊﾅｺ",
        "yamada",
        "YAMADA",
        "Yamada Hanako",
        "ｙａｍａｄａ",
        "hanako",
        "ハナコ",
    ],
)
def test_name_search_matches_kanji_kana_and_romaji(yamada_and_sato, coordinator, query):
    yamada, sato, hidden = yamada_and_sato
    for client, url in ((browser(coordinator), "/directory/"), (browser(), "/coordinators/")):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 1, (url, query)
        content = text(response)
        assert card_marker(yamada) in content
        assert card_marker(sato) not in content
        assert card_marker(hidden) not in content
        assert "山田 太郎" not in content


def test_search_matches_kana_stored_in_katakana(listed, coordinator):
    profile = listed(
        "katakana",
        names=("グエン", "アン", "グエン", "アン", "Nguyen", "An"),
        consents={"directory": []},
    )
    for query in ("ぐえん", "グエン", "ｸﾞｴﾝ", "nguyen", "NGUYEN"):
        response = browser(coordinator).get("/directory/", {"q": query})
        assert card_marker(profile) in text(response), query


def test_search_for_an_unlisted_name_finds_nothing(yamada_and_sato, coordinator):
    response = browser(coordinator).get("/directory/", {"q": "たろう"})
    assert response.context["page"].paginator.count == 0
    assert "山田 太郎" not in text(response)


# 4. Query count and paging -------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def _cold_and_warm(client, url):
    """Queries for ``url`` with an empty cache and again with the listing cached."""
    cache.clear()
    cold, _ = _count_queries(client, url)
    warm, response = _count_queries(client, url)
    return (cold, warm), response


def test_directory_query_count_does_not_grow_with_profiles(listed, coordinator):
    _bulk(listed, 10)
    member = browser(coordinator)
    member.get("/directory/")  # the first request of a session does a little more
    small_default, _ = _cold_and_warm(member, "/directory/")
    small_all, response = _cold_and_warm(member, "/directory/?per_page=50")
    assert text(response).count(CARD) == 10

    _bulk(listed, 40, start=10)
    large_default, response = _cold_and_warm(member, "/directory/")
    assert text(response).count(CARD) == 20
    large_all, response = _cold_and_warm(member, "/directory/?per_page=50")
    assert text(response).count(CARD) == 50

    assert large_default == small_default
    assert large_all == small_all


def test_public_list_query_count_does_not_grow_with_profiles(listed):
    _bulk(listed, 10, consents={"public": ["bio"]})
    visitor = browser()
    visitor.get("/coordinators/")
    small, response = _cold_and_warm(visitor, "/coordinators/?per_page=50")
    assert text(response).count(CARD) == 10
    _bulk(listed, 40, start=10, consents={"public": ["bio"]})
    large, response = _cold_and_warm(visitor, "/coordinators/?per_page=50")
    assert text(response).count(CARD) == 50
    assert large == small


@pytest.fixture
def sixty(listed):
    return _bulk(listed, 60, consents={"directory": ["workplace"], "public": []})


def test_renamed_vocabulary_shows_at_once_in_cards_and_filters(listed, coordinator):
    field = Field.objects.get(slug="housing")
    listed("renamed", consents={"directory": []}, field=field)
    member = browser(coordinator)
    assert "住まいの新しい名前" not in text(member.get("/directory/"))
    field.name_ja = "住まいの新しい名前"
    field.save()
    listing = text(member.get("/directory/"))
    assert listing.count("住まいの新しい名前") >= 2  # the card and the field filter


def test_directory_pages_by_twenty_by_default(sixty, coordinator):
    member = browser(coordinator)
    first = member.get("/directory/")
    assert text(first).count(CARD) == 20
    assert first.context["page"].paginator.count == 60
    third = member.get("/directory/", {"page": 3})
    assert text(third).count(CARD) == 20
    # Every listed profile is reachable over the three pages, none twice.
    seen = []
    for page in (1, 2, 3):
        response = member.get("/directory/", {"page": page})
        seen += [int(pk) for pk in re.findall(r'id="profile-(\d+)-name"', text(response))]
    assert sorted(seen) == sorted(p.pk for p in sixty)


def test_fifty_per_page_can_be_asked_for(sixty, coordinator):
    response = browser(coordinator).get("/directory/", {"per_page": 50})
    assert text(response).count(CARD) == 50


@pytest.mark.parametrize("per_page", ["500", "51", "100000", "0", "-5", "all"])
@pytest.mark.parametrize("url", ["/directory/", "/coordinators/"])
def test_bigger_pages_are_refused(sixty, coordinator, per_page, url):
    response = browser(coordinator).get(url, {"per_page": per_page})
    assert response.status_code == 200
    cards = text(response).count(CARD)
    assert 1 <= cards <= 50
    assert len(response.context["cards"]) == cards


# 5. Anti-harvesting ----------------------------------------------------------------------------


def test_daily_view_cap_answers_politely_and_alerts_once(listed, coordinator, settings):
    settings.PORTAL_DIRECTORY_DAILY_VIEWS = 3
    first = listed("first", consents={"directory": OPTIONAL})
    second = listed(
        "second",
        names=("佐藤", "誠", "さとう", "まこと", "Sato", "Makoto"),
        consents={"directory": OPTIONAL},
        workplace_name="二番目の職場",
        contact_email="second@example.jp",
        bio_ja="二番目の紹介",
    )
    member = browser(coordinator, language="en")
    for profile in (first, second, first):
        assert member.get(f"/directory/{profile.pk}/").status_code == 200

    capped = member.get(f"/directory/{second.pk}/")
    assert capped.status_code == 429
    assert "Daily limit reached" in text(capped)
    assert "open again tomorrow" in text(capped)
    assert "二番目の職場" not in text(capped)
    assert "second@example.jp" not in text(capped)
    assert card_marker(second) not in text(capped)

    for profile in (first, second, second):
        again = member.get(f"/directory/{profile.pk}/")
        assert again.status_code == 429
        assert WORKPLACE not in text(again)
    entries = ModelLogEntry.objects.filter(action="directory.view_cap")
    assert entries.count() == 1
    assert entries.get().user_id == coordinator.pk

    # The list still works, and other members are not affected.
    assert member.get("/directory/").status_code == 200
    other = listed("other-member", names=_names(99), consents={})
    assert browser(other.user).get(f"/directory/{first.pk}/").status_code == 200


@pytest.mark.parametrize(
    "data",
    [{}, {"subject": "件名"}, {"subject": "", "body": ""}],
    ids=["empty", "no-body", "blank"],
)
def test_posting_does_not_get_round_the_daily_cap(
    listed, coordinator, settings, django_capture_on_commit_callbacks, data
):
    """Once capped, a POST to a profile page (an incomplete relay form) must not hand out the
    profile either: otherwise the cap is bypassed by POSTing instead of GETting."""
    settings.PORTAL_DIRECTORY_DAILY_VIEWS = 1
    first = listed("first", consents={"directory": OPTIONAL})
    second = listed(
        "second",
        names=("佐藤", "誠", "さとう", "まこと", "Sato", "Makoto"),
        consents={"directory": OPTIONAL},
        workplace_name="二番目の職場",
        contact_email="second@example.jp",
        bio_ja="二番目の紹介",
    )
    member = browser(coordinator)
    assert member.get(f"/directory/{first.pk}/").status_code == 200
    assert member.get(f"/directory/{second.pk}/").status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/directory/{second.pk}/", data)
    content = text(response)
    for value in ("二番目の職場", "second@example.jp", "二番目の紹介", "佐藤 誠"):
        assert value not in content
    assert card_marker(second) not in content
    assert mail.outbox == []


@pytest.mark.parametrize("url", ["/directory/", "/coordinators/"])
@pytest.mark.parametrize(
    "how",
    [
        {"params": {"format": "json"}, "headers": {}},
        {"params": {}, "headers": {"HTTP_ACCEPT": "application/json"}},
        {"params": {"format": "json", "per_page": "1000"}, "headers": {"HTTP_ACCEPT": "*/*"}},
    ],
    ids=["format-param", "accept-header", "bulk"],
)
def test_there_is_no_json_listing(listed, coordinator, url, how):
    listed(consents={"directory": OPTIONAL, "public": OPTIONAL})
    response = browser(coordinator).get(url, how["params"], **how["headers"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text(response))


@pytest.mark.parametrize("path", ["/directory/export/", "/directory/api/", "/directory/all.json"])
def test_no_bulk_endpoints_exist(coordinator, path):
    assert browser(coordinator).get(path).status_code == 404


# 6. Contact relay ------------------------------------------------------------------------------


@pytest.fixture
def holder(listed):
    # Contact is deliberately not consented: the sender must never learn the address.
    return listed(consents={"directory": ["workplace", "bio"]})


def _assert_no_address(content, profile):
    assert CONTACT not in content
    assert PHONE not in content
    assert profile.user.email not in content


def test_relay_sends_one_mail_to_the_holder(
    holder, coordinator, django_capture_on_commit_callbacks
):
    member = browser(coordinator, language="en")
    url = f"/directory/{holder.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url, {"subject": "通訳のご相談", "body": "ベトナム語の通訳について"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert len(message.to) == 1
    assert message.to[0] in {holder.contact_email, holder.user.email}
    assert message.reply_to == [coordinator.email]
    assert "通訳のご相談" in message.subject
    assert "ベトナム語の通訳について" in message.body

    page = member.get(url)
    assert page.status_code == 200
    assert "Your message was sent" in text(page)
    _assert_no_address(text(page), holder)
    assert WORKPLACE in text(page) and BIO in text(page)

    entries = ModelLogEntry.objects.filter(action="directory.relay_send")
    assert entries.count() == 1
    assert entries.get().user_id == coordinator.pk
    assert RelayMessage.objects.filter(sender=coordinator, recipient=holder).count() == 1


def test_relay_is_limited_per_hour(
    holder, coordinator, settings, django_capture_on_commit_callbacks
):
    limit = settings.PORTAL_RELAY_PER_HOUR
    assert limit == 5
    member = browser(coordinator, language="en")
    url = f"/directory/{holder.pk}/"
    for number in range(limit):
        with django_capture_on_commit_callbacks(execute=True):
            response = member.post(url, {"subject": f"件名{number}", "body": "本文"})
        assert response.status_code == 302
    assert len(mail.outbox) == limit

    with django_capture_on_commit_callbacks(execute=True):
        refused = member.post(url, {"subject": "もう一通", "body": "本文"})
    assert refused.status_code == 200
    assert "You have sent the most messages allowed in one hour" in text(refused)
    assert 'role="alert"' in text(refused)
    _assert_no_address(text(refused), holder)
    assert len(mail.outbox) == limit
    assert RelayMessage.objects.filter(sender=coordinator).count() == limit
    assert ModelLogEntry.objects.filter(action="directory.relay_send").count() == limit


def test_relay_with_missing_text_sends_nothing(
    holder, coordinator, django_capture_on_commit_callbacks
):
    member = browser(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/directory/{holder.pk}/", {"subject": "", "body": ""})
    assert response.status_code == 200
    _assert_no_address(text(response), holder)
    assert mail.outbox == []
    assert not RelayMessage.objects.exists()


def test_relay_to_a_profile_not_in_the_directory_is_impossible(
    listed, coordinator, django_capture_on_commit_callbacks
):
    public_only = listed(consents={"public": OPTIONAL})
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(coordinator).post(
            f"/directory/{public_only.pk}/", {"subject": "件名", "body": "本文"}
        )
    assert response.status_code == 404
    assert mail.outbox == []


def test_holder_cannot_message_themself(holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(holder.user).post(
            f"/directory/{holder.pk}/", {"subject": "件名", "body": "本文"}
        )
    assert response.status_code == 200
    assert mail.outbox == []
    assert not RelayMessage.objects.exists()


def test_anonymous_and_lapsed_members_cannot_use_the_relay(
    holder, expired_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = browser().post(f"/directory/{holder.pk}/", {"subject": "件名", "body": "本文"})
        lapsed = browser(expired_coordinator).post(
            f"/directory/{holder.pk}/", {"subject": "件名", "body": "本文"}
        )
    assert anonymous.status_code == 302
    assert lapsed.status_code == 403
    assert mail.outbox == []


# 7. The member gate ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/directory/", "/directory/{pk}/"])
def test_anonymous_visitor_is_sent_to_login(holder, path):
    url = path.format(pk=holder.pk)
    response = browser().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("who", ["expired_coordinator", "revoked_coordinator"])
@pytest.mark.parametrize("path", ["/directory/", "/directory/{pk}/"])
def test_lapsed_coordinator_is_refused(holder, request, who, path):
    user = request.getfixturevalue(who)
    response = browser(user).get(path.format(pk=holder.pk))
    assert response.status_code == 403
    assert card_marker(holder) not in text(response)
    assert WORKPLACE not in text(response)
    assert NAME not in text(response)


@pytest.mark.parametrize("who", ["editor", "moderator", "administrator"])
def test_staff_enter_the_directory(holder, request, who):
    user = request.getfixturevalue(who)
    member = browser(user)
    assert card_marker(holder) in text(member.get("/directory/"))
    assert member.get(f"/directory/{holder.pk}/").status_code == 200
