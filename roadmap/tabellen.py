"""The whole store as pandas tables, for an analyst's own questions across all Huizen.

Every table names its keys the same way (huis_id, ronde_id, deelnemer_id, actie_id), so that
`merge` joins them. Participants appear as 'Partner A', 'Partner B', ... per round, without name or
organisation, as in an export without names: the answers are personal opinions of named partners.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from hvhk.base.errors import GebruikersFout
from hvhk.base.gemeenten import gemeenten as alle_gemeenten
from roadmap import store
from roadmap.analysis import pseudoniemen


def tabellen(database: Path) -> dict[str, pd.DataFrame]:
    """Read the store at `database`, without writing to it, into one DataFrame per table.

    huizen, gemeenten (per Huis, with name and provincie), rondes, deelnemers (a partner label
    instead of a name), antwoorden, belang, prioriteiten, acties, and stellingen: the text and
    onderdeel of every stelling of each Roadmap version the rounds were given under. A store without
    rounds has nothing to analyse: a Dutch error says so.
    """
    connection = store.connect(database, read_only=True)
    try:
        huizen = store.huizen(connection).rename(columns={"id": "huis_id"})
        rondes = [store.rondes(connection, huis_id).assign(huis_id=huis_id) for huis_id in huizen["huis_id"]]
        if not sum(map(len, rondes)):
            raise GebruikersFout(f"{database}: er staan nog geen rondes in de database")
        rondes = pd.concat(rondes, ignore_index=True).rename(columns={"id": "ronde_id"})
        per_ronde = [_ronde(connection, ronde_id) for ronde_id in rondes["ronde_id"]]
        stellingen = [
            store.ronde_roadmap(connection, ronde.ronde_id).stellingen.assign(roadmap_versie=ronde.roadmap_versie)
            for ronde in rondes.drop_duplicates("roadmap_versie").itertuples()
        ]
        stellingen = pd.concat(stellingen, ignore_index=True)
    finally:
        connection.close()
    gemeenten = huizen[["huis_id", "gemeenten"]].explode("gemeenten", ignore_index=True).dropna()
    gemeenten = gemeenten.rename(columns={"gemeenten": "nis"}).merge(
        alle_gemeenten()[["nis", "naam", "provincie"]], on="nis", how="left"
    )
    return {
        "huizen": huizen.drop(columns="gemeenten"),
        "gemeenten": gemeenten,
        "rondes": rondes[["ronde_id", "huis_id", "nummer", "datum", "roadmap_versie"]],
        **{name: pd.concat([tables[name] for tables in per_ronde], ignore_index=True) for name in per_ronde[0]},
        "stellingen": stellingen[["roadmap_versie", *stellingen.columns.drop("roadmap_versie")]],
    }


def _ronde(connection: sqlite3.Connection, ronde_id: int) -> dict[str, pd.DataFrame]:
    """The tables of one round, each with a first column ronde_id."""
    people = store.deelnemers(connection, ronde_id)
    tables = {
        "deelnemers": pd.DataFrame({
            "deelnemer_id": people["id"],
            "partner": people["id"].map(pseudoniemen(people["id"])),
            "levensdomein_id": people["levensdomein_id"],
        }),
        "antwoorden": store.antwoorden(connection, ronde_id),
        "belang": store.belangen(connection, ronde_id),
        "prioriteiten": pd.DataFrame({"onderdeel_id": store.prioriteiten(connection, ronde_id)}),
        "acties": store.acties(connection, ronde_id).rename(columns={"id": "actie_id"}),
    }
    return {name: table.assign(ronde_id=ronde_id)[["ronde_id", *table.columns]] for name, table in tables.items()}
