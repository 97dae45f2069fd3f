"""Imports that cost a program seconds before it does anything."""

import sys


def skip_iri_parser() -> None:
    """Keep jsonschema from loading rfc3987_syntax, which builds an Earley parser for IRIs at import:
    1.7 s in every process that imports nbformat (papermill, nbconvert), before a report is made.

    jupyter-events pulls it in (jsonschema[format-nongpl]) and jsonschema imports it if it is there,
    only to check the "iri" formats, which no notebook has. A None in sys.modules makes its import
    fail, which jsonschema expects (it then checks no iri format). Must run before jsonschema is
    imported; a later call changes nothing.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
