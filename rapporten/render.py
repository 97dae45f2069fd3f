"""Render one report: fill in a template notebook's parameters with papermill, execute it on a
warm kernel, convert it to clean HTML.

The HTML has no code, no prompts and no link to any outside address (nbconvert's `basic` body
inside our own page), so a report opens offline and prints well.
"""

from __future__ import annotations

import copy
import functools
from importlib.resources import files
from pathlib import Path

import nbformat
from jinja2 import Template
from markupsafe import Markup
from nbconvert import HTMLExporter
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from hvhk.base.files import write_atomic
from rapporten import RESULTATEN
from rapporten.kernels import WarmeKernel

TEMPLATES = files("rapporten") / "templates"
PAGE = Template((TEMPLATES / "pagina.html.j2").read_text(encoding="utf-8"), autoescape=True)
STYLE = (TEMPLATES / "rapport.css").read_text(encoding="utf-8")


def render(
    template: str, parameters: dict, html_path: Path, title: str, kernel: WarmeKernel, invoer: str = ""
) -> nbformat.NotebookNode:
    """Execute `template` (a file in rapporten/templates) with `parameters` on `kernel`, write `html_path`.

    papermill puts the parameters into the notebook, as it does for a notebook run by hand. The
    executed notebook is kept beside the HTML (in `.notebooks/`) so its results stay retrievable;
    both files are written atomically. `invoer`, the fingerprint of the inputs, goes into the page
    so that a later batch can see the report is up to date. A failing cell raises, so that a batch
    can report which report failed and why.
    """
    notebook = load_notebook_node(str(TEMPLATES / template))
    notebook = parameterize_notebook(notebook, parameters, kernel_name="python3", language="python")
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cel-{index}"  # papermill draws random ids; the same inputs must give the same page
    kernel.run_notebook(notebook)
    write_atomic(html_path.parent / ".notebooks" / f"{html_path.stem}.ipynb", nbformat.writes(notebook))
    write_atomic(html_path, to_html(notebook, title, invoer))
    return notebook


def resultaten(notebook: nbformat.NotebookNode) -> dict:
    """The key numbers a report template left as data (`rapporten.RESULTATEN`)."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            found.update(output.get("data", {}).get(RESULTATEN, {}))
    return found


def to_html(notebook: nbformat.NotebookNode, title: str, invoer: str = "") -> str:
    """The notebook's outputs only, as one self-contained HTML page; data outputs stay out."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        cell["outputs"] = [o for o in cell.get("outputs", []) if RESULTATEN not in o.get("data", {})]
    body, _ = _exporter().from_notebook_node(notebook)
    return page(title, body, invoer)


@functools.cache
def _exporter() -> HTMLExporter:
    """One exporter per process: a new one compiles nbconvert's templates again, half of a conversion.
    It validates the notebook once, after all its preprocessors, rather than after each of them."""
    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        optimistic_validation=True)


def page(title: str, body: str, invoer: str = "") -> str:
    """An HTML page with the toolkit's print-friendly style around `body` (already HTML)."""
    return PAGE.render(title=title, style=Markup(STYLE), body=Markup(body), invoer=invoer)
