"""Reads of the dashboard: every figure as a table, computed in the database with a constant
number of queries whatever the number of rows.

- ``common``: who counts as a certified coordinator and where; the per-request ``Reading``;
- ``coordinators``: the overview (status, consent, prefectures, fields, languages, workplaces,
  the certification trend);
- ``cases``: case studies and their moderation;
- ``knowledge``: notices, questionnaires, the opinion box and partners.
"""
