"""Coordinator profiles, consent, the members-only directory and public list; partner organisations."""
