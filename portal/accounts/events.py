"""Signals other apps subscribe to (cache purge and index refresh only, never domain logic)."""

from django.dispatch import Signal

# Sent with ``holder`` when a holder's certification changes (revoked, renewed, imported), so
# that directory listings, search entries and cached fragments can drop or refresh the holder.
certification_changed = Signal()
