"""The report pipeline starts without building jsonschema's IRI parser (`hvhk.base.imports`)."""

import subprocess
import sys


def test_report_pipeline_does_not_load_the_iri_parser():
    """In a fresh interpreter, as `hvhk demo` and every report worker start: rfc3987_syntax, which
    builds a Lark parser at import, stays out, and notebooks still validate."""
    code = (
        "import sys, rapporten.pipeline, nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "print(sorted(name for name in ('lark', 'rfc3987_syntax') if sys.modules.get(name)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
