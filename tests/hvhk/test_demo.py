"""End to end: `hvhk demo` as a new user runs it, twice, in an empty folder."""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from roadmap import store
from simulatie.maten import groep_maten
from simulatie.scenario import in_brussel


def _run_demo(folder):
    """`hvhk demo` in `folder` with its default paths, also when a test's own output folder is set
    (`eigen_uitvoer`): a second run must meet the first run's reports."""
    environment = {name: value for name, value in os.environ.items() if name not in ("HVHK_UITVOER", "HVHK_DATABASE")}
    return subprocess.run([sys.executable, "-m", "hvhk", "demo"], check=False, cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=300)


def _counts(database):
    with sqlite3.connect(database) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in store.TABLES}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gebruiker")
    first = _run_demo(folder)
    assert first.returncode == 0, first.stderr
    return folder, first, _counts(folder / "data" / "hvhk.sqlite")


def test_demo_reports_index_and_progress(demo_folder):
    folder, result, counts = demo_folder
    reports = folder / "uitvoer" / "rapporten"
    index = reports / "index.html"
    assert result.stdout.strip().splitlines()[-1] == f"Klaar. Open de rapporten via {index}"
    assert "Simulaties" in result.stderr and "Rapporten" in result.stderr, "progress bars"
    assert "Traceback" not in result.stderr and "WARNING" not in result.stderr
    assert counts["huis"] == 12 and counts["ronde"] == 24
    html_files = sorted(p.name for p in reports.glob("*.html") if p.name != "index.html")
    assert len(html_files) == 12 + 20, "a report per Huis and per gemeente"
    page = index.read_text()
    assert "fictieve demogegevens" in page
    assert all(f'href="{name}"' in page for name in html_files)


def test_reports_have_no_code_no_errors_and_no_outside_addresses(demo_folder):
    folder, _, _ = demo_folder
    reports = folder / "uitvoer" / "rapporten"
    for report, heading in [*((r, "Waar staan we?") for r in reports.glob("0*.html")),
                            *((r, "Vraagsignaal") for r in reports.glob("gemeente-*.html"))]:
        html = report.read_text()
        assert "fictieve demogegevens" in html
        assert "Rapport.load" not in html and "import " not in html, f"code in {report.name}"
        assert "Traceback" not in html and "Error" not in html, f"error in {report.name}"
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), f"outside address in {report.name}"
        assert heading in html and "Lokaal loket kinderopvang" in html


def test_simulation_table_covers_every_demo_gemeente(demo_folder):
    folder, _, _ = demo_folder
    table = pd.read_csv(folder / "uitvoer" / "simulatie" / "loket.csv", dtype={"nis": str})
    assert table["nis"].nunique() == 20
    undefined = table.loc[table["gemiddelde"].isna()]
    assert set(undefined["maat"]) == set(groep_maten("nederlandstalig")), "only the Brussels group, and only outside it"
    assert not undefined["nis"].map(in_brussel).any()
    table = table.dropna(subset=["gemiddelde", "ci_laag", "ci_hoog"])  # an interval needs two replicaties with a value
    assert (table["ci_laag"] <= table["gemiddelde"]).all() and (table["gemiddelde"] <= table["ci_hoog"]).all()


def test_second_run_changes_no_row_counts_and_redoes_no_report(demo_folder):
    folder, _, counts = demo_folder
    reports = folder / "uitvoer" / "rapporten"
    made = {path.name: path.stat().st_mtime_ns for path in reports.glob("*.html") if path.name != "index.html"}
    table = folder / "uitvoer" / "simulatie" / "loket.csv"
    simulated = table.stat().st_mtime_ns
    second = _run_demo(folder)
    assert second.returncode == 0, second.stderr
    assert f"De loketsimulatie in {table} is nog actueel." in second.stdout and "Simulaties" not in second.stderr
    assert table.stat().st_mtime_ns == simulated, "same figures, same seeds: the simulation is not run again"
    assert _counts(folder / "data" / "hvhk.sqlite") == counts
    again = {path.name: path.stat().st_mtime_ns for path in reports.glob("*.html") if path.name != "index.html"}
    assert again == made, "the same seed gives the same inputs: no report is made again"
    assert (reports / "index.html").read_text().count(">ongewijzigd<") == 32


def test_a_simulation_table_changed_by_hand_is_simulated_again(tmp_path):
    from hvhk.demo import _key_file, _simulated

    table = tmp_path / "loket.csv"
    table.write_text("nis,maat\n44021,bezetting\n")
    assert _simulated(table) is None, "no key: never written by the demo"
    _key_file(table).write_text(f"sleutel {hashlib.sha256(table.read_bytes()).hexdigest()}\n")
    assert _simulated(table) == "sleutel"
    table.write_text("nis,maat\n44021,bezetting\n11002,bezetting\n")  # e.g. hvhk simuleer added a gemeente
    assert _simulated(table) is None
