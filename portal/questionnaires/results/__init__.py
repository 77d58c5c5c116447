"""Results of questionnaires for staff: response rates against the audience fixed at opening,
counts per question, charts, and the exports handed to ministries.

- ``aggregate``: the one selector that reads results (a constant number of queries).
- ``suppression``: the one place for the small-count rule; every number shown or exported
  passes through it.
- ``charts``: server-rendered SVG bar charts that describe themselves by their data table.
- ``exports``: aggregated CSV/XLSX (suppressed) and, for identified questionnaires, the raw
  responses for administrators.
- ``access``: who may read results and who may download raw responses.
"""
