import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal import audit
from portal.accounts import services
from portal.accounts.events import certification_changed
from portal.accounts.models import (
    Certificate,
    CertificateStatus,
    Disqualification,
    add_years,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English; the interface default is Japanese."""
    with translation.override("en"):
        yield


def test_renewal_creates_a_linked_certificate_with_new_validity(coordinator, administrator):
    old = coordinator.current_certificate()
    completed = old.valid_until - datetime.timedelta(days=10)
    new = services.certificate_renew(
        previous=old, number="SC-2099-0001", completed_on=completed, actor=administrator
    )
    assert new.renews == old
    assert new.valid_until > old.valid_until
    assert coordinator.current_certificate() in (old, new)
    assert ModelLogEntry.objects.filter(action=audit.CERTIFICATE_RENEW).exists()
    with pytest.raises(ValidationError, match="already been renewed"):
        services.certificate_renew(previous=old, number="SC-2099-0002", completed_on=completed)


def test_expired_holder_becomes_valid_after_renewal(expired_coordinator):
    old = expired_coordinator.current_certificate()
    assert expired_coordinator.certificate_status() == CertificateStatus.EXPIRED
    services.certificate_renew(previous=old, number="SC-2099-0003", completed_on=today())
    assert expired_coordinator.certificate_status() == CertificateStatus.VALID


def test_revocation_removes_access_at_once_and_bars_for_two_years(
    client_for, coordinator, administrator
):
    client = client_for(coordinator)
    assert client.get("/members/").status_code == 200
    certificate = services.certificate_revoke(
        certificate=coordinator.current_certificate(),
        revoked_on=today(),
        reason="Obtained by improper means",
        actor=administrator,
    )
    assert client.get("/members/").status_code == 403
    bar = Disqualification.objects.get(certificate=certificate)
    assert bar.ground == "rescission"
    assert bar.barred_until == add_years(today(), 2)
    entry = ModelLogEntry.objects.get(action=audit.CERTIFICATE_REVOKE)
    assert (
        entry.user_id == administrator.pk and entry.data["reason"] == "Obtained by improper means"
    )
    # Re-certification inside the window is refused; from its last day on, allowed.
    with pytest.raises(ValidationError, match=bar.barred_until.isoformat()) as excinfo:
        services.certificate_issue(holder=coordinator, number="SC-2099-0004", issued_on=today())
    assert "issued_on" in excinfo.value.message_dict
    later = services.certificate_issue(
        holder=coordinator, number="SC-2099-0005", issued_on=bar.barred_until
    )
    assert later.issued_on == bar.barred_until


def test_revocation_signal_reaches_subscribers(coordinator, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, holder, **kwargs):
        received.append(holder.pk)

    certification_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.certificate_revoke(
                certificate=coordinator.current_certificate(), revoked_on=today(), reason="x"
            )
            # At once (listings drop the holder inside the transaction) …
            assert received == [coordinator.pk]
    finally:
        certification_changed.disconnect(receiver)
    # … and again after commit, so nothing read in between stays cached.
    assert received == [coordinator.pk, coordinator.pk]


def test_revoked_certificate_cannot_be_renewed(revoked_coordinator):
    with pytest.raises(ValidationError, match="revoked certificate cannot be renewed"):
        services.certificate_renew(
            previous=revoked_coordinator.current_certificate(),
            number="SC-2099-0006",
            completed_on=today(),
        )


def test_disqualification_window(make_user, issue_certificate):
    user = make_user("fined")
    services.disqualification_record(
        holder=user, ground="fine", occurred_on=datetime.date(2024, 2, 29)
    )
    bar = user.disqualifications.get()
    assert bar.barred_until == datetime.date(2026, 2, 28)
    with pytest.raises(ValidationError):
        issue_certificate(user, datetime.date(2026, 2, 27))
    assert issue_certificate(user, datetime.date(2026, 2, 28)).number
    assert ModelLogEntry.objects.filter(action=audit.DISQUALIFICATION_RECORD).exists()


# Admin views --------------------------------------------------------------------------------


def test_revoke_and_renew_from_the_admin(
    client_for, administrator, coordinator, expired_coordinator
):
    client = client_for(administrator)
    certificate = coordinator.current_certificate()
    listing = client.get("/admin/snippets/accounts/certificate/").content.decode()
    assert f"/admin/certification/{certificate.pk}/revoke/" in listing
    url = f"/admin/certification/{certificate.pk}/revoke/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"revoked_on": "", "reason": ""})
    assert response.status_code == 200  # errors shown, nothing changed
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    response = client.post(url, {"revoked_on": today().isoformat(), "reason": "Improper means"})
    assert response.status_code == 302
    assert coordinator.certificate_status() == CertificateStatus.REVOKED

    old = expired_coordinator.current_certificate()
    url = f"/admin/certification/{old.pk}/renew/"
    response = client.post(url, {"number": old.number, "completed_on": today().isoformat()})
    assert response.status_code == 200
    assert "number" in response.context["form"].errors  # that number is taken
    response = client.post(url, {"number": "SC-2099-0100", "completed_on": today().isoformat()})
    assert response.status_code == 302
    assert Certificate.objects.get(number="SC-2099-0100").renews == old


@pytest.mark.parametrize("role_fixture", ["editor", "moderator", "coordinator"])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/certification/import/",
        "/admin/certification/export/",
        "/admin/certification/export/?format=csv",
        "/admin/snippets/accounts/certificate/",
    ],
)
def test_only_administrators_reach_certification(client_for, request, role_fixture, url):
    user = request.getfixturevalue(role_fixture)
    response = client_for(user).get(url)
    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action=audit.REGISTER_EXPORT).exists()


def test_non_administrator_cannot_revoke(client_for, editor, coordinator):
    certificate = coordinator.current_certificate()
    response = client_for(editor).post(
        f"/admin/certification/{certificate.pk}/revoke/",
        {"revoked_on": today().isoformat(), "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert coordinator.certificate_status() == CertificateStatus.VALID


def test_export_filters_by_status_and_prefecture_and_is_audited(
    client_for, administrator, coordinator, expired_coordinator, revoked_coordinator
):
    from portal.taxonomy.models import Prefecture

    tokyo = Prefecture.objects.get(code="JP-13")
    Certificate.objects.filter(holder=coordinator).update(workplace_prefecture=tokyo)
    client = client_for(administrator)

    def exported(**params):
        response = client.get("/admin/certification/export/", {"format": "csv", **params})
        assert response["Content-Disposition"].startswith("attachment;")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [line.split(",")[0] for line in text.strip().splitlines()[1:]]

    everyone = exported()
    assert len(everyone) == 3
    assert exported(status="valid") == [coordinator.current_certificate().number]
    assert exported(status="expired") == [expired_coordinator.current_certificate().number]
    assert exported(status="revoked") == [revoked_coordinator.current_certificate().number]
    assert exported(prefecture=tokyo.pk) == [coordinator.current_certificate().number]
    entries = ModelLogEntry.objects.filter(action=audit.REGISTER_EXPORT).order_by("pk")
    assert entries.count() == 5
    assert entries.last().user_id == administrator.pk
    assert entries.last().data["prefecture"] == "JP-13"


def test_xlsx_export(client_for, administrator, coordinator):
    response = client_for(administrator).get("/admin/certification/export/", {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "certificate_number"
    assert rows[1][0] == coordinator.current_certificate().number
    assert rows[1][-1] == "valid"


def test_import_view_shows_errors_then_summary(client_for, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(administrator)
    client.cookies["portal_language"] = "en"
    header = "certificate_number,family_name,given_name,email,issued_on,status\n"
    bad = header + "SC-2031-0001,森,あおい,mori@example.jp,2025/02/30,valid\n"
    response = client.post(
        "/admin/certification/import/",
        {"file": SimpleUploadedFile("r.csv", bad.encode("cp932"), "text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "2025/02/30" in content and "Row 2" in content
    assert not Certificate.objects.filter(number="SC-2031-0001").exists()
    good = bad.replace("2025/02/30", "2025/02/28")
    response = client.post(
        "/admin/certification/import/",
        {"file": SimpleUploadedFile("r.csv", good.encode("cp932"), "text/csv")},
    )
    assert 'data-count="certificates_created">1<' in response.content.decode()
    assert Certificate.objects.filter(number="SC-2031-0001").exists()


def test_import_view_rejects_other_file_types(client_for, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(administrator).post(
        "/admin/certification/import/",
        {"file": SimpleUploadedFile("r.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert ".csv" in response.content.decode()
