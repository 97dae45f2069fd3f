"""Benchmark: per-onderdeel results of all Huizen at once against the naive per-Huis pandas loop,
and the import of one filled-in Excel template.

Builds a store of synthetic rounds under the bundled Roadmap (every participant answers every
stelling), then times the baseline an analyst would write (per Huis, per round: `store.antwoorden`
and `analysis.per_onderdeel`) and `aggregate.per_onderdeel_alle_rondes`, both in the same run.
Run:  python benchmarks/bench_roadmap.py [--huizen 150] [--rondes 3] [--deelnemers 20] [--herhalingen 3]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from roadmap import aggregate, store
from roadmap.analysis import per_onderdeel
from roadmap.definition import Roadmap, load_roadmap
from roadmap.io import excel, importing

TARGET_SECONDS = 1.0  # the Excel import
AGGREGATE_TARGET_SECONDS = 0.3  # all 864 000 answers of 150 Huizen (issue 18)
KEUZES = np.array(["niveau", "weet_niet", "niet_van_toepassing"])
KEUZE_KANSEN = [0.85, 0.1, 0.05]


def build_store(path: Path, roadmap: Roadmap, huizen: int, rondes: int, deelnemers: int, seed: int = 0) -> int:
    """Fill a new store at `path` with random answers on every stelling; return the number of answers."""
    rng = np.random.default_rng(seed)
    stellingen = roadmap.stellingen["stelling_id"].tolist()
    ronde_ids = range(1, huizen * rondes + 1)
    deelnemer_ids = np.arange(1, len(ronde_ids) * deelnemers + 1)
    size = len(deelnemer_ids) * len(stellingen)
    keuzes = rng.choice(KEUZES, size=size, p=KEUZE_KANSEN)
    niveaus = np.where(keuzes == "niveau", rng.integers(1, 5, size=size), None)
    connection = store.connect(path)
    with store.transaction(connection):
        connection.execute("INSERT INTO roadmap_versie (versie, yaml) VALUES (?, ?)", (roadmap.versie, roadmap.yaml))
        connection.executemany(
            "INSERT INTO huis (id, naam) VALUES (?, ?)", [(h, f"Huis van het Kind {h}") for h in range(1, huizen + 1)]
        )
        connection.executemany(
            "INSERT INTO ronde (id, huis_id, nummer, datum, roadmap_versie) VALUES (?, ?, ?, '2026-01-01', ?)",
            [(r, (r - 1) // rondes + 1, (r - 1) % rondes + 1, roadmap.versie) for r in ronde_ids],
        )
        connection.executemany(
            "INSERT INTO deelnemer (id, ronde_id, naam) VALUES (?, ?, ?)",
            [(d, (d - 1) // deelnemers + 1, f"Deelnemer {d}") for d in deelnemer_ids.tolist()],
        )
        connection.executemany(
            "INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau, gewijzigd)"
            " VALUES (?, ?, ?, ?, '2026-01-01T10:00:00')",
            zip(
                np.repeat(deelnemer_ids, len(stellingen)).tolist(),
                stellingen * len(deelnemer_ids),
                keuzes.tolist(),
                niveaus.tolist(),
            ),
        )
        store.rebuild_antwoord_tekst(connection)
    connection.close()
    return size


def naive(connection: sqlite3.Connection) -> list[pd.DataFrame]:
    """The baseline: one query and one `per_onderdeel` per round, Huis by Huis."""
    results = []
    for huis_id in store.huizen(connection)["id"]:
        for ronde_id in store.rondes(connection, huis_id)["id"]:
            stellingen = store.ronde_roadmap(connection, ronde_id).stellingen
            results.append(per_onderdeel(store.antwoorden(connection, ronde_id), stellingen))
    return results


def median_seconds(function: Callable[[], object], herhalingen: int) -> float:
    """Run `function` `herhalingen` times; the median wall time in seconds."""
    seconds = []
    for _ in range(herhalingen):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def measure_aggregate(database: Path, herhalingen: int) -> None:
    """Per-onderdeel results of all rounds: the naive loop against `per_onderdeel_alle_rondes`."""
    connection = store.connect(database)
    try:
        base = median_seconds(lambda: naive(connection), herhalingen)
        # a call costs a few percent of the baseline's: more of them steady its median against the machine's drift
        fast = median_seconds(lambda: aggregate.per_onderdeel_alle_rondes(connection), 5 * herhalingen)
    finally:
        connection.close()
    print(f"baseline (per Huis, per round: store.antwoorden + per_onderdeel): median {base:.3f} s")
    print(f"toolkit (aggregate.per_onderdeel_alle_rondes):                  median {fast:.3f} s")
    print(f"ratio baseline / toolkit: {base / fast:.1f}x")
    print(f"toolkit under {AGGREGATE_TARGET_SECONDS} s: {'yes' if fast < AGGREGATE_TARGET_SECONDS else 'NO'}")


def filled_template(path: Path, roadmap: Roadmap, deelnemers: int, seed: int = 0) -> Path:
    """The Excel template with `deelnemers` partners who answered every stelling and every belang."""
    rng = np.random.default_rng(seed)
    excel.write_template(path, roadmap, "Huis van het Kind Benchmark", deelnemers)
    book = load_workbook(path)
    sheet = book[excel.ANTWOORDEN]
    options, belang = list(roadmap.schaal.antwoorden), list(roadmap.schaal.belangen)
    stellingen = set(roadmap.stellingen["stelling_id"])
    for column in range(excel.EERSTE_KOLOM, excel.EERSTE_KOLOM + deelnemers):
        sheet.cell(1, column, f"Partner {column}")
        for row in range(excel.ID_RIJ + 1, sheet.max_row + 1):
            item = sheet.cell(row, 1).value
            if item:
                choices = options if item in stellingen else belang
                sheet.cell(row, column, choices[rng.integers(len(choices))])
    book.save(path)
    return path


def measure_excel_import(folder: Path, herhalingen: int, deelnemers: int = 12) -> None:
    """Reading one filled-in template into a round (checks and the transaction included)."""
    roadmap = load_roadmap()
    path = filled_template(folder / "ingevuld.xlsx", roadmap, deelnemers)
    connection = store.connect(folder / "import.sqlite")
    try:
        huis_id = store.save_huis(connection, "Huis van het Kind Benchmark", ["44021"])
        seconds = median_seconds(lambda: importing.import_file(connection, path, huis_id, roadmap, nummer=1), herhalingen)
        answers = store.row_counts(connection)["antwoord"]
    finally:
        connection.close()
    print(f"Excel import, {deelnemers} participants ({answers} answers): median {seconds:.3f} s")
    print(f"import under {TARGET_SECONDS:.0f} s: {'yes' if seconds < TARGET_SECONDS else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huizen", type=int, default=150)
    parser.add_argument("--rondes", type=int, default=3, help="rounds per Huis")
    parser.add_argument("--deelnemers", type=int, default=20, help="participants per round")
    parser.add_argument("--herhalingen", type=int, default=3,
                        help="timed repetitions of the baseline and the import; the aggregate repeats 5 times as often")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        database = Path(temporary) / "hvhk.sqlite"
        start = time.perf_counter()
        size = build_store(database, load_roadmap(), arguments.huizen, arguments.rondes, arguments.deelnemers)
        print(
            f"{arguments.huizen} Huizen x {arguments.rondes} rounds x {arguments.deelnemers} participants:"
            f" {size} answers (store built in {time.perf_counter() - start:.1f} s)"
        )
        measure_aggregate(database, arguments.herhalingen)
        measure_excel_import(Path(temporary), arguments.herhalingen)


if __name__ == "__main__":
    main()
