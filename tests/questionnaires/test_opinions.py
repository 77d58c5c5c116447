"""The opinion box: members send opinions (under their name or anonymously), read published
answers and their own opinions; agency editors and administrators triage them in the admin."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry

from portal.accounts import roles
from portal.accounts.models import today
from portal.questionnaires.models import Opinion, OpinionCategory, OpinionStatus
from portal.questionnaires.opinions import services
from portal.questionnaires.opinions.demo import OPINIONS, seed_opinions
from portal.questionnaires.opinions.selectors import own_opinions, public_opinions
from portal.questionnaires.opinions.services import (
    DAILY_LIMIT,
    OPINION_SUBMIT,
    OPINION_TRIAGE,
    opinion_submit,
    opinion_triage,
)
from portal.taxonomy.models import Field, Prefecture

pytestmark = pytest.mark.django_db

LIST_URL = "/opinions/"
NEW_URL = "/opinions/new/"
MINE_URL = "/opinions/mine/"
ADMIN_INDEX_URL = "/admin/opinions/"


def admin_edit_url(opinion):
    return reverse("opinion_box:edit", args=[opinion.pk])


def first_field():
    return Field.objects.order_by("order").first()


def form_data(**overrides):
    data = {
        "category": OpinionCategory.REQUEST,
        "field": str(first_field().pk),
        "prefecture": str(Prefecture.objects.get(number=13).pk),
        "text": "在留期間更新の審査期間の目安を公表してほしいです。",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit_entries(opinion):
    return ModelLogEntry.objects.for_instance(opinion).filter(action=OPINION_SUBMIT)


@pytest.fixture
def member(make_user, issue_certificate):
    """A second valid coordinator, with a name that must never reach other members."""

    def make(username="member2", **fields):
        user = make_user(
            username,
            roles.COORDINATOR,
            last_name=fields.pop("last_name", "鈴木"),
            first_name=fields.pop("first_name", "花梨"),
            **fields,
        )
        issue_certificate(user, today() - datetime.timedelta(days=10))
        return user

    return make


@pytest.fixture
def answer(editor):
    """Publish an answer to ``opinion`` as the agency editor."""

    def publish(opinion, summary="要約です。", text="回答です。", status=OpinionStatus.ANSWERED):
        return opinion_triage(
            opinion,
            editor,
            status=status,
            staff_note="",
            public_summary=summary,
            public_answer=text,
        )

    return publish


# Sending an opinion ------------------------------------------------------------------------------


def test_identified_opinion_is_stored_with_its_author_and_audited(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(NEW_URL).status_code == 200

    response = client.post(NEW_URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == MINE_URL
    opinion = Opinion.objects.get()
    assert opinion.author == coordinator
    assert opinion.category == OpinionCategory.REQUEST
    assert opinion.field == first_field()
    assert opinion.prefecture.number == 13
    assert opinion.status == OpinionStatus.NEW
    [entry] = submit_entries(opinion)
    assert entry.user_id == coordinator.pk
    assert entry.data["anonymous"] is False

    page = client.get(MINE_URL)
    assert page.status_code == 200
    assert "在留期間更新の審査期間の目安" in page.content.decode()
    assert [str(m) for m in page.context["messages"]]  # the success message is shown once


def test_anonymous_opinion_keeps_no_author_and_its_audit_names_no_one(client_for, coordinator):
    client = client_for(coordinator)

    response = client.post(NEW_URL, form_data(anonymous="on", text="匿名の意見です。"))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    opinion = Opinion.objects.get()
    assert opinion.author is None
    [entry] = submit_entries(opinion)
    assert entry.user_id is None
    assert entry.data == {"anonymous": True}
    assert not own_opinions(coordinator).exists()
    assert "匿名の意見です。" not in client.get(MINE_URL).content.decode()


def test_anonymous_audit_ignores_an_active_log_context(coordinator):
    """Even inside a request's log context (as in the admin) the entry names no one."""
    with LogContext(user=coordinator):
        opinion = opinion_submit(
            coordinator, anonymous=True, category=OpinionCategory.OTHER, text="匿名です。"
        )
    [entry] = submit_entries(opinion)
    assert entry.user_id is None
    assert entry.uuid is None


def test_validation_errors_keep_the_typed_text(client_for, coordinator):
    client = client_for(coordinator)
    typed = "審査期間の目安を <b>公表</b> してほしい。"

    response = client.post(NEW_URL, form_data(category="", text=typed))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-part="form-errors"' in html
    assert 'href="#id_category"' in html
    assert "審査期間の目安を &lt;b&gt;公表&lt;/b&gt; してほしい。" in html
    assert not Opinion.objects.exists()


