"""Render one report: execute a template notebook with papermill, convert it to clean HTML.

Only this module starts kernels. The HTML has no code, no prompts and no link to any outside
address (nbconvert's `basic` body inside our own page), so a report opens offline and prints well.
"""

from __future__ import annotations

import atexit
import copy
import functools
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

import nbformat
import papermill
from jinja2 import Template
from jupyter_client.manager import AsyncKernelManager
from markupsafe import Markup
from nbconvert import HTMLExporter

from hvhk.files import write_atomic
from rapporten import RESULTATEN

TEMPLATES = files("rapporten") / "templates"
PAGE = Template((TEMPLATES / "pagina.html.j2").read_text(encoding="utf-8"), autoescape=True)
STYLE = (TEMPLATES / "rapport.css").read_text(encoding="utf-8")


class IpcKernelManager(AsyncKernelManager):
    """A kernel reached through socket files in a private folder rather than TCP ports.

    Reports render in parallel processes; with TCP each picks "free" ports that another starting
    kernel may take first ("Address already in use"), which failed a report now and then.
    """

    def __init__(self, **kwargs):
        super().__init__(transport="ipc", ip=str(_kernel_folder() / "kernel"), **kwargs)


@functools.cache
def _kernel_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hvhk-kernels-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def render(template: str, parameters: dict, html_path: Path, title: str, invoer: str = "") -> nbformat.NotebookNode:
    """Execute `template` (a file in rapporten/templates) with `parameters`, write `html_path`.

    The executed notebook is kept beside the HTML (in `.notebooks/`) so its results stay
    retrievable; both files are written atomically. `invoer`, the fingerprint of the inputs, goes
    into the page so that a later batch can see the report is up to date. Raises papermill's execution error when a
    cell fails, so that a batch can report which report failed and why.
    """
    notebook = papermill.execute_notebook(
        str(TEMPLATES / template),
        None,
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        # Kernel log lines (a TCP warning, an interrupt at shutdown) are noise for a user; a failing
        # cell still reaches us as papermill's execution error.
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        kernel_manager_class=IpcKernelManager,
    )
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
    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(notebook)
    return page(title, body, invoer)


def page(title: str, body: str, invoer: str = "") -> str:
    """An HTML page with the toolkit's print-friendly style around `body` (already HTML)."""
    return PAGE.render(title=title, style=Markup(STYLE), body=Markup(body), invoer=invoer)
