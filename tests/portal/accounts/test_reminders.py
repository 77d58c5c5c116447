"""Expiry reminders: what a certificate holder finds in their mailbox, and when.

A certificate issued on 2024-10-01 (FY2024) is valid until 2028-03-31; every date below is
counted back from that day, so the tests do not depend on today's date.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from portal.accounts import services
from portal.accounts.models import CertificateReminder
from portal.accounts.reminders import send_certificate_reminders

ISSUED = datetime.date(2024, 10, 1)
LAST_DAY = datetime.date(2028, 3, 31)


def days_before(days: int) -> datetime.date:
    return LAST_DAY - datetime.timedelta(days=days)


def days_after(days: int) -> datetime.date:
    return LAST_DAY + datetime.timedelta(days=days)


@pytest.fixture
def holder(make_user):
    return make_user(
        "reminded",
        last_name="山田",
        first_name="花子",
        family_name_romaji="Yamada",
        given_name_romaji="Hanako",
        preferred_language="en",
    )


@pytest.fixture
def certificate(holder, issue_certificate):
    certificate = issue_certificate(holder, ISSUED)
    assert certificate.valid_until == LAST_DAY  # the arithmetic the dates below rely on
    return certificate


def sent_thresholds(certificate) -> list[int]:
    return sorted(
        CertificateReminder.objects.filter(certificate=certificate).values_list(
            "threshold", flat=True
        )
    )


def test_nothing_is_sent_181_days_before_expiry(certificate, mailoutbox):
    run = send_certificate_reminders(on=days_before(181))

    assert mailoutbox == []
    assert run.sent == 0
    assert sent_thresholds(certificate) == []


@pytest.mark.parametrize("threshold", [180, 90, 30])
def test_each_threshold_sends_one_email_to_the_holder(threshold, certificate, holder, mailoutbox):
    run = send_certificate_reminders(on=days_before(threshold))

    assert run.sent == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [holder.email]
    assert certificate.number in message.body
    assert "2028-03-31" in message.body
    assert f"expires in {threshold} days" in message.subject
    assert sent_thresholds(certificate) == [threshold]


def test_first_reminder_is_sent_exactly_180_days_before(certificate):
    # 2027-10-03 is 180 days before 2028-03-31 (2028 is a leap year).
    assert days_before(180) == datetime.date(2027, 10, 3)

    assert send_certificate_reminders(on=datetime.date(2027, 10, 2)).sent == 0
    assert send_certificate_reminders(on=datetime.date(2027, 10, 3)).sent == 1


def test_running_twice_on_the_same_day_sends_once(certificate, mailoutbox):
    first = send_certificate_reminders(on=days_before(90))
    second = send_certificate_reminders(on=days_before(90))

    assert (first.sent, first.skipped) == (1, 0)
    assert (second.sent, second.skipped) == (0, 1)
    assert len(mailoutbox) == 1
    reminder = CertificateReminder.objects.get(certificate=certificate)
    assert (reminder.threshold, reminder.sent_on) == (90, days_before(90))


def test_every_threshold_is_sent_once_over_a_daily_schedule(certificate, mailoutbox):
    day = days_before(200)
    while day <= days_after(20):
        send_certificate_reminders(on=day)
        day += datetime.timedelta(days=1)

    assert sent_thresholds(certificate) == [0, 30, 90, 180]
    assert len(mailoutbox) == 4
    sent_on = dict(
        CertificateReminder.objects.filter(certificate=certificate).values_list(
            "threshold", "sent_on"
        )
    )
    assert sent_on == {
        180: days_before(180),
        90: days_before(90),
        30: days_before(30),
        0: days_after(1),
    }


def test_a_missed_run_catches_up_with_the_nearest_threshold_only(certificate, mailoutbox):
    # The job did not run at 180 or 90 days; the first run is with 60 days left.
    run = send_certificate_reminders(on=days_before(60))

    assert run.sent == 1
    assert len(mailoutbox) == 1
    assert "expires in 60 days" in mailoutbox[0].subject
    assert sent_thresholds(certificate) == [90]

    # The 180-day reminder does not follow later either; the 30-day one does.
    send_certificate_reminders(on=days_before(59))
    assert len(mailoutbox) == 1
    send_certificate_reminders(on=days_before(30))
    assert len(mailoutbox) == 2
    assert sent_thresholds(certificate) == [30, 90]


def test_catching_up_an_earlier_date_after_a_nearer_reminder_sends_nothing(certificate, mailoutbox):
    send_certificate_reminders(on=days_before(30))
    assert len(mailoutbox) == 1

    # Someone runs the command for a past date on which the 90-day reminder was due.
    run = send_certificate_reminders(on=days_before(90))

    assert (run.sent, run.skipped) == (0, 1)
    assert len(mailoutbox) == 1
    assert sent_thresholds(certificate) == [30]


def test_expiry_notice_is_sent_the_day_after_the_last_day(certificate, holder, mailoutbox):
    run = send_certificate_reminders(on=days_after(1))

    assert run.sent == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [holder.email]
    assert message.subject == "Support Coordinator Portal: your certificate has expired"
    assert certificate.number in message.body
    assert "2028-03-31" in message.body
    assert "has now expired" in message.body
    assert sent_thresholds(certificate) == [0]


def test_no_expiry_notice_20_days_after_expiry(certificate, mailoutbox):
    run = send_certificate_reminders(on=days_after(20))

    assert run.sent == 0
    assert mailoutbox == []
    assert sent_thresholds(certificate) == []


def test_renewed_certificate_gets_no_reminder(certificate, holder, issue_certificate, mailoutbox):
    renewal = issue_certificate(holder, datetime.date(2027, 9, 1), renews=certificate)
    assert certificate.renewed_by == renewal

    for day in (days_before(180), days_before(90), days_before(30), days_after(1)):
        run = send_certificate_reminders(on=day)
        assert run.sent == 0

    assert mailoutbox == []
    assert sent_thresholds(certificate) == []


def test_revoked_certificate_gets_no_reminder(certificate, mailoutbox):
    services.certificate_revoke(
        certificate=certificate,
        revoked_on=datetime.date(2026, 5, 1),
        reason="Ground for disqualification found",
    )

    for day in (days_before(180), days_before(90), days_before(30), days_after(1)):
        run = send_certificate_reminders(on=day)
        assert run.sent == 0

    assert mailoutbox == []
    assert sent_thresholds(certificate) == []


def test_only_the_holder_of_the_expiring_certificate_is_reminded(
    certificate, holder, make_user, issue_certificate, mailoutbox
):
    other = make_user("not-expiring")
    issue_certificate(other, datetime.date(2025, 10, 1))  # valid until 2029-03-31

    send_certificate_reminders(on=days_before(90))

    assert [message.to for message in mailoutbox] == [[holder.email]]


def test_english_holder_gets_an_english_email(certificate, mailoutbox):
    send_certificate_reminders(on=days_before(180))

    message = mailoutbox[0]
    assert message.subject == "Support Coordinator Portal: your certificate expires in 180 days"
    assert message.body.startswith("Dear Hanako YAMADA,")
    assert CertificateReminder.objects.get(certificate=certificate).language == "en"


@pytest.fixture
def english_and_japanese_holders(make_user, issue_certificate):
    english = make_user("english", preferred_language="en")
    japanese = make_user("japanese", last_name="佐藤", first_name="一郎", preferred_language="ja")
    issue_certificate(english, ISSUED)
    issue_certificate(japanese, ISSUED)
    return english, japanese


def test_japanese_holder_gets_a_japanese_email(english_and_japanese_holders, mailoutbox):
    english, japanese = english_and_japanese_holders

    send_certificate_reminders(on=days_before(180))

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {english.email, japanese.email}
    ja_message, en_message = by_recipient[japanese.email], by_recipient[english.email]
    # Wording from portal/locale/ja/LC_MESSAGES/django.po.
    assert ja_message.subject == "支援コーディネーターポータル：認定証の有効期限まであと180日です"
    assert ja_message.body.startswith("佐藤 一郎 様")
    assert "の有効期限は 2028-03-31 です。" in ja_message.body
    assert en_message.subject == "Support Coordinator Portal: your certificate expires in 180 days"
    assert en_message.body.startswith("Dear 試験 english,")
    assert "is valid until 2028-03-31." in en_message.body
    assert ja_message.subject != en_message.subject
    assert CertificateReminder.objects.get(certificate__holder=japanese).language == "ja"
    assert CertificateReminder.objects.get(certificate__holder=english).language == "en"


def test_japanese_holder_gets_a_japanese_expiry_notice(english_and_japanese_holders, mailoutbox):
    english, japanese = english_and_japanese_holders

    send_certificate_reminders(on=days_after(1))

    by_recipient = {message.to[0]: message for message in mailoutbox}
    ja_message, en_message = by_recipient[japanese.email], by_recipient[english.email]
    assert ja_message.subject == "支援コーディネーターポータル：認定証の有効期限が切れました"
    assert "有効期限が切れました" in ja_message.body
    assert en_message.subject == "Support Coordinator Portal: your certificate has expired"


def test_command_with_date_sends_and_prints_the_counts(certificate, holder, mailoutbox):
    out = io.StringIO()
    call_command("send_certificate_reminders", "--date", "2027-10-03", stdout=out)

    assert out.getvalue().strip() == "Reminders sent: 1; already sent: 0."
    assert [message.to for message in mailoutbox] == [[holder.email]]

    out = io.StringIO()
    call_command("send_certificate_reminders", "--date", "2027-10-03", stdout=out)

    assert out.getvalue().strip() == "Reminders sent: 0; already sent: 1."
    assert len(mailoutbox) == 1


def test_command_rejects_a_malformed_date(certificate, mailoutbox):
    with pytest.raises(CommandError):
        call_command("send_certificate_reminders", "--date", "2027-13-03", stdout=io.StringIO())

    assert mailoutbox == []


def test_a_reminder_caught_up_on_the_last_day_says_today(certificate, holder, mailoutbox):
    holder.preferred_language = "en"
    holder.save()
    send_certificate_reminders(on=days_before(0))
    assert [m.subject for m in mailoutbox] == [
        "Support Coordinator Portal: your certificate expires today"
    ]