def test_too_long_and_empty_texts_are_refused(client_for, coordinator):
    client = client_for(coordinator)

    too_long = client.post(NEW_URL, form_data(text="あ" * (services.TEXT_MAX_LENGTH + 1)))
    empty = client.post(NEW_URL, form_data(text="   "))

    assert too_long.status_code == 400
    assert too_long.context["form"].has_error("text")
    assert empty.status_code == 400
    assert empty.context["form"].has_error("text")
    assert not Opinion.objects.exists()


def test_daily_limit_counts_anonymous_opinions_too(client_for, coordinator, member):
    for number in range(DAILY_LIMIT):
        opinion_submit(
            coordinator,
            anonymous=number % 2 == 0,
            category=OpinionCategory.OTHER,
            text=f"意見 {number}",
        )
    coordinator.preferred_language = "en"
    coordinator.save(update_fields=["preferred_language"])
    client = client_for(coordinator)

    response = client.post(NEW_URL, form_data(text="もう一件。"))

    assert response.status_code == 429
    assert Opinion.objects.count() == DAILY_LIMIT
    assert "もう一件。" in response.content.decode()
    errors = response.context["form"].non_field_errors()
    assert any("today" in str(error) for error in errors)
    # Another member is not affected.
    other = member()
    client.force_login(other)
    assert client.post(NEW_URL, form_data()).status_code == 302


def test_member_text_is_plain_text(client_for, coordinator):
    opinion_submit(
        coordinator,
        anonymous=False,
        category=OpinionCategory.OTHER,
        text='<script>alert("x")</script>\n二行目',
    )

    html = client_for(coordinator).get(MINE_URL).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<br>二行目" in html


# The member gate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL, MINE_URL])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL, MINE_URL])
def test_expired_coordinators_get_the_renewal_page(client_for, expired_coordinator, url):
    client = client_for(expired_coordinator)
    assert client.get(url).status_code == 403
    response = client.post(NEW_URL, form_data())
    assert response.status_code == 403
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("role", ["editor", "moderator", "administrator"])
def test_staff_may_read_the_answers(client_for, request, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get(LIST_URL).status_code == 200


# What members read --------------------------------------------------------------------------------


def test_list_shows_only_published_answers_never_texts_or_authors(
    client_for, coordinator, member, answer
):
    author = member("author", last_name="長谷部", first_name="澄子")
    published = opinion_submit(
        author, anonymous=False, category=OpinionCategory.SYSTEM, text="原文その一"
    )
    answer(published, summary="要約その一", text="回答その一")
    closed = opinion_submit(
        author, anonymous=True, category=OpinionCategory.TRAINING, text="原文その二"
    )
    answer(closed, summary="要約その二", text="回答その二", status=OpinionStatus.CLOSED)
    drafted = opinion_submit(
        author, anonymous=False, category=OpinionCategory.OTHER, text="原文その三"
    )
    answer(drafted, summary="下書きの要約", text="下書きの回答", status=OpinionStatus.UNDER_REVIEW)
    opinion_submit(author, anonymous=False, category=OpinionCategory.OTHER, text="原文その四")

    response = client_for(coordinator).get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert [o.pk for o in response.context["page"].object_list] == [closed.pk, published.pk]
    for shown in ("要約その一", "回答その一", "要約その二", "回答その二"):
        assert shown in html
    for hidden in ("原文", "下書き", "長谷部", "澄子", "author@example.jp", ">author<"):
        assert hidden not in html


def test_list_filters_by_category_and_field(client_for, coordinator, answer):
    field = first_field()
    other_field = Field.objects.order_by("order")[1]
    one = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.SYSTEM, text="一", field=field
    )
    two = opinion_submit(
        coordinator,
        anonymous=False,
        category=OpinionCategory.REQUEST,
        text="二",
        field=other_field.pk,
    )
    answer(one)
    answer(two)
    client = client_for(coordinator)

    def listed(**params):
        response = client.get(LIST_URL, params)
        return [o.pk for o in response.context["page"].object_list]

    assert listed(category=OpinionCategory.SYSTEM) == [one.pk]
    assert listed(field=other_field.pk) == [two.pk]
    assert listed(category=OpinionCategory.SYSTEM, field=other_field.pk) == []
    assert sorted(listed()) == sorted([one.pk, two.pk])
    # An invalid filter lists everything and says so.
    response = client.get(LIST_URL, {"category": "nonsense"})
    assert response.context["filters_invalid"] is True
    assert len(response.context["page"].object_list) == 2


