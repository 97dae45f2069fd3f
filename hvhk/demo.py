"""`hvhk demo`: the whole path on the bundled demo data, from store to reports.

Loads the demo Huizen and rounds into the store (upserts, so a second run changes nothing),
simulates the loket of every demo gemeente, and renders one report per demo Huis and one loket
report per demo gemeente, with an index; a simulation or report whose inputs did not change is
kept, not redone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

import simulatie as simulatie_package
from hvhk import demodata
from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.files import write_atomic
from rapporten import batch, pipeline
from roadmap import store
from roadmap.definition import Roadmap, load_roadmap
from simulatie.experiment import run_scenarios
from simulatie.maten import BASIS
from simulatie.scenario import Scenario, in_brussel
from simulatie.uitvoer import to_report_table

REPLICATIES = 10
SIMULATIE_CODE = Path(simulatie_package.__file__).parent
CHANGES = {  # the scenarios every demo gemeente is compared on, as changes to its current situation
    "10 % meer plaatsen": lambda basis: {"plaatsen": round(basis.plaatsen * 1.1)},
    "20 % van de plaatsen inkomenstarief voorbehouden aan kwetsbare gezinnen":
        lambda basis: {"regels": {"inkomenstarief": {"gereserveerd": 0.2}}},
}


def run_demo(database: Path, uitvoer: Path, werkers: int = 2) -> Path:
    """Run the demo end to end; return the path of the reports' index page."""
    uitvoer.mkdir(parents=True, exist_ok=True)  # a bad output folder fails now, not after the work
    gemeenten = demodata.loket_cijfers()
    simulatie = uitvoer / "simulatie" / "loket.csv"
    key = _simulation_key(gemeenten)
    simulated = _simulated(simulatie) == key
    if not simulated:  # then every report follows from a new table: start their workers
        batch.warm_up(werkers)  # while the data are drawn and loaded on one core
    _step("Fictieve demogegevens laden in", database)
    roadmap = load_roadmap()
    demo = demodata.generate(roadmap)
    connection = store.connect(database)
    try:
        load(connection, roadmap, demo)
        huizen = store.huizen(connection)
    finally:
        connection.close()

    if simulated:
        print(f"De loketsimulatie in {simulatie} is nog actueel.", flush=True)
    else:
        _step("Loketten simuleren naar", simulatie)
        write_atomic(simulatie, simulate(gemeenten, werkers=werkers).assign(gegevens=DEMO_LABEL).to_csv(index=False))
        write_atomic(_key_file(simulatie), f"{key} {_digest(simulatie.read_bytes())}\n")

    rapporten = uitvoer / "rapporten"
    _step("Rapporten maken in", rapporten)
    results, index = pipeline.run(
        database, simulatie, rapporten, huizen=set(huizen.loc[huizen["demo"], "id"]),
        gemeenten=list(gemeenten["nis"]), werkers=werkers,
    )
    failed = [r for r in results if not r.gelukt]
    if failed:
        details = "; ".join(f"{r.opdracht.naam}: {r.fout}" for r in failed)
        raise GebruikersFout(f"{len(failed)} van {len(results)} rapporten mislukt ({details}); zie {index}")
    return index


def load(connection: sqlite3.Connection, roadmap: Roadmap, demo: demodata.Demo) -> None:
    """Save the demo data in the store; saving it again leaves the row counts unchanged."""
    huis_ids = {
        huis.naam: store.save_huis(connection, huis.naam, huis.gemeenten, demo=True)
        for huis in demo.huizen.itertuples()
    }
    for ronde in demo.rondes:
        ronde_id = store.save_ronde(connection, huis_ids[ronde["huis"]], ronde["nummer"], ronde["datum"], roadmap)
        for deelnemer in ronde["deelnemers"]:
            deelnemer_id = store.save_deelnemer(
                connection, ronde_id, deelnemer["naam"], deelnemer["organisatie"], deelnemer["levensdomein_id"]
            )
            store.save_antwoorden(connection, deelnemer_id, deelnemer["antwoorden"])
            store.save_belang(connection, deelnemer_id, deelnemer["belang"])
            if "stemmen" in deelnemer:
                store.save_stemmen(connection, deelnemer_id, deelnemer["stemmen"])
        store.save_prioriteiten(connection, ronde_id, ronde["prioriteiten"])
        if store.acties(connection, ronde_id).empty:  # actions have no natural key: add them once
            for actie in ronde["acties"]:
                store.save_actie(connection, ronde_id, **actie)
        for besluit in ronde["besluiten"]:
            store.save_uitkomst(connection, ronde_id, **besluit)


def simulate(gemeenten: pd.DataFrame, replicaties: int = REPLICATIES, werkers: int = 1) -> pd.DataFrame:
    """Per gemeente and maat: each demo scenario's mean and 95 % interval (soort "situatie"), and each
    change's paired difference with the current situation (soort "verschil"), inputs alongside; the
    replicaties spread over `werkers` processes.

    As many gemeenten as workers are under way at once: one at a time, a core waited at the end of
    each gemeente for the other to finish its last run.
    """
    def one(gemeente) -> pd.DataFrame:
        basis = Scenario(
            naam=BASIS,
            gemeente=gemeente.nis,
            geboorten_per_jaar=float(gemeente.geboorten_per_jaar),
            plaatsen=int(gemeente.plaatsen),
            loket_medewerkers=int(gemeente.loket_medewerkers),
            aandeel_plaatsen=demodata.AANDEEL_PLAATSEN,
            aandeel_nederlandstalig=demodata.AANDEEL_NEDERLANDSTALIG if in_brussel(gemeente.nis) else 0.0,
        )
        scenarios = [basis, *(dataclasses.replace(basis, naam=naam, **change(basis)) for naam, change in CHANGES.items())]
        runs = run_scenarios(scenarios, replicaties=replicaties, seed=int(gemeente.nis), werkers=werkers)
        return to_report_table(runs, scenarios)

    with ThreadPoolExecutor(werkers) as threads:
        tables = list(tqdm(threads.map(one, gemeenten.itertuples()), total=len(gemeenten), desc="Simulaties",
                           unit="gemeente"))
    return pd.concat(tables, ignore_index=True)


def _simulation_key(gemeenten: pd.DataFrame) -> str:
    """What the demo's simulation table follows from: the gemeenten' figures, the replicaties and the
    code of the model and of this module. The seeds are fixed, so equal keys give equal tables."""
    code = b"".join(path.read_bytes() for path in sorted(SIMULATIE_CODE.glob("*.py"))) + Path(__file__).read_bytes()
    return _digest(code + gemeenten.to_csv(index=False).encode() + str(REPLICATIES).encode())


def _simulated(simulatie: Path) -> str | None:
    """The key of the table at `simulatie` when the demo wrote it and nobody changed it since, else None."""
    try:
        key, content = _key_file(simulatie).read_text().split()
        return key if _digest(simulatie.read_bytes()) == content else None
    except (OSError, ValueError):
        return None


def _key_file(simulatie: Path) -> Path:
    return simulatie.with_name(simulatie.name + ".sleutel")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _step(text: str, path: Path) -> None:
    print(f"{text} {path} ...", flush=True)
