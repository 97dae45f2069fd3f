"""`hvhk lab` as an analyst meets it: a real JupyterLab on a copy of the demo store runs an app
notebook and the analysis notebook, shows the widget and the tables, and requests nothing from
outside this computer."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from hvhk.base.paths import NOTEBOOKS

START = 180  # seconds JupyterLab may take to answer on a busy machine
KERNEL = "Python 3 (ipykernel)"


@pytest.fixture
def lab(tmp_path, demo_database):
    """`hvhk lab` in a working folder holding a copy of the demo store and an analyst's own edited
    analyse.ipynb; its printed address. The server is stopped after the test."""
    database = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, database)
    own = json.loads((NOTEBOOKS / "analyse.ipynb").read_text())
    own["cells"].append({"cell_type": "markdown", "id": "eigen", "metadata": {}, "source": ["Mijn eigen vraag"]})
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "analyse.ipynb").write_text(json.dumps(own))
    log = tmp_path / "lab.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hvhk", "lab", "--geen-browser", "--database", str(database)],
            stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path,
            # JupyterLab keeps its settings and open tabs in its config folder: one of this test's own
            env={**os.environ, "PYTHONUNBUFFERED": "1", "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter")},
        )
    try:
        deadline = time.monotonic() + START
        while not (printed := re.search(r"JupyterLab draait op (\S+)", log.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield printed.group(1)
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert process.returncode == 0, log.read_text()


def shown(locator, app, tmp_path) -> None:
    """Wait for a notebook's output; if it never comes, fail with a screenshot and JupyterLab's log, which
    tell a kernel that did not start from a cell that failed, or from cells that never ran."""
    try:
        locator.wait_for(timeout=120_000)
    except PlaywrightTimeoutError:
        path = app.screenshot("lab-zonder-uitvoer")
        pytest.fail(f"no output after 120 s; screenshot {path}; JupyterLab's log:\n{(tmp_path / 'lab.log').read_text()[-4000:]}")


def run_all_cells(app, url: str, name: str):
    """Open notebook `name` at `url`, run all its cells from the Run menu once its kernel is there;
    the notebook's panel."""
    app.page.goto(url)
    tab = app.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name)
    tab.click(timeout=60_000)
    panel = app.page.locator(f"[id='{tab.get_attribute('data-id')}']")
    # before the notebook has its kernel, Run All would ask which kernel to start; and while that
    # kernel still starts, Run All ran nothing on a busy machine (the cells stayed at [ ], twice in
    # a full test run): an analyst, too, waits for Idle
    panel.locator(f".jp-Toolbar-kernelName[aria-label='{KERNEL}']").wait_for(timeout=60_000)
    panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
    app.page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    app.page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    return panel


def test_analyst_runs_an_app_and_the_analysis_in_jupyterlab(lab, pagina, tmp_path):
    base, token = lab.split("/lab?token=")
    assert base.startswith("http://127.0.0.1:") and len(token) >= 32
    app = pagina()
    outside = []
    app.page.context.on("request", lambda r: r.url.startswith((base, "data:", "blob:")) or outside.append(r.url))

    notebook = run_all_cells(app, f"{base}/lab/tree/resultaten.ipynb?token={token}", "resultaten.ipynb")
    # A first visit asks whether to show Jupyter news; the server fetches none either way.
    news = app.page.locator(".jp-toast-message", has_text="Jupyter news").locator("xpath=..")
    news.get_by_role("button", name="No").click()
    dashboard = notebook.locator(".hvhk-dashboard")
    shown(dashboard.locator("img").first, app, tmp_path)
    dashboard.scroll_into_view_if_needed()
    app.screenshot("lab-resultaten")

    # the token of the first visit is remembered
    notebook = run_all_cells(app, f"{base}/lab/tree/analyse.ipynb", "analyse.ipynb")
    tables = notebook.locator(".jp-OutputArea-output table.dataframe")
    shown(tables.nth(1), app, tmp_path)
    assert "Huis van het Kind Mechelen" in tables.first.inner_text()
    assert "stelling_id" in tables.nth(1).inner_text()
    assert notebook.get_by_text("Mijn eigen vraag").count(), "the analyst's own copy stays"
    app.screenshot("lab-analyse")

    assert not app.page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
    assert "Traceback" not in app.page.locator("body").inner_text()
    assert {path.name for path in (tmp_path / "notebooks").glob("*.ipynb")} >= {"resultaten.ipynb", "analyse.ipynb"}
    assert not outside, outside
