"""Benchmark: a trainer reads the bundles of 150 Huizen (3 rounds of 20 partners each, every partner
answering every stelling: 864 000 answers) into an empty store (issue 17; target: under 10 s).

Builds the Huizen as `bench_roadmap` does, writes one bundle per Huis, then times `hvhk bundel
importeer`'s work (`bundel.import_bundel`, file by file) into a new store. The baseline, measured
in the same run, is the same rounds written straight into another new store through the store's
own bulk write (`store.save_bundel_ronde`): no file read, no checksum, no checks against the
Roadmap, no comparison; the ratio is what reading and checking a bundle costs on top.
Run:  python benchmarks/bench_bundel.py [--huizen 150] [--rondes 3] [--deelnemers 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_roadmap import build_store

from roadmap import store
from roadmap.definition import load_roadmap, parse_roadmap
from roadmap.io import bundel

TARGET_SECONDS = 10.0


def write_bundles(database: Path, folder: Path) -> list[Path]:
    """One bundle per Huis of the store, with a gemeente each (the synthetic store has none)."""
    connection = store.connect(database)
    try:
        paths = []
        for huis in store.huizen(connection).itertuples():
            store.save_huis(connection, huis.naam, ["44021"])
            paths.append(folder / f"huis-{huis.id}.zip")
            bundel.export_bundel(connection, huis.id, paths[-1])
        return paths
    finally:
        connection.close()


def baseline(paths: list[Path], database: Path) -> float:
    """Seconds to write the bundles' rounds straight into an empty store, their content read beforehand."""
    contents = [bundel.read_bundel(path).model_dump() for path in paths]
    roadmaps: dict[str, object] = {}  # each Roadmap text parsed once, as the import does
    connection = store.connect(database)
    try:
        start = time.perf_counter()
        with store.transaction(connection):
            for inhoud in contents:
                for versie, tekst in inhoud["roadmap_versies"].items():
                    if tekst not in roadmaps:
                        roadmaps[tekst] = parse_roadmap(tekst, versie)
                    store.save_roadmap_versie(connection, roadmaps[tekst])
                huis_id = store.save_bundel_huis(connection, inhoud["huis"])
                for ronde in inhoud["rondes"]:
                    store.save_bundel_ronde(connection, huis_id, ronde, "")
        return time.perf_counter() - start
    finally:
        connection.close()


def import_all(paths: list[Path], database: Path) -> float:
    connection = store.connect(database)
    try:
        start = time.perf_counter()
        results = bundel.import_bundels(connection, paths)
        seconds = time.perf_counter() - start
        assert not [r for r in results if isinstance(r, Exception)], results
        return seconds
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huizen", type=int, default=150)
    parser.add_argument("--rondes", type=int, default=3)
    parser.add_argument("--deelnemers", type=int, default=20)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bundel-") as temporary:
        folder = Path(temporary)
        answers = build_store(folder / "bron.sqlite", load_roadmap(), arguments.huizen, arguments.rondes,
                              arguments.deelnemers)
        paths = write_bundles(folder / "bron.sqlite", folder)
        size = sum(path.stat().st_size for path in paths)
        print(f"{len(paths)} bundels ({arguments.rondes} rondes van {arguments.deelnemers} partners, {answers:,} antwoorden"
              f" in totaal, {size / 1e6:.1f} MB)")
        base = baseline(paths, folder / "basis.sqlite")
        seconds = import_all(paths, folder / "trainer.sqlite")
        again = import_all(paths, folder / "trainer.sqlite")
        connection = store.connect(folder / "trainer.sqlite")
        counts = store.row_counts(connection)
        connection.close()
    print(f"baseline (the same rounds written straight into an empty store): {base:.2f} s")
    print(f"bundel.import_bundel, all bundles into an empty store:           {seconds:.2f} s"
          f" ({seconds / base:.1f}x the baseline)")
    print(f"the same bundles again (nothing changes):                        {again:.2f} s")
    print(f"store afterwards: {counts['huis']} Huizen, {counts['ronde']} rondes, {counts['antwoord']:,} antwoorden")
    print(f"under {TARGET_SECONDS:.0f} s: {'yes' if seconds < TARGET_SECONDS else 'NO'}")


if __name__ == "__main__":
    main()