def test_own_list_shows_only_own_identified_opinions(client_for, coordinator, member, editor):
    other = member()
    mine = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="私の意見"
    )
    opinion_submit(coordinator, anonymous=True, category=OpinionCategory.OTHER, text="私の匿名")
    opinion_submit(other, anonymous=False, category=OpinionCategory.OTHER, text="他人の意見")
    opinion_triage(
        mine,
        editor,
        status=OpinionStatus.UNDER_REVIEW,
        staff_note="職員だけのメモ",
        public_summary="",
        public_answer="",
    )

    response = client_for(coordinator).get(MINE_URL)

    html = response.content.decode()
    assert [o.pk for o in response.context["page"].object_list] == [mine.pk]
    assert "私の意見" in html
    assert 'data-status="under_review"' in html
    for hidden in ("私の匿名", "他人の意見", "職員だけのメモ"):
        assert hidden not in html


def test_own_list_shows_the_published_answer(client_for, coordinator, answer):
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="質問です"
    )
    answer(opinion, summary="公開要約", text="公開回答")

    html = client_for(coordinator).get(MINE_URL).content.decode()

    assert "公開要約" in html
    assert "公開回答" in html
    assert 'data-status="answered"' in html


def test_answer_pages_use_a_constant_number_of_queries(
    client_for, coordinator, answer, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(services, "DAILY_LIMIT", 100)

    def publish(count):
        for number in range(count):
            opinion = opinion_submit(
                coordinator,
                anonymous=number % 2 == 0,
                category=OpinionCategory.SYSTEM,
                text=f"原文 {number}",
                field=first_field(),
            )
            answer(opinion, summary=f"要約 {number}", text=f"回答 {number}")

    publish(3)
    client = client_for(coordinator)
    client.get(LIST_URL)  # warm the vocabulary cache and the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST_URL).status_code == 200

    publish(42)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 20
    field = first_field().pk
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST_URL, {"page": 3, "field": field})
    assert len(response.context["page"].object_list) == 5


# Triage in the admin ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_and_administrators_triage(client_for, request, coordinator, role):
    user = request.getfixturevalue(role)
    opinion = opinion_submit(
        coordinator, anonymous=True, category=OpinionCategory.OTHER, text="匿名の意見本文"
    )
    client = client_for(user)

    closed = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="完了した意見"
    )
    opinion_triage(
        closed,
        user,
        status=OpinionStatus.CLOSED,
        staff_note="",
        public_summary="",
        public_answer="",
    )

    index = client.get(ADMIN_INDEX_URL)
    filtered = client.get(ADMIN_INDEX_URL, {"status": OpinionStatus.NEW})
    edit = client.get(admin_edit_url(opinion))

    assert index.status_code == 200
    assert admin_edit_url(closed) in index.content.decode()
    assert filtered.status_code == 200
    assert admin_edit_url(opinion) in filtered.content.decode()
    assert admin_edit_url(closed) not in filtered.content.decode()
    assert edit.status_code == 200
    assert "匿名の意見本文" in edit.content.decode()
    # Nobody adds or deletes opinions in the admin.
    assert client.get(reverse("opinion_box:add")).status_code != 200
    assert client.get(reverse("opinion_box:delete", args=[opinion.pk])).status_code != 200
    assert Opinion.objects.filter(pk=opinion.pk).exists()


@pytest.mark.parametrize("role", ["moderator", "coordinator"])
def test_moderators_and_coordinators_cannot_triage(client_for, request, coordinator, role):
    user = request.getfixturevalue(role)
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="本文"
    )
    client = client_for(user)

    for url in (ADMIN_INDEX_URL, admin_edit_url(opinion)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            # To the login page (coordinators) or the admin home (moderators).
            assert not urlsplit(response["Location"]).path.startswith(ADMIN_INDEX_URL)
    response = client.post(
        admin_edit_url(opinion),
        {
            "status": OpinionStatus.CLOSED,
            "staff_note": "",
            "public_summary": "",
            "public_answer": "",
        },
    )
    assert response.status_code in (302, 403)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.NEW
    assert not ModelLogEntry.objects.filter(action=OPINION_TRIAGE).exists()


def test_admin_edit_changes_only_the_triage_fields_and_audits(client_for, coordinator, editor):
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="元の本文"
    )

    response = client_for(editor).post(
        admin_edit_url(opinion),
        {
            "status": OpinionStatus.UNDER_REVIEW,
            "staff_note": "担当課に照会",
            "public_summary": "",
            "public_answer": "",
            # Read-only parts are ignored even when posted.
            "text": "書き換え",
            "category": OpinionCategory.PORTAL,
            "author": str(editor.pk),
        },
    )

    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.UNDER_REVIEW
    assert opinion.staff_note == "担当課に照会"
    assert opinion.text == "元の本文"
    assert opinion.category == OpinionCategory.OTHER
    assert opinion.author == coordinator
    [entry] = ModelLogEntry.objects.for_instance(opinion).filter(action=OPINION_TRIAGE)
    assert entry.user_id == editor.pk
    assert entry.data["status"] == OpinionStatus.UNDER_REVIEW
    assert entry.data["previous_status"] == OpinionStatus.NEW
    assert entry.data["changed"] == ["status", "staff_note"]
    assert not ModelLogEntry.objects.for_instance(opinion).filter(action="wagtail.edit").exists()


