"""Cached HTML of directory cards.

A card is the same for every viewer of one scope: its HTML is cached per profile, consented
fields, scope, language and listing version. Every consent, profile, certification or vocabulary
change bumps the listing version (``services.listings_changed``), so a withdrawn or changed
profile is never served from here; old entries are unreachable and expire with the listing TTL.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .models import Scope

_FLAGS = ("contact", "workplace", "photo", "bio")  # the order of a listing row after its pk


def _key(version: int, language: str, scope: str, row: tuple) -> str:
    pk, *flags = row
    shown = "".join("1" if flag else "0" for flag in flags)
    return f"directory:card:{version}:{language}:{scope}:{pk}:{shown}"


def listing_cards(rows: list[tuple], scope: str) -> list[str]:
    """HTML of the cards for ``rows`` (``(pk, show_contact, show_workplace, show_photo,
    show_bio)`` from ``selectors.directory_page``), in order."""
    version = selectors.listing_version()
    language = translation.get_language() or "ja"
    keys = [_key(version, language, scope, tuple(row)) for row in rows]
    found = cache.get_many(keys)
    missing = [row for row, key in zip(rows, keys, strict=True) if key not in found]
    if missing:
        photo_view = "directory:photo" if scope == Scope.DIRECTORY else "public_photo"
        link = scope == Scope.DIRECTORY
        rendered = {}
        for profile in selectors.profiles_for_page(missing):
            card = selectors.card(profile, selectors.shown_fields(profile), photo_view)
            row = (profile.pk, *(getattr(profile, f"show_{name}") for name in _FLAGS))
            rendered[_key(version, language, scope, row)] = render_to_string(
                "directory/includes/card.html", {"card": card, "link": link}
            )
        cache.set_many(rendered, selectors.LISTING_TTL)
        found.update(rendered)
    # render_to_string gives SafeString, and the cache keeps the type.
    return [found[key] for key in keys if key in found]
