"""The benchmark's register: holders, certificates (renewals, revocations), directory profiles and
consent records, all written in bulk."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts import roles
from portal.accounts.certification import fiscal_year_of, valid_until_for
from portal.accounts.models import Certificate, User, today
from portal.taxonomy.models import Field, Language, Prefecture

from .. import sources
from .common import PREFIX, bulk, weighted_prefecture

KINDS = ["local-government", "one-stop", "fresc", "international-association", "npo", "company"]


def make_register(count: int, rng: random.Random, tag: str) -> list[User]:
    """``count`` holders with certificates (and renewals, revocations) and the Coordinator role."""
    prefectures = {p.number: p for p in Prefecture.objects.all()}
    on = today()
    users = bulk(
        User,
        [
            User(
                username=f"{PREFIX}-{tag}-{i:05d}",
                email=f"{PREFIX}-{tag}-{i:05d}@example.jp",
                password=make_password(None),  # unusable: nobody signs in as them
                last_name="試験",
                first_name=f"{i}",
                family_name_romaji="Shiken",
                given_name_romaji=f"No{i}",
            )
            for i in range(count)
        ],
    )
    group = Group.objects.get(name=roles.COORDINATOR)
    bulk(User.groups.through, [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    first = []
    for index, user in enumerate(users):
        issued = on - datetime.timedelta(days=rng.randint(0, 6 * 365))
        revoked = None
        if rng.random() < 1 / 30:
            revoked = min(on, issued + datetime.timedelta(days=rng.randint(1, 700)))
        first.append(
            Certificate(
                holder_id=user.pk,
                number=f"BD-{tag}-{index:05d}",
                issued_on=issued,
                fiscal_year=fiscal_year_of(issued),
                valid_until=valid_until_for(issued),
                revoked_on=revoked,
                revocation_reason="ベンチマーク" if revoked else "",
                workplace="相談窓口",
                workplace_prefecture=weighted_prefecture(rng, prefectures),
            )
        )
    first = bulk(Certificate, first)
    renewals = []
    for certificate in first:
        if certificate.revoked_on is None and rng.random() < 0.1:
            completed = certificate.issued_on + datetime.timedelta(days=rng.randint(900, 1300))
            if completed <= on:
                renewals.append(
                    Certificate(
                        holder_id=certificate.holder_id,
                        number=f"{certificate.number}-R",
                        issued_on=completed,
                        fiscal_year=fiscal_year_of(completed),
                        valid_until=valid_until_for(completed),
                        renews_id=certificate.pk,
                        workplace=certificate.workplace,
                        workplace_prefecture_id=certificate.workplace_prefecture_id,
                    )
                )
    bulk(Certificate, renewals)
    return users


def make_profiles(users: list[User], rng: random.Random) -> None:
    Profile = sources.profile()
    ProfileField = sources.profile_field()
    ProfileLanguage = sources.profile_language()
    Areas = sources.profile_prefecture()
    Consent = sources.consent()
    prefectures = {p.number: p for p in Prefecture.objects.all()}
    fields = list(Field.objects.counted())
    languages = list(Language.objects.all())
    japanese = next((lang for lang in languages if lang.code == "ja"), languages[0])
    chosen = [u for u in users if rng.random() < 0.8]
    profiles = bulk(
        Profile,
        [
            Profile(
                user_id=user.pk,
                workplace_prefecture=weighted_prefecture(rng, prefectures),
                workplace_type=rng.choice(KINDS),
                workplace_name="相談窓口",
                search_name=user.username,
            )
            for user in chosen
        ],
    )
    areas, links, spoken, consents = [], [], [], []
    now = timezone.now()
    for profile in profiles:
        places = {profile.workplace_prefecture_id} | {
            weighted_prefecture(rng, prefectures).pk for _ in range(rng.randint(0, 2))
        }
        areas += [Areas(coordinatorprofile_id=profile.pk, prefecture_id=p) for p in places]
        for position, item in enumerate(rng.sample(fields, rng.randint(1, 4))):
            links.append(
                ProfileField(profile_id=profile.pk, field_id=item.pk, is_main=not position)
            )
        others = rng.sample(languages, rng.randint(0, 2))
        for item in {japanese.pk: japanese, **{lang.pk: lang for lang in others}}.values():
            level = "native" if item is japanese else rng.choice(["business", "daily", "basic"])
            spoken.append(ProfileLanguage(profile_id=profile.pk, language_id=item.pk, level=level))
        for scope, share in (("directory", 0.7), ("public", 0.3)):
            if rng.random() < share:
                withdrawn = rng.random() < 0.05
                consents.append(
                    Consent(
                        user_id=profile.user_id,
                        scope=scope,
                        show_workplace=True,
                        policy_version=1,
                        granted_at=None if withdrawn else now,
                        withdrawn_at=now if withdrawn else None,
                        is_current=True,
                    )
                )
    bulk(Areas, areas)
    bulk(ProfileField, links)
    bulk(ProfileLanguage, spoken)
    bulk(Consent, consents)
