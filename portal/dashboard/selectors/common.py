"""What the figures share: the vocabulary, and who counts as a certified coordinator and where.

Certified coordinators are the holders on the register (``accounts.Certificate``). On a given day
a holder is *valid* with a certificate issued by then, not past its last day and not revoked by
then; ``portal.accounts.models.CertificateQuerySet.valid_on`` is the one definition.

A coordinator's prefectures are where they are active (the areas of activity on their directory
profile) and where they work: the profile's workplace prefecture, or, without one, the workplace
prefecture of their certificate on the register (the one valid longest). Questionnaire audiences
use the same two sources.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from portal.accounts.models import Certificate, User
from portal.taxonomy.models import Field, Language, Prefecture

from .. import sources


class Reading:
    """One reading of the dashboard (one request): the taxonomy rows the figures are labelled
    with, read once when needed, and query results that several tables share."""

    def __init__(self):
        self._shared: dict = {}

    def shared(self, key: str, compute):
        """``compute()`` once per reading under ``key``."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    @cached_property
    def prefectures(self) -> list[Prefecture]:
        return list(Prefecture.objects.order_by("number"))

    @cached_property
    def fields(self) -> list[Field]:
        """Fields counted in statistics (not the catch-all "other"), in their order."""
        return list(Field.objects.counted().order_by("order", "slug"))

    @cached_property
    def languages(self) -> list[Language]:
        return list(Language.objects.order_by("order", "code"))


def holders(on: datetime.date):
    """Users holding at least one certificate issued on or before ``on``."""
    return User.objects.filter(
        Exists(Certificate.objects.filter(holder_id=OuterRef("pk"), issued_on__lte=on))
    )


def valid_coordinators(on: datetime.date):
    """Users holding a certificate valid on ``on``."""
    return User.objects.filter(
        Exists(Certificate.objects.valid_on(on).filter(holder_id=OuterRef("pk")))
    )


def workplace_prefecture(user: str = "pk", profile: str = "coordinator_profile"):
    """The id of the prefecture where a user works: an expression on ``User`` (or, with the
    paths to the user's id and profile, on a model that leads to them)."""
    register = (
        Certificate.objects.filter(holder_id=OuterRef(user))
        .order_by("-valid_until", "-issued_on", "-pk")
        .values("workplace_prefecture_id")[:1]
    )
    return Coalesce(
        f"{profile}__workplace_prefecture_id",
        Subquery(register),
        output_field=models.BigIntegerField(),
    )


def in_prefecture(users, prefecture_id: int | None):
    """``users`` who work or are active in the prefecture (all of them for ``None``).

    The same rule as :func:`workplace_prefecture`, written so that the database works out the
    set of people once (``IN`` subqueries it can hash) rather than once per user."""
    if prefecture_id is None:
        return users
    active = (
        sources.profile_prefecture()
        .objects.filter(prefecture_id=prefecture_id)
        .values("coordinatorprofile__user_id")
    )
    latest = (
        Certificate.objects.filter(holder_id=OuterRef("holder_id"))
        .order_by("-valid_until", "-issued_on", "-pk")
        .values("pk")[:1]
    )
    registered = Certificate.objects.filter(
        workplace_prefecture_id=prefecture_id, pk=Subquery(latest)
    ).values("holder_id")
    return users.filter(
        Q(coordinator_profile__workplace_prefecture_id=prefecture_id)
        | Q(coordinator_profile__workplace_prefecture__isnull=True, pk__in=registered)
        | Q(pk__in=active)
    )


def coordinators(on: datetime.date, prefecture_id: int | None):
    """Valid coordinators on ``on`` who work or are active in the prefecture."""
    return in_prefecture(valid_coordinators(on), prefecture_id)
