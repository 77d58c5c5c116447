"""Important notices: "I have read this", who is targeted, the staff report (screen and CSV), and
reminder e-mails that go once per member and notice, in the member's language."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsletters.models import Acknowledgement, AcknowledgementReminder
from newsletters.selectors.notices import acknowledgement_report, targeted_coordinators
from newsletters.services.notices import (
    NOTICE_ACKNOWLEDGE,
    NOTICE_ACKNOWLEDGEMENT_EXPORT,
    NOTICE_REMIND,
    NotTargeted,
    notice_acknowledge,
    notice_send_reminders,
)
from portal.accounts import roles
from portal.accounts.models import today

pytestmark = pytest.mark.django_db

BUTTON = 'data-part="acknowledge"'  # the "I have read this" button


@pytest.fixture
def member(make_user, issue_certificate, prefecture):
    """``member(username, prefecture_number=None, language="ja")``: a valid coordinator whose
    certificate names a workplace prefecture."""

    def build(username, prefecture_number=None, language="ja", **fields):
        user = make_user(username, roles.COORDINATOR, preferred_language=language, **fields)
        issue_certificate(
            user,
            today() - datetime.timedelta(days=60),
            workplace_prefecture=prefecture(prefecture_number) if prefecture_number else None,
        )
        return user

    return build


@pytest.fixture
def important(make_notice):
    return make_notice(title="重要なお知らせ", importance="important", audience="members")


def acknowledge_url(notice):
    return reverse("notices:acknowledge", args=[notice.pk])


# The button ----------------------------------------------------------------------------------


def test_button_only_on_important_notices(client_for, coordinator, make_notice, important):
    client = client_for(coordinator)
    assert BUTTON in client.get(important.url).content.decode()
    normal = make_notice(title="通常のお知らせ", audience="members")
    html = client.get(normal.url).content.decode()
    assert BUTTON not in html and 'data-part="confirmation"' not in html


def test_no_button_for_staff_or_members_elsewhere(
    client_for, editor, member, make_notice, prefecture
):
    osaka_only = make_notice(
        title="大阪府のみ", importance="important", prefectures=[prefecture(27)]
    )
    tokyo_member = member("tokyo", 13)
    for user in (editor, tokyo_member):
        html = client_for(user).get(osaka_only.url).content.decode()
        assert 'data-part="confirmation"' in html
        assert BUTTON not in html


def test_acknowledge_is_recorded_once_and_audited(client_for, coordinator, important):
    client = client_for(coordinator)
    response = client.post(acknowledge_url(important))
    assert response.status_code == 302 and response["Location"] == important.url
    page = client.get(important.url)
    html = page.content.decode()
    assert BUTTON not in html
    assert 'data-part="acknowledged"' in html
    assert len(list(page.context["messages"])) == 1

    client.post(acknowledge_url(important))
    assert Acknowledgement.objects.filter(notice=important, user=coordinator).count() == 1
    entries = PageLogEntry.objects.filter(page=important, action=NOTICE_ACKNOWLEDGE)
    assert entries.count() == 1 and entries.get().user == coordinator


def test_acknowledge_refusals(
    client, client_for, coordinator, expired_coordinator, member, make_notice, important, prefecture
):
    url = acknowledge_url(important)
    # Anonymous: to the login page; expired certificate: the renewal page; GET: not allowed.
    assert client.post(url)["Location"].startswith("/accounts/login/")
    assert client_for(expired_coordinator).post(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 405
    # A normal notice and a notice for another prefecture ask for no confirmation.
    normal = make_notice(audience="members")
    assert client_for(coordinator).post(acknowledge_url(normal)).status_code == 403
    osaka_only = make_notice(importance="important", prefectures=[prefecture(27)])
    tokyo_member = member("tokyo", 13)
    assert client_for(tokyo_member).post(acknowledge_url(osaka_only)).status_code == 403
    # A draft is not there at all.
    draft = make_notice(importance="important", live=False)
    assert client_for(coordinator).post(acknowledge_url(draft)).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_service_refuses_what_the_user_may_not_confirm(expired_coordinator, editor, important):
    for user in (expired_coordinator, editor):
        with pytest.raises(NotTargeted):
            notice_acknowledge(user, important)


# Targeting and the report -----------------------------------------------------------------------


def test_targeted_coordinators(
    member,
    make_user,
    issue_certificate,
    expired_coordinator,
    revoked_coordinator,
    editor,
    make_notice,
    prefecture,
):
    tokyo, osaka, unknown = member("tokyo", 13), member("osaka", 27), member("unknown")
    inactive = member("inactive", 13)
    inactive.is_active = False
    inactive.save()
    # A certificate holder whose Coordinator role was taken away is not targeted.
    outsider = make_user("outsider")
    issue_certificate(outsider, today() - datetime.timedelta(days=10))
    assert outsider.groups.filter(name="Coordinator").exists()  # issuing gives the role
    outsider.groups.clear()

    nationwide = make_notice(importance="important")
    assert set(targeted_coordinators(nationwide)) == {tokyo, osaka, unknown}
    regional = make_notice(importance="important", prefectures=[prefecture(13), prefecture(14)])
    assert set(targeted_coordinators(regional)) == {tokyo}


def test_report_totals_by_prefecture(member, make_notice, prefecture):
    tokyo_a, tokyo_b = member("tokyo-a", 13), member("tokyo-b", 13)
    osaka = member("osaka", 27)
    member("hokkaido", 1)
    notice = make_notice(
        importance="important", prefectures=[prefecture(13), prefecture(27)], audience="members"
    )
    notice_acknowledge(tokyo_a, notice)
    notice_acknowledge(osaka, notice)
    report = acknowledgement_report(notice)
    assert (report.targeted, report.acknowledged) == (3, 2)
    rows = {row.prefecture.number: (row.targeted, row.acknowledged) for row in report.rows}
    assert rows == {13: (2, 1), 27: (1, 1)}
    assert [m.user_id for m in report.pending] == [tokyo_b.pk]
    assert report.pending[0].certificate_number == tokyo_b.certificates.get().number


def test_report_counts_a_member_with_two_valid_certificates_once(
    member, issue_certificate, make_notice, prefecture
):
    twice = member("twice", 13)
    issue_certificate(
        twice, today() - datetime.timedelta(days=5), workplace_prefecture=prefecture(13)
    )
    notice = make_notice(importance="important")
    assert acknowledgement_report(notice).targeted == 1


def test_report_query_count_does_not_grow(
    member, make_notice, django_assert_max_num_queries, django_assert_num_queries
):
    notice = make_notice(importance="important")
    for n in range(3):
        member(f"a{n}", 13)
    with django_assert_max_num_queries(10) as captured:
        acknowledgement_report(notice)
    few = len(captured)
    for n in range(12):
        notice_acknowledge(member(f"b{n}", 27 if n % 2 else 1), notice)
    with django_assert_num_queries(few):
        acknowledgement_report(notice)


def test_admin_report_for_staff_only(
    client_for, member, editor, administrator, coordinator, make_notice, prefecture
):
    tokyo = member("tokyo", 13, last_name="東京", first_name="花子")
    osaka = member("osaka", 27, last_name="大阪", first_name="太郎")
    notice = make_notice(importance="important", prefectures=[prefecture(13), prefecture(27)])
    notice_acknowledge(osaka, notice)
    url = reverse("notice_acknowledgements", args=[notice.pk])

    for staff in (editor, administrator):
        response = client_for(staff).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-part="totals"' in html
        assert response.context["report"].targeted == 2
        assert response.context["report"].acknowledged == 1
        pending = html.split('data-part="pending"', 1)[1].split("</table>", 1)[0]
        assert "東京 花子" in pending and tokyo.certificates.get().number in pending
        assert "大阪 太郎" not in pending

    response = client_for(coordinator).get(url)
    assert response.status_code in (302, 403)
    assert "東京 花子" not in response.content.decode()


def test_notice_page_links_staff_to_the_report(client_for, editor, coordinator, important):
    url = reverse("notice_acknowledgements", args=[important.pk])
    assert url in client_for(editor).get(important.url).content.decode()
    assert url not in client_for(coordinator).get(important.url).content.decode()


def test_admin_header_and_listing_offer_the_report(client_for, editor, important, make_notice):
    client = client_for(editor)
    url = reverse("notice_acknowledgements", args=[important.pk])
    assert (
        url in client.get(reverse("wagtailadmin_pages:edit", args=[important.pk])).content.decode()
    )
    listing = client.get(reverse("wagtailadmin_explore", args=[important.get_parent().pk]))
    assert url in listing.content.decode()
    normal = make_notice(audience="members")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[normal.pk])).content.decode()
    assert reverse("notice_acknowledgements", args=[normal.pk]) not in edit


def test_csv_export_is_audited(client_for, administrator, member, make_notice):
    done, waiting = member("done", 13), member("waiting", 27)
    notice = make_notice(importance="important")
    notice_acknowledge(done, notice)
    response = client_for(administrator).get(
        reverse("notice_acknowledgements", args=[notice.pk]), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    numbers = {row[0]: row for row in rows[1:]}
    assert numbers[done.certificates.get().number][4] != ""
    assert numbers[waiting.certificates.get().number][4] == ""
    entry = PageLogEntry.objects.get(page=notice, action=NOTICE_ACKNOWLEDGEMENT_EXPORT)
    assert entry.user == administrator and entry.data["rows"] == 2


# Reminders ------------------------------------------------------------------------------------


@pytest.fixture
def overdue(make_notice, days_ago):
    return make_notice(
        title="更新手続きの変更",
        summary="日本語の要約",
        summary_en="English summary",
        importance="important",
        audience="members",
        published_at=days_ago(10),
    )


def test_reminders_go_once_in_each_members_language(
    settings, member, overdue, make_notice, days_ago
):
    settings.PORTAL_BASE_URL = "https://portal.example.jp/"
    ja, en, done = member("ja", 13), member("en", 27, language="en"), member("done", 1)
    member("no-mail", 1, email="")
    notice_acknowledge(done, overdue)
    make_notice(importance="important", published_at=days_ago(2))  # too recent
    make_notice(importance="normal", published_at=days_ago(30))  # asks for no confirmation
    make_notice(importance="important", published_at=days_ago(30), live=False)  # a draft

    assert notice_send_reminders() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {ja.email, en.email}
    assert "日本語の要約" in by_address[ja.email].body
    assert "English summary" in by_address[en.email].body
    assert "English summary" not in by_address[ja.email].body
    for message in mail.outbox:
        assert f"https://portal.example.jp{overdue.url}" in message.body
        assert "\n" not in message.subject
    assert AcknowledgementReminder.objects.filter(notice=overdue).count() == 2
    entry = PageLogEntry.objects.get(page=overdue, action=NOTICE_REMIND)
    assert entry.data == {"sent": 2}

    # Running again sends nothing more and records nothing more.
    assert notice_send_reminders() == 0
    assert len(mail.outbox) == 2
    assert PageLogEntry.objects.filter(page=overdue, action=NOTICE_REMIND).count() == 1


def test_reminder_delay_follows_the_setting(settings, member, make_notice, days_ago):
    member("ja", 13)
    make_notice(importance="important", published_at=days_ago(3))
    assert notice_send_reminders() == 0
    settings.PORTAL_NOTICE_REMINDER_DAYS = 2
    assert notice_send_reminders() == 1


def test_reminder_skips_members_who_are_no_longer_targeted(member, expired_coordinator, overdue):
    assert notice_send_reminders(now=timezone.now()) == 0  # only an expired coordinator
    member("new", 13)
    assert notice_send_reminders() == 1


def test_command_prints_the_count(member, overdue):
    member("ja", 13)
    out = io.StringIO()
    call_command("send_notice_reminders", stdout=out)
    assert "1" in out.getvalue()
    out = io.StringIO()
    call_command("send_notice_reminders", stdout=out)
    assert "sent: 0" in out.getvalue()
