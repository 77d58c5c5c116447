import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from portal.accounts.models import Certificate, CertificateStatus, User, today

pytestmark = pytest.mark.django_db


def test_certificate_stores_derived_fiscal_year_and_validity(make_user, issue_certificate):
    certificate = issue_certificate(make_user("a"), datetime.date(2024, 10, 1))
    certificate.refresh_from_db()
    assert certificate.fiscal_year == 2024
    assert certificate.valid_until == datetime.date(2028, 3, 31)


def test_status_on_each_side_of_the_end_date(make_user, issue_certificate):
    certificate = issue_certificate(make_user("a"), datetime.date(2024, 10, 1))
    assert certificate.status(datetime.date(2028, 3, 31)) == CertificateStatus.VALID
    assert certificate.status(datetime.date(2028, 4, 1)) == CertificateStatus.EXPIRED
    assert certificate.status(datetime.date(2024, 9, 30)) == CertificateStatus.PENDING


def test_user_status_for_today(coordinator, expired_coordinator, revoked_coordinator, make_user):
    assert coordinator.certificate_status() == CertificateStatus.VALID
    assert expired_coordinator.certificate_status() == CertificateStatus.EXPIRED
    assert revoked_coordinator.certificate_status() == CertificateStatus.REVOKED
    assert make_user("nobody").certificate_status() == CertificateStatus.NONE


def test_revocation_takes_effect_on_its_date(make_user, issue_certificate):
    user = make_user("a")
    certificate = issue_certificate(user, today() - datetime.timedelta(days=100))
    certificate.revoked_on = today() + datetime.timedelta(days=1)
    certificate.revocation_reason = "Improper means"
    certificate.save()
    assert user.certificate_status() == CertificateStatus.VALID
    assert (
        user.certificate_status(today() + datetime.timedelta(days=1)) == CertificateStatus.REVOKED
    )


def test_renewal_makes_the_holder_valid_again(make_user, issue_certificate):
    user = make_user("a")
    old = issue_certificate(user, datetime.date(2019, 5, 1))
    assert user.certificate_status() == CertificateStatus.EXPIRED
    new = issue_certificate(user, today() - datetime.timedelta(days=1), renews=old)
    assert user.certificate_status() == CertificateStatus.VALID
    assert user.current_certificate() == new
    assert old.renewed_by == new


def test_valid_on_queryset_matches_status(coordinator, expired_coordinator, revoked_coordinator):
    valid_numbers = set(Certificate.objects.valid_on().values_list("number", flat=True))
    assert valid_numbers == {coordinator.current_certificate().number}
    assert list(User.objects.with_valid_certificate()) == [coordinator]


def test_revocation_needs_a_reason_and_a_date(make_user, issue_certificate):
    certificate = issue_certificate(make_user("a"), datetime.date(2024, 10, 1))
    certificate.revoked_on = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        certificate.full_clean()
    assert "revocation_reason" in excinfo.value.message_dict
    certificate.revoked_on = None
    certificate.revocation_reason = "Reason without date"
    with pytest.raises(ValidationError) as excinfo:
        certificate.full_clean()
    assert "revoked_on" in excinfo.value.message_dict


def test_database_refuses_revocation_before_issue(make_user, issue_certificate):
    certificate = issue_certificate(make_user("a"), datetime.date(2024, 10, 1))
    certificate.revoked_on = datetime.date(2024, 9, 1)
    certificate.revocation_reason = "x"
    with pytest.raises(IntegrityError):
        certificate.save()


def test_certificate_numbers_are_normalised_and_unique(make_user, issue_certificate):
    user = make_user("a")
    first = Certificate(
        holder=user, number="ｓｃ－２０２４－０００１", issued_on=datetime.date(2024, 5, 1)
    )
    first.full_clean()
    assert first.number == "SC-2024-0001"
    first.save()
    duplicate = Certificate(holder=user, number="sc-2024-0001", issued_on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "number" in excinfo.value.message_dict


def test_renewal_must_come_after_the_renewed_certificate(make_user, issue_certificate):
    user = make_user("a")
    old = issue_certificate(user, datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        issue_certificate(user, datetime.date(2024, 4, 1), renews=old)
    assert "renews" in excinfo.value.message_dict


def test_kana_and_romaji_are_validated(make_user):
    user = make_user("a", family_name_kana="ﾔﾏﾀﾞ", family_name_romaji="Yamada")
    user.full_clean()
    assert user.family_name_kana == "ヤマダ"  # half-width kana normalised (NFKC)
    user.given_name_kana = "花子"
    user.given_name_romaji = "花子"
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert set(excinfo.value.message_dict) == {"given_name_kana", "given_name_romaji"}


def test_email_is_unique_ignoring_case(make_user):
    make_user("a")
    with pytest.raises(IntegrityError):
        User.objects.create_user(username="b", email="A@EXAMPLE.JP")


def test_full_name_follows_the_interface_language(make_user):
    user = make_user(
        "a",
        last_name="山田",
        first_name="花子",
        family_name_romaji="Yamada",
        given_name_romaji="Hanako",
    )
    with translation.override("ja"):
        assert user.get_full_name() == "山田 花子"
    with translation.override("en"):
        assert user.get_full_name() == "Hanako YAMADA"
