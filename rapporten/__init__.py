"""Reports per Huis and gemeente, rendered from template notebooks with papermill."""

# The numbers a report shows, as data in the executed notebook: kept for analysts and tests,
# never drawn in the HTML.
RESULTATEN = "application/vnd.hvhk.resultaten+json"
