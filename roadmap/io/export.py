"""Export a Huis's data: one round as long CSV (importable again), or everything as an Excel workbook
with the results per onderdeel and per stelling for analysts.

Participants appear as 'Partner A', 'Partner B', ... and without organisation unless the user
asks for names explicitly: workshop answers are personal opinions of named partners.
"""

from __future__ import annotations

import sqlite3
from io import BytesIO
from pathlib import Path

import pandas as pd

from hvhk.base.errors import GebruikersFout
from hvhk.base.files import write_atomic
from roadmap import store
from roadmap.analysis import per_onderdeel, per_stelling, pseudoniemen
from roadmap.io import longcsv


def long_table(connection: sqlite3.Connection, ronde_id: int, met_namen: bool = False) -> pd.DataFrame:
    """A round as a long table (`longcsv.KOLOMMEN`): scores per stelling, with the vote after the
    discussion where there was one, then belang per onderdeel."""
    schaal = store.ronde_roadmap(connection, ronde_id).schaal
    people = _deelnemers(connection, ronde_id, met_namen).set_index("id")
    labels = {"weet_niet": schaal.weet_niet, "niet_van_toepassing": schaal.niet_van_toepassing}

    def as_text(answers: pd.DataFrame) -> list[str]:
        # `or`, not a default: a round of only weet niet / nvt has None levels, which cannot be formatted
        return [labels.get(k) or f"{n:.0f}" for k, n in zip(answers["keuze"], answers["niveau"])]

    scores = store.antwoorden(connection, ronde_id)
    scores = scores.assign(antwoord=as_text(scores))[["deelnemer_id", "stelling_id", "antwoord", "toelichting"]]
    votes = store.stemmen(connection, ronde_id)
    votes = votes.assign(na_bespreking=as_text(votes))[["deelnemer_id", "stelling_id", "na_bespreking"]]
    scores = scores.merge(votes, on=["deelnemer_id", "stelling_id"], how="outer")
    scores = scores.astype({"antwoord": object, "toelichting": object, "na_bespreking": object}).fillna(
        {"antwoord": "", "toelichting": "", "na_bespreking": ""})
    scores = scores.assign(id=scores["stelling_id"])
    belang = store.belangen(connection, ronde_id)
    belang = belang.assign(id=belang["onderdeel_id"], antwoord=belang["belang"].astype(str), toelichting="",
                           na_bespreking="")
    rows = pd.concat([scores, belang], ignore_index=True)
    rows = rows.join(people, on="deelnemer_id")
    return rows.assign(deelnemer=rows["naam"], levensdomein=rows["levensdomein_id"].fillna(""))[
        list(longcsv.KOLOMMEN)
    ]


def _deelnemers(connection: sqlite3.Connection, ronde_id: int, met_namen: bool) -> pd.DataFrame:
    people = store.deelnemers(connection, ronde_id)
    if not met_namen:
        people = people.assign(naam=people["id"].map(pseudoniemen(people["id"])), organisatie="")
    return people


def export_huis(
    connection: sqlite3.Connection, huis_id: int, path: Path, nummer: int | None = None, met_namen: bool = False
) -> None:
    """Write `path`: a .csv holds round `nummer` (default the last), an .xlsx the whole Huis."""
    rounds = store.rondes(connection, huis_id)
    if rounds.empty:
        raise GebruikersFout("dit Huis heeft nog geen rondes om te exporteren")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        nummer = int(rounds["nummer"].max()) if nummer is None else nummer
        match = rounds.loc[rounds["nummer"] == nummer, "id"]
        if match.empty:
            raise GebruikersFout(f"ronde {nummer} bestaat niet; dit Huis heeft ronde {_list(rounds['nummer'])}")
        longcsv.write(path, long_table(connection, int(match.iloc[0]), met_namen))
    elif suffix == ".xlsx":
        write_atomic(path, _werkmap(connection, huis_id, rounds, met_namen))
    else:
        raise GebruikersFout(f"{path}: kies een bestand dat eindigt op .csv (één ronde) of .xlsx (alles)")


def _werkmap(connection: sqlite3.Connection, huis_id: int, rounds: pd.DataFrame, met_namen: bool) -> bytes:
    huis = store.huizen(connection).set_index("id").loc[huis_id]
    sheets = {
        "Huis": pd.DataFrame({"naam": [huis["naam"]], "gemeenten (NIS)": [", ".join(huis["gemeenten"])]}),
        "Rondes": rounds.rename(columns={"id": "ronde_id"}),
    }
    per_round = {
        "Deelnemers": [], "Antwoorden": [], "Per onderdeel": [], "Per stelling": [], "Bespreking": [],
        "Prioriteiten": [], "Acties": [],
    }
    for ronde_id, nummer in zip(rounds["id"], rounds["nummer"]):
        antwoorden, stellingen = store.antwoorden(connection, ronde_id), store.ronde_roadmap(connection, ronde_id).stellingen
        per_round["Per onderdeel"].append(per_onderdeel(antwoorden, stellingen).assign(ronde=nummer))
        per_round["Per stelling"].append(per_stelling(antwoorden, stellingen).assign(ronde=nummer))
        people = _deelnemers(connection, ronde_id, met_namen).drop(columns="id")
        per_round["Deelnemers"].append(people.assign(ronde=nummer))
        per_round["Antwoorden"].append(long_table(connection, ronde_id, met_namen).assign(ronde=nummer))
        per_round["Bespreking"].append(store.besprekingen(connection, ronde_id).assign(ronde=nummer))
        chosen = store.prioriteiten(connection, ronde_id)
        per_round["Prioriteiten"].append(pd.DataFrame({"ronde": nummer, "onderdeel_id": chosen}))
        per_round["Acties"].append(store.acties(connection, ronde_id).drop(columns="id").assign(ronde=nummer))
    for name, frames in per_round.items():
        frame = pd.concat(frames, ignore_index=True)
        sheets[name] = frame[["ronde", *[c for c in frame.columns if c != "ronde"]]]
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        for sheet in writer.book.worksheets:  # openpyxl takes a text starting with '=' for a formula
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    return buffer.getvalue()


def _list(values: pd.Series) -> str:
    return ", ".join(str(v) for v in values)
