"""Import a round's answers from a file: the Excel template or CSV in long format.

All or nothing: the whole file is read and checked against the round's Roadmap first, every
problem is reported with file, sheet, row and column, and only a file without problems is saved,
in one transaction. Importing the same file twice gives the same round.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_number
from roadmap import store
from roadmap.definition import Roadmap, Schaal, as_dutch_list
from roadmap.io import excel, longcsv
from roadmap.io.records import MAX_DEELNEMERS, MAX_MB, Antwoord, Deelnemer, Fouten

LEZERS = {".xlsx": excel.read, ".csv": longcsv.read}
_LEADING_NUMBER = re.compile(r"^(-?\d{1,9})\s*(?:[–-].*)?$")  # longer digit runs are no score


@dataclass(frozen=True)
class Invoer:
    """A checked file: participants, their scores and their belang, ready to save."""

    deelnemers: pd.DataFrame  # naam, organisatie, levensdomein_id
    antwoorden: pd.DataFrame  # deelnemer, stelling_id, keuze, niveau, toelichting
    belangen: pd.DataFrame  # deelnemer, onderdeel_id, belang
    stemmen: pd.DataFrame  # deelnemer, stelling_id, keuze, niveau: the votes after the discussion


@dataclass(frozen=True)
class Verslag:
    """What an import saved, for the line the CLI prints."""

    ronde_id: int
    nummer: int
    deelnemers: int
    antwoorden: int
    belangen: int


def read(path: Path, roadmap: Roadmap) -> Invoer:
    """Read and check the file at `path` against `roadmap`; nothing is saved."""
    reader = LEZERS.get(path.suffix.lower())
    if reader is None:
        raise GebruikersFout(f"{path}: onbekend bestandstype; gebruik het Excel-sjabloon (.xlsx) of een .csv-bestand")
    try:
        size = path.stat().st_size
    except OSError:
        raise GebruikersFout(f"{path}: bestand niet gevonden") from None
    fouten = Fouten(str(path))
    if size == 0:
        raise fouten.stop("bestand", "het bestand is leeg")
    if size > MAX_MB * 1_000_000:
        raise fouten.stop(
            "bestand", f"het bestand is {as_number(size / 1_000_000)} MB; een bestand met antwoorden is hoogstens {MAX_MB} MB"
        )
    deelnemers, antwoorden = reader(path, fouten)
    if len(deelnemers) > MAX_DEELNEMERS:
        raise fouten.stop(
            "bestand",
            f"{len(deelnemers)} deelnemers; een ronde heeft er hoogstens {MAX_DEELNEMERS}"
            " (staat in elke rij de naam van één partner?)",
        )
    invoer = _validate(deelnemers, antwoorden, roadmap, fouten)
    fouten.check()
    return invoer


def import_file(
    connection: sqlite3.Connection,
    path: Path,
    huis_id: int,
    roadmap: Roadmap,
    nummer: int | None = None,
    datum: str | None = None,
) -> Verslag:
    """Import `path` into round `nummer` of a Huis (default: a new round after the last one).

    An existing round is read against its own Roadmap version; a new one is given under `roadmap`.
    Participants already in the round keep their other answers; the file's answers replace theirs.
    """
    rounds = store.rondes(connection, huis_id).set_index("nummer")
    if nummer is None:
        nummer = int(rounds.index.max()) + 1 if len(rounds) else 1
    if nummer in rounds.index:
        roadmap = store.ronde_roadmap(connection, int(rounds.loc[nummer, "id"]))
        datum = datum or rounds.loc[nummer, "datum"]
    invoer = read(path, roadmap)
    with store.transaction(connection):
        ronde_id = store.save_ronde(connection, huis_id, nummer, datum or date.today().isoformat(), roadmap)
        for deelnemer in invoer.deelnemers.itertuples(index=False):
            levensdomein = None if pd.isna(deelnemer.levensdomein_id) else deelnemer.levensdomein_id
            deelnemer_id = store.save_deelnemer(connection, ronde_id, deelnemer.naam, deelnemer.organisatie, levensdomein)
            eigen = invoer.antwoorden.loc[invoer.antwoorden["deelnemer"] == deelnemer.naam]
            store.save_antwoorden(connection, deelnemer_id, eigen)
            belang = invoer.belangen.loc[invoer.belangen["deelnemer"] == deelnemer.naam]
            store.save_belang(connection, deelnemer_id, dict(zip(belang["onderdeel_id"], belang["belang"])))
            store.save_stemmen(connection, deelnemer_id, invoer.stemmen.loc[invoer.stemmen["deelnemer"] == deelnemer.naam])
    return Verslag(ronde_id, nummer, len(invoer.deelnemers), len(invoer.antwoorden), len(invoer.belangen))


def _validate(
    deelnemers: list[Deelnemer], antwoorden: list[Antwoord], roadmap: Roadmap, fouten: Fouten
) -> Invoer:
    domeinen = {d.id.casefold(): d.id for d in roadmap.levensdomeinen}
    domeinen |= {d.naam.casefold(): d.id for d in roadmap.levensdomeinen}
    people, seen_people = [], {}
    for d in deelnemers:
        key = store.deelnemer_key(d.naam)
        if key in seen_people:
            fouten.add(d.waar, f"deelnemer '{d.naam}' staat er twee keer (ook: {seen_people[key]})")
            continue
        seen_people[key] = d.waar
        levensdomein = domeinen.get(d.levensdomein.strip().casefold()) if d.levensdomein.strip() else None
        if d.levensdomein.strip() and levensdomein is None:
            fouten.add(d.waar, f"onbekend levensdomein '{d.levensdomein}'")
        people.append((d.naam, d.organisatie, levensdomein))

    stellingen = set(roadmap.stellingen["stelling_id"])
    onderdelen = {o.id for o in roadmap.onderdelen}
    scores, belangen, stemmen, seen = [], [], [], {}
    for a in antwoorden:
        key = (store.deelnemer_key(a.deelnemer), a.id)
        if key in seen:
            fouten.add(a.waar, f"dubbel antwoord van '{a.deelnemer}' op '{a.id}' (ook: {seen[key]})")
            continue
        seen[key] = a.waar
        try:
            if a.id in stellingen:
                if a.waarde != "":
                    scores.append((a.deelnemer, a.id, *_antwoord(a.waarde, roadmap.schaal), a.toelichting))
            elif a.id in onderdelen:
                belangen.append((a.deelnemer, a.id, _belang(a.waarde, roadmap.schaal)))
            else:
                fouten.add(a.waar_id, f"onbekende stelling of onderdeel '{a.id}' in Roadmap-versie {roadmap.versie}")
        except ValueError as problem:
            fouten.add(a.waar, str(problem))
        if a.na_bespreking != "" and a.id in stellingen:
            try:
                stemmen.append((a.deelnemer, a.id, *_antwoord(a.na_bespreking, roadmap.schaal)))
            except ValueError as problem:
                fouten.add(a.waar_na, str(problem))
        elif a.na_bespreking != "" and a.id in onderdelen:
            fouten.add(a.waar_na, "over het belang van een onderdeel wordt niet opnieuw gestemd; laat dit leeg")
    if not fouten.lijst and not scores and not belangen and not stemmen:
        fouten.add("bestand", "er staan geen antwoorden in")
    return Invoer(
        pd.DataFrame(people, columns=["naam", "organisatie", "levensdomein_id"]),
        pd.DataFrame(scores, columns=["deelnemer", "stelling_id", "keuze", "niveau", "toelichting"]),
        pd.DataFrame(belangen, columns=["deelnemer", "onderdeel_id", "belang"]),
        pd.DataFrame(stemmen, columns=["deelnemer", "stelling_id", "keuze", "niveau"]),
    )


def _antwoord(waarde: object, schaal: Schaal) -> tuple[str, int | None]:
    """A cell's value as (keuze, niveau): a level of the scale by number or label, or weet niet / nvt."""
    labels = {label.casefold(): option for label, option in schaal.antwoorden.items()}
    labels |= {n.label.casefold(): ("niveau", n.waarde) for n in schaal.niveaus}
    labels |= {"nvt": ("niet_van_toepassing", None), "n.v.t.": ("niet_van_toepassing", None)}
    niveaus = schaal.niveau_waarden
    hint = f"kies {niveaus[0]} tot {niveaus[-1]}, '{schaal.weet_niet}' of '{schaal.niet_van_toepassing}'"
    number = _number(waarde, labels, hint)
    if isinstance(number, tuple):
        return number
    if number not in niveaus:
        raise ValueError(f"score {number} ligt niet tussen {niveaus[0]} en {niveaus[-1]}")
    return "niveau", number


