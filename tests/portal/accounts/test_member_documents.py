"""Documents in the "Members' documents" collection are served to admitted members only."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection

from portal.accounts.gate import document_needs_gate

pytestmark = pytest.mark.django_db

MEMBERS_COLLECTION = "Members' documents / 会員向け資料"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _document(collection, name="handout.pdf"):
    return Document.objects.create(
        title="研修資料",
        collection=collection,
        file=ContentFile(b"%PDF-1.4 members", name=name),
    )


@pytest.fixture
def members_document():
    return _document(Collection.objects.get(name=MEMBERS_COLLECTION))


@pytest.fixture
def public_document():
    return _document(Collection.get_first_root_node(), name="leaflet.pdf")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_collection_exists_with_its_privacy():
    collection = Collection.objects.get(name=MEMBERS_COLLECTION)
    [restriction] = collection.get_view_restrictions()
    assert sorted(group.name for group in restriction.groups.all()) == [
        "Administrator",
        "Agency editor",
        "Coordinator",
        "Moderator",
    ]


def test_anonymous_visitors_are_sent_to_log_in(members_document):
    response = Client().get(members_document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_valid_coordinator_and_staff_download_it(client_for, coordinator, editor, members_document):
    for user in (coordinator, editor):
        response = client_for(user).get(members_document.url)
        assert response.status_code == 200
        assert _body(response) == b"%PDF-1.4 members"


def test_coordinator_whose_certificate_expired_is_refused(
    client_for, expired_coordinator, members_document
):
    response = client_for(expired_coordinator).get(members_document.url)
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_a_subcollection_is_private_too():
    parent = Collection.objects.get(name=MEMBERS_COLLECTION)
    child = parent.add_child(name="2026年度 事例検討会")
    document = _document(child)
    assert document_needs_gate(document)
    assert Client().get(document.url).status_code == 302


def test_documents_elsewhere_stay_public(public_document):
    assert not document_needs_gate(public_document)
    response = Client().get(public_document.url)
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 members"
