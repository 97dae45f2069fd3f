"""Benchmark: render Huis reports with the toolkit against the naive serial CLI baseline.

Baseline, as an analyst would script it: per Huis one `papermill` CLI call, then one
`jupyter nbconvert --to html --no-input`. Both are measured in the same run on the demo data, and
the ratio is printed. The toolkit renders all Huizen (150 by default) with one warm kernel per
worker; the baseline's median over a few reports stands for all of them, since it is a serial loop.
Run:  python benchmarks/bench_rapporten.py [--huizen N] [--baseline N] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
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


def prepare(folder: Path, huizen: int) -> tuple[Path, Path, object]:
    """A store with `huizen` Huizen: the demo set drawn again with other seeds, renamed, as often as needed."""
    roadmap = load_roadmap()
    database = folder / "hvhk.sqlite"
    connection = store.connect(database)
    for copy in range(-(-huizen // len(demodata.HUIZEN))):
        demo = demodata.generate(roadmap, seed=demodata.SEED + copy)
        suffix = f" ({copy + 1})" if copy else ""
        demo = dataclasses.replace(
            demo,
            huizen=demo.huizen.assign(naam=demo.huizen["naam"] + suffix),
            rondes=[{**ronde, "huis": ronde["huis"] + suffix} for ronde in demo.rondes],
        )
        load(connection, roadmap, demo)
    chosen = store.huizen(connection).head(huizen)
    connection.close()
    simulatie = folder / "loket.csv"
    simulate(demodata.generate(roadmap).gemeenten, replicaties=3).to_csv(simulatie, index=False)
    return database, simulatie, chosen


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
    parser.add_argument("--huizen", type=int, default=150, help="number of Huizen, one report each")
    parser.add_argument("--baseline", type=int, default=3, help="reports the slow baseline renders (its median counts)")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        start = time.perf_counter()
        database, simulatie, huizen = prepare(folder, arguments.huizen)
        print(f"{len(huizen)} Huizen prepared in {time.perf_counter() - start:.0f} s")
        opdrachten = batch.huis_opdrachten(huizen, database, simulatie, folder / "toolkit")
        base = baseline(opdrachten[: arguments.baseline], folder)
        start = time.perf_counter()
        results = batch.render_all(opdrachten, werkers=arguments.workers, voortgang=False)
        toolkit = (time.perf_counter() - start) / len(opdrachten)
        assert all(r.gelukt for r in results), [r.fout for r in results if not r.gelukt]
    median = statistics.median(base)
    print(f"reports: {len(opdrachten)}, workers: {arguments.workers}")
    print(f"baseline (serial papermill + nbconvert CLI, {len(base)} reports): median {median:.2f} s per report")
    print(f"toolkit (rapporten.batch.render_all, warm kernels):  {toolkit:.2f} s per report (wall time / reports)")
    print(f"ratio baseline / toolkit: {median / toolkit:.1f}x (target: at least 30x, issue 18)")


if __name__ == "__main__":
    main()
