"""Charts of questionnaire results: the portal's shared SVG bar chart (:mod:`portal.charts`).

A chart is an image (``role="img"``) named by its ``<title>`` and described by the data table
shown beside it; suppressed cells get a hatched marker of fixed width instead of a bar.
"""

from portal.charts import ChartRow, bar_chart

__all__ = ["ChartRow", "bar_chart"]
