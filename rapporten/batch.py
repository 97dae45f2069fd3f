"""Render the reports of many Huizen in parallel processes, isolating failures, with an index page.

One failing Huis never stops the others: its error is kept and shown on the index page.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path

import nbformat
import pandas as pd
from jinja2 import Template
from tqdm import tqdm

from hvhk.base.cluster import on_cluster
from hvhk.base.files import slug, write_atomic
from hvhk.base.gemeenten import gemeente_naam
from hvhk.base.processes import die_with_parent, end_quickly, shared_pool
from rapporten import fingerprint
from rapporten.kernels import WarmeKernel
from rapporten.pdf import to_pdf
from rapporten.render import TEMPLATES, page, render
from roadmap import aggregate, store

HUIS_TEMPLATE = "huis.ipynb"
GEMEENTE_TEMPLATE = "gemeente.ipynb"
REPORT_IMPORTS = "import rapporten.gemeente, rapporten.huis"  # what the templates import, for `warm_up`
INDEX = Template((TEMPLATES / "index.html.j2").read_text(encoding="utf-8"), autoescape=True)


@dataclass(frozen=True)
class Opdracht:
    """One report to render: which Huis, with which inputs, to which file."""

    huis_id: int
    naam: str
    gemeenten: str
    parameters: dict
    bestand: Path
    invoer: str = ""  # fingerprint of the inputs; a file carrying it is up to date
    pdf: bool = False  # also print the report to PDF, next to the HTML
    template: str = HUIS_TEMPLATE


@dataclass(frozen=True)
class Resultaat:
    opdracht: Opdracht
    fout: str = ""
    ongewijzigd: bool = False  # skipped: the existing file was made from the same inputs

    @property
    def gelukt(self) -> bool:
        return not self.fout


def file_name(huis_id: int, naam: str) -> str:
    """A file name of the Huis's report that cannot leave the output folder."""
    return f"{huis_id:03d}-{slug(naam)}.html"


def huis_opdrachten(
    huizen: pd.DataFrame, database: Path, simulatie: Path, uitvoer: Path, pdf: bool = False
) -> list[Opdracht]:
    """One Opdracht per row of `store.huizen`, writing into `uitvoer`, with its inputs' fingerprint."""
    connection = store.connect(database)
    try:
        alle = aggregate.per_onderdeel_alle_rondes(connection)
        fingerprints = fingerprint.per_huis(connection, TEMPLATES / HUIS_TEMPLATE, Path(simulatie), alle)
    finally:
        connection.close()
    for stale in uitvoer.glob(".*.tmp"):  # left by a batch that was killed while writing
        stale.unlink()
    vergelijking = uitvoer / ".notebooks" / "vergelijking.csv"  # computed once, read by every report
    write_atomic(vergelijking, alle.to_csv(index=False))
    return [
        Opdracht(
            huis_id=int(huis.id),
            naam=huis.naam,
            gemeenten=", ".join(gemeente_naam(nis) for nis in huis.gemeenten),
            parameters={
                "database": str(Path(database).absolute()), "huis_id": int(huis.id),  # the kernel has a cwd of its own
                "simulatie": str(Path(simulatie).absolute()), "vergelijking": str(vergelijking.absolute()),
            },
            bestand=uitvoer / file_name(int(huis.id), huis.naam),
            invoer=fingerprints.get(int(huis.id), ""),
            pdf=pdf,
        )
        for huis in huizen.itertuples()
    ]


def gemeente_opdrachten(gemeenten: list[str], simulatie: Path, uitvoer: Path, pdf: bool = False) -> list[Opdracht]:
    """One Opdracht per gemeente (NIS code) for its loket report, from the simulation table `simulatie`."""
    fingerprints = fingerprint.per_gemeente(TEMPLATES / GEMEENTE_TEMPLATE, Path(simulatie), gemeenten)
    return [
        Opdracht(
            huis_id=0,
            naam=f"Loket {gemeente_naam(nis)}",
            gemeenten=gemeente_naam(nis),
            parameters={"simulatie": str(Path(simulatie).absolute()), "nis": nis},
            bestand=uitvoer / f"gemeente-{nis}-{slug(gemeente_naam(nis), 'gemeente')}.html",
            invoer=fingerprints[nis],
            pdf=pdf,
            template=GEMEENTE_TEMPLATE,
        )
        for nis in gemeenten
    ]


