import io

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from directory import services
from directory.models import CoordinatorProfile
from portal.accounts import services as account_services
from portal.accounts.models import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(coordinator):
    coordinator.last_name, coordinator.first_name = "索引", "太郎"
    coordinator.family_name_romaji, coordinator.given_name_romaji = "Sakuin", "Taro"
    coordinator.save()
    CoordinatorProfile.objects.create(user=coordinator)
    return coordinator


def found(term: str) -> list[int]:
    return [p.pk for p in get_search_backend().search(term, CoordinatorProfile)]


def test_only_listed_profiles_are_in_the_index(holder):
    assert found("sakuin") == []  # a profile without consent is not indexed
    services.consent_grant(holder, "directory", [])
    assert found("sakuin") == [holder.coordinator_profile.pk]


@pytest.mark.parametrize("how", ["withdraw", "revoke", "sync-after-expiry"])
def test_leaving_the_directory_removes_the_index_entry_also_after_update_index(holder, how):
    services.consent_grant(holder, "directory", [])
    assert found("sakuin")
    if how == "withdraw":
        services.consent_withdraw(holder, "directory")
    elif how == "revoke":
        account_services.certificate_revoke(
            certificate=holder.current_certificate(), revoked_on=today(), reason="x"
        )
    else:
        # A certificate that lapses by date sends no event: the daily sync removes the entry.
        holder.certificates.update(valid_until=today().replace(year=today().year - 1))
        call_command("directory_sync_index", stdout=io.StringIO())
    assert found("sakuin") == []
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert found("sakuin") == []
