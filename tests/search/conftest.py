"""Shared configuration of the search tests."""

import os

# The live Elasticsearch test needs a server; it is collected only when one is configured, so that
# no test is left skipped in ordinary runs.
collect_ignore = []
if not os.environ.get("PORTAL_ELASTICSEARCH_URL"):
    collect_ignore.append("test_elasticsearch_live.py")
