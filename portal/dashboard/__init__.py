"""The agency's activity dashboard in the Wagtail admin: what coordinators' activities look like
at a glance, as counts, a map and trends the agency can act on.

- ``selectors/``: every figure as a table, aggregated in the database with a constant number of
  queries; ``tables``: the table, its page cells and its suppressed download rows;
- ``japan_map``: the prefecture map (an accessible SVG tile map); charts come from
  ``portal.charts``;
- ``filters``: the period and prefecture form; ``access``: who reads which part;
- ``admin_views``, ``panels``, ``wagtail_hooks``: pages, downloads (audited), admin-home panels;
- ``demo``: demo register entries for the trend; ``bench``: the ``bench_dashboard`` data.

Domain apps (``directory``, ``cases``, ``newsletters``) are read through ``sources`` (the app
registry), never imported.
"""