def _belang(waarde: object, schaal: Schaal) -> int:
    labels = {label.casefold(): value for label, value in schaal.belangen.items()}
    labels |= {label.casefold(): value for value, label in schaal.belang.items()}
    waarden = schaal.belang_waarden
    number = _number(waarde, labels, f"kies {as_dutch_list(waarden)}")
    if number not in waarden:
        raise ValueError(f"belang {number} moet {as_dutch_list(waarden)} zijn")
    return number


def _number(waarde: object, labels: dict, hint: str):
    """A whole number from a cell, or the option its label names; ValueError with `hint` otherwise."""
    if isinstance(waarde, bool):
        raise ValueError(f"'{waarde}' is geen geldig antwoord; {hint}")  # noqa: TRY004 - a cell value, not a type error
    if isinstance(waarde, (int, float)):
        if not math.isfinite(waarde):  # a number beyond what Excel holds, read as infinity
            raise ValueError(f"'{waarde}' is geen geldig antwoord; {hint}")
        if waarde != int(waarde):
            raise ValueError(f"{waarde} is geen geheel getal; {hint}")
        return int(waarde)
    text = str(waarde).strip()
    if text.casefold() in labels:
        return labels[text.casefold()]
    match = _LEADING_NUMBER.match(text)
    if match is None:
        raise ValueError(f"'{text}' is geen geldig antwoord; {hint}")
    return int(match.group(1))
