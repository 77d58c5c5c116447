"""Coordinator Portal: project package (settings, URLs, shared templates and site-wide apps)."""