def test_admin_edit_refuses_half_an_answer(client_for, coordinator, editor):
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="本文"
    )

    response = client_for(editor).post(
        admin_edit_url(opinion),
        {
            "status": OpinionStatus.ANSWERED,
            "staff_note": "",
            "public_summary": "要約だけ",
            "public_answer": "",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("public_answer")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.NEW
    assert opinion.answered_at is None


def test_services_refuse_users_who_may_not_triage(coordinator, moderator):
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="本文"
    )
    for user in (coordinator, moderator):
        with pytest.raises(PermissionDenied):
            opinion_triage(
                opinion,
                user,
                status=OpinionStatus.CLOSED,
                staff_note="",
                public_summary="",
                public_answer="",
            )


# E-mail to the author -----------------------------------------------------------------------------


def test_author_is_emailed_once_on_the_first_public_answer(
    client_for, coordinator, editor, django_capture_on_commit_callbacks
):
    coordinator.preferred_language = "en"
    coordinator.save()
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="本文"
    )
    client = client_for(editor)

    def triage(**data):
        values = {
            "status": OpinionStatus.ANSWERED,
            "staff_note": "",
            "public_summary": "要約",
            "public_answer": "回答",
        }
        values.update(data)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(admin_edit_url(opinion), values)

    assert triage(status=OpinionStatus.UNDER_REVIEW).status_code == 302
    assert mail.outbox == []  # drafted, not yet shown to members

    assert triage().status_code == 302
    opinion.refresh_from_db()
    assert opinion.answered_at is not None
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert message.extra_headers["Content-Language"] == "en"
    assert "answer" in message.subject
    assert "http://testserver/opinions/mine/" in message.body
    answered_at = opinion.answered_at

    # Editing the answer or closing the opinion sends nothing more.
    assert triage(public_answer="回答(改訂)").status_code == 302
    assert triage(status=OpinionStatus.CLOSED, public_answer="回答(改訂)").status_code == 302
    assert len(mail.outbox) == 1
    opinion.refresh_from_db()
    assert opinion.answered_at == answered_at


def test_anonymous_authors_get_no_email(coordinator, answer, django_capture_on_commit_callbacks):
    opinion = opinion_submit(
        coordinator, anonymous=True, category=OpinionCategory.OTHER, text="本文"
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer(opinion)
    assert mail.outbox == []
    assert public_opinions().filter(pk=opinion.pk).exists()


def test_email_is_in_the_authors_language(coordinator, answer, django_capture_on_commit_callbacks):
    coordinator.preferred_language = "ja"
    coordinator.save()
    opinion = opinion_submit(
        coordinator, anonymous=False, category=OpinionCategory.OTHER, text="本文"
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        answer(opinion)
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "ja"


# Demo data ----------------------------------------------------------------------------------------


def test_demo_opinions_are_idempotent(make_user, issue_certificate):
    for username in ("coordinator", "coordinator2"):
        user = make_user(username, roles.COORDINATOR)
        issue_certificate(user, today() - datetime.timedelta(days=10))

    first = seed_opinions()
    second = seed_opinions()

    assert [o.pk for o in first] == [o.pk for o in second]
    assert Opinion.objects.count() == len(OPINIONS) == 12
    assert public_opinions().count() == 4
    assert Opinion.objects.filter(author__isnull=True).count() == sum(
        1 for demo in OPINIONS if demo.author is None
    )
    assert set(Opinion.objects.exclude(author=None).values_list("author__username", flat=True)) == {
        "coordinator",
        "coordinator2",
    }
    assert Opinion.objects.filter(status=OpinionStatus.NEW).exists()
    assert Opinion.objects.filter(status=OpinionStatus.UNDER_REVIEW).exists()
    assert Opinion.objects.get(text=OPINIONS[0].text).created_on == OPINIONS[0].created_on
