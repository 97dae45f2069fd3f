"""Reports per Huis and gemeente, rendered from template notebooks with papermill."""

from hvhk.base.imports import skip_iri_parser

skip_iri_parser()  # before papermill and nbformat are imported, by any module of this package

# The numbers a report shows, as data in the executed notebook: kept for analysts and tests,
# never drawn in the HTML.
RESULTATEN = "application/vnd.hvhk.resultaten+json"
