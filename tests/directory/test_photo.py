import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from PIL import Image

from directory import services
from directory.models import CoordinatorProfile

pytestmark = pytest.mark.django_db


def png(size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def pictured(coordinator):
    profile = CoordinatorProfile.objects.create(user=coordinator)
    profile.photo.save("me.png", png(), save=True)
    return profile


def fetch(client, url):
    """Status of a photo request; the file is read and closed as a browser would."""
    response = client.get(url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # Closing a response signals the end of a request, which would close the test's database
    # connection; the test client disconnects that handler in the same way.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def test_photo_is_served_only_where_consented(
    client, client_for, pictured, make_user, issue_certificate
):
    from portal.accounts.models import today

    viewer = make_user("viewer")
    issue_certificate(viewer, today())
    member = client_for(viewer)
    url = f"/directory/{pictured.pk}/photo/"
    assert member.get(url).status_code == 404  # not listed yet
    services.consent_grant(pictured.user, "directory", ["workplace"])
    assert member.get(url).status_code == 404  # listed, photo not chosen
    services.consent_grant(pictured.user, "directory", ["photo"])
    response = fetch(member, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = member.get(f"/directory/{pictured.pk}/").content.decode()
    assert f'src="{url}"' in page
    # The public list never serves it without public consent to the photo.
    assert client.get(f"/coordinators/{pictured.pk}/photo/").status_code == 404
    services.consent_grant(pictured.user, "public", ["photo"])
    assert fetch(client, f"/coordinators/{pictured.pk}/photo/").status_code == 200
    services.consent_withdraw(pictured.user, "public")
    assert client.get(f"/coordinators/{pictured.pk}/photo/").status_code == 404
    services.consent_withdraw(pictured.user, "directory")
    assert member.get(url).status_code == 404


def test_photo_is_not_under_the_public_media_url(pictured, settings):
    assert not pictured.photo.path.startswith(str(settings.MEDIA_ROOT))
    assert pictured.photo.path.startswith(settings.PORTAL_PRIVATE_MEDIA_ROOT)


def test_anonymous_cannot_fetch_a_members_directory_photo(client, pictured):
    services.consent_grant(pictured.user, "directory", ["photo"])
    response = client.get(f"/directory/{pictured.pk}/photo/")
    assert response.status_code == 302


def test_owner_sees_own_photo_and_uploads_through_the_profile(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get("/accounts/profile/photo/").status_code == 404
    response = client.get("/accounts/profile/")
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_large_or_wrong_type_photo_is_refused(client_for, coordinator):
    from directory.forms import ProfileForm

    big = SimpleUploadedFile("big.png", b"0" * (2 * 1024 * 1024 + 1), content_type="image/png")
    form = ProfileForm(data={"preferred_contact": "relay"}, files={"photo": big})
    assert not form.is_valid()
    assert "photo" in form.errors
    text = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    form = ProfileForm(data={"preferred_contact": "relay"}, files={"photo": text})
    assert not form.is_valid()
    assert "photo" in form.errors
