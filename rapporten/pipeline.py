"""The one way reports are made, for the `hvhk rapporten` command, the demo and the report app alike:
select → fingerprint → render → index.

One home keeps the rules the same for every caller: a report whose inputs did not change is not
made again, and the index lists every report in the folder that is still up to date, not only the
ones just asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from hvhk.base.errors import GebruikersFout
from rapporten import batch
from roadmap import store
from simulatie.uitvoer import read_report_table


def run(
    database: Path,
    simulatie: Path,
    uitvoer: Path,
    huizen: Collection[int] | None = None,
    gemeenten: Collection[str] | None = None,
    pdf: bool = False,
    werkers: int = 2,
    dask_adres: str | None = None,
    voortgang: bool = True,
    klaar: Callable[[int, int], None] | None = None,
) -> tuple[list[batch.Resultaat], Path]:
    """Make the chosen reports in the folder `uitvoer` and its index; return their results and the index's path.

    `huizen` (ids) and `gemeenten` (NIS codes) choose the reports, None choosing all of them;
    `simulatie` is the simulation table the loket reports and the Huis reports' loket part read,
    which may be missing. `werkers`, `dask_adres`, `voortgang` and `klaar` go to `batch.render_all`.
    """
    simulated = sorted(read_report_table(simulatie)["nis"].unique()) if simulatie.exists() else []
    for nis in sorted(set(gemeenten or ()) - set(simulated)):
        raise GebruikersFout(f"{simulatie}: geen simulatieresultaten voor gemeente {nis}")
    connection = store.connect(database)
    try:
        alle_huizen = store.huizen(connection)
    finally:
        connection.close()
    opdrachten = batch.huis_opdrachten(alle_huizen, database, simulatie, uitvoer, pdf=pdf)
    opdrachten += batch.gemeente_opdrachten(simulated, simulatie, uitvoer, pdf=pdf)
    chosen = [_chosen(opdracht, huizen, gemeenten) for opdracht in opdrachten]
    results = batch.render_all([o for o, c in zip(opdrachten, chosen) if c], werkers, voortgang, dask_adres, klaar)
    others = [batch.Resultaat(o, ongewijzigd=True) for o, c in zip(opdrachten, chosen) if not c and batch.is_up_to_date(o)]
    index = batch.write_index(results + others, uitvoer, demo=bool(alle_huizen["demo"].any()))
    return results, index


def _chosen(opdracht: batch.Opdracht, huizen: Collection[int] | None, gemeenten: Collection[str] | None) -> bool:
    if opdracht.template == batch.GEMEENTE_TEMPLATE:
        return gemeenten is None or opdracht.parameters["nis"] in gemeenten
    return huizen is None or opdracht.huis_id in huizen
