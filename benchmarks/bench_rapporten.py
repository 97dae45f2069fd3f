"""Benchmark: render Huis reports with the toolkit against the naive serial CLI baseline.

Baseline, as an analyst would script it: per Huis one `papermill` CLI call, then one
`jupyter nbconvert --to html --no-input`. Both are measured in the same run on the demo data, and
the ratio is printed. Run:  python benchmarks/bench_rapporten.py [--reports N] [--workers N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hvhk import demodata
from hvhk.demo import load, simulate
from rapporten import batch
from rapporten.render import TEMPLATES
from roadmap import store
from roadmap.definition import load_roadmap

BIN = Path(sys.executable).parent


def prepare(folder: Path) -> tuple[Path, Path, object]:
    roadmap = load_roadmap()
    demo = demodata.generate(roadmap)
    database = folder / "hvhk.sqlite"
    connection = store.connect(database)
    load(connection, roadmap, demo)
    huizen = store.huizen(connection)
    connection.close()
    simulatie = folder / "loket.csv"
    simulate(demo.gemeenten, replicaties=3).to_csv(simulatie, index=False)
    return database, simulatie, huizen


def baseline(opdrachten: list[batch.Opdracht], folder: Path) -> list[float]:
    seconds = []
    for opdracht in opdrachten:
        start = time.perf_counter()
        notebook = folder / f"{opdracht.bestand.stem}.ipynb"
        parameters = [a for k, v in opdracht.parameters.items() for a in ("-p", k, str(v))]
        subprocess.run([BIN / "papermill", "--no-progress-bar", TEMPLATES / batch.HUIS_TEMPLATE, notebook, *parameters],
                       check=True, capture_output=True)
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", notebook],
                       check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=12, help="number of reports (cycles through the demo Huizen)")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        database, simulatie, huizen = prepare(folder)
        rows = huizen.sample(arguments.reports, replace=arguments.reports > len(huizen), random_state=0)
        opdrachten = [
            batch.Opdracht(o.huis_id, o.naam, o.gemeenten, o.parameters, folder / "toolkit" / f"{index:03d}-{o.bestand.name}")
            for index, o in enumerate(batch.huis_opdrachten(rows, database, simulatie, folder / "toolkit"))
        ]
        base = baseline(opdrachten, folder)
        start = time.perf_counter()
        results = batch.render_all(opdrachten, werkers=arguments.workers, voortgang=False)
        toolkit = (time.perf_counter() - start) / len(opdrachten)
        assert all(r.gelukt for r in results), [r.fout for r in results if not r.gelukt]
    median = statistics.median(base)
    print(f"reports: {len(opdrachten)}, workers: {arguments.workers}")
    print(f"baseline (serial papermill + nbconvert CLI): median {median:.2f} s per report")
    print(f"toolkit (rapporten.batch.render_all):        {toolkit:.2f} s per report (wall time / reports)")
    print(f"ratio baseline / toolkit: {median / toolkit:.1f}x")


if __name__ == "__main__":
    main()