def render_all(
    opdrachten: list[Opdracht], werkers: int = 2, voortgang: bool = True, dask_adres: str | None = None,
    klaar: Callable[[int, int], None] | None = None,
) -> list[Resultaat]:
    """Render every Opdracht in `werkers` processes, each with one warm kernel; results in the order given.

    Reports that are up to date are settled here, before any worker starts: a rerun with nothing to
    redo starts no process and no kernel. `voortgang` shows a progress bar on stderr; `klaar`, for a
    caller's own bar, is called with the number of reports done and the total after each report.
    The workers, each with its kernel, live as long as the program (`_workers`). `dask_adres`
    (a scheduler address such as tcp://host:8786) sends the renders to a dask.distributed cluster
    instead, whose workers need the toolkit installed and the database and output folder at the
    same paths (a shared disk).
    """
    results: dict[int, Resultaat] = {}
    bar = tqdm(total=len(opdrachten), desc="Rapporten", unit="rapport", disable=not voortgang)

    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        bar.update()
        if klaar is not None:
            klaar(done, len(opdrachten))

    with bar:
        todo = {}
        for index, opdracht in enumerate(opdrachten):
            if _nothing_to_do(opdracht):
                results[index] = Resultaat(opdracht, ongewijzigd=True)
                tick()
            else:
                todo[index] = opdracht
        if todo and dask_adres:
            rendered = on_cluster(_render_one, list(todo.values()), dask_adres, klaar=lambda _result: tick())
            results.update(zip(todo, rendered))
        elif todo:
            with _workers(werkers) as pool:
                futures = {pool.submit(_render_one, opdracht): index for index, opdracht in todo.items()}
                try:
                    for future in as_completed(futures):
                        results[futures[future]] = future.result()
                        tick()
                finally:  # after Ctrl+C: the reports being written are finished, the others are not started
                    for future in futures:
                        future.cancel()
                    wait(futures)
    return [results[index] for index in range(len(opdrachten))]


def warm_up(werkers: int = 2) -> None:
    """Start the render workers and their kernels now, with what a report imports, and return at once:
    a caller busy on one core (the demo loading its data) lets them start on the other."""
    with _workers(werkers) as pool:
        for _ in range(max(1, werkers)):
            pool.submit(_run_imports)


def _workers(werkers: int) -> AbstractContextManager[ProcessPoolExecutor]:
    """The program's render workers, which live as long as it (`shared_pool`). They are spawned, not
    forked: a fork copies the caller's threads' locks (a Jupyter kernel or a test runs zmq and
    asyncio threads), and a forked worker now and then died on them."""
    spawn = multiprocessing.get_context("spawn")
    return shared_pool("rapporten", max(1, werkers), mp_context=spawn, initializer=_start_worker)


def _run_imports() -> None:
    """In a worker, start its kernel and import there the modules of the report templates."""
    _warm_kernel().run_notebook(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(REPORT_IMPORTS)]))


def _start_worker() -> None:
    """Leave Ctrl+C to the batch, which stops the workers itself: a worker that took it would die
    mid-report with a traceback. A batch killed outright takes its workers with it. At its end, after
    its kernel, the worker ends quickly (`end_quickly`): the batch waits for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    Finalize(None, end_quickly, exitpriority=0)


_kernels = threading.local()


def _warm_kernel() -> WarmeKernel:
    """The warm kernel of this thread, started at its first report and stopped when the process ends
    (a pool's or cluster's worker process exits without running atexit, but runs these finalizers)."""
    if not hasattr(_kernels, "kernel"):
        _kernels.kernel = WarmeKernel()
        Finalize(_kernels.kernel, _kernels.kernel.stop, exitpriority=10)
    return _kernels.kernel


def is_up_to_date(opdracht: Opdracht) -> bool:
    """Whether the report file exists and was made from the same inputs."""
    return bool(opdracht.invoer) and fingerprint.in_file(opdracht.bestand) == opdracht.invoer


def _nothing_to_do(opdracht: Opdracht) -> bool:
    """Whether the report is up to date, and so is its PDF when one is asked for."""
    html, pdf = opdracht.bestand, opdracht.bestand.with_suffix(".pdf")
    return is_up_to_date(opdracht) and (
        not opdracht.pdf or (pdf.exists() and pdf.stat().st_mtime_ns >= html.stat().st_mtime_ns)
    )


def _render_one(opdracht: Opdracht) -> Resultaat:
    """Make what is missing of one report: the HTML unless it is up to date, then the PDF if asked for."""
    try:
        if not is_up_to_date(opdracht):
            render(opdracht.template, opdracht.parameters, opdracht.bestand, f"Rapport {opdracht.naam}",
                   _warm_kernel(), opdracht.invoer)
        if opdracht.pdf:
            to_pdf(opdracht.bestand, opdracht.bestand.with_suffix(".pdf"))
    except Exception as error:  # noqa: BLE001 - any failure of one report is reported, not raised
        return Resultaat(opdracht, fout=_last_line(error))
    return Resultaat(opdracht)


ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def _last_line(error: Exception) -> str:
    """The last line that names the error, without a traceback (papermill puts it last) or colour codes."""
    lines = [line for line in ANSI_COLOUR.sub("", str(error)).strip().splitlines() if line.strip()]
    return (lines[-1] if lines else type(error).__name__)[:300]


def write_index(results: list[Resultaat], folder: Path, demo: bool) -> Path:
    """Write `index.html` in `folder`: every report with its status, links relative to it, the Huis
    reports and the loket reports apart, each in the order of their names."""
    ordered = sorted(results, key=lambda r: r.opdracht.naam)
    huizen = [r for r in ordered if r.opdracht.template == HUIS_TEMPLATE]
    body = INDEX.render(huizen=huizen, gemeenten=[r for r in ordered if r not in huizen], demo=demo)
    path = folder / "index.html"
    write_atomic(path, page("Rapporten Huizen van het Kind", body))
    return path
