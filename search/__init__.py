"""One permission-aware search over the portal, with Japanese-aware backends."""
