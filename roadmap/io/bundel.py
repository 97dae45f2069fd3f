"""One file per Huis, carried from store to store: a trainer brings Huizen together without loss or
duplicates.

A bundle is a zip with two members: `huis.json`, the Huis with every round as plain data
(`store.ronde_inhoud`) and the text of each Roadmap version its rounds use, and `manifest.json`, the
format version and the SHA-256 of `huis.json`. A Huis, a round and a participant carry a uid, so two
stores recognise the same round whatever their own ids. Participants are pseudonymised ('Partner A',
no organisation) unless names are asked for.

Importing is all or nothing per bundle, and merges by uid:
- a round the store lacks is added; one it holds unchanged is left alone;
- a round that differs is replaced by the bundle's when the store has not been edited since the
  bundle it last came from (the hash kept with the round says so), so a newer bundle brings its
  changes; otherwise the store holds an edit of its own and the bundle is refused, in Dutch, naming
  the Huis, the round and the participants whose data differ.
A damaged or hostile file (no zip, a path outside the bundle, a zip bomb, a wrong checksum, a newer
format, a Roadmap text that is not the version it claims) is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hvhk.base.errors import GebruikersFout
from hvhk.base.files import write_atomic
from hvhk.base.formatting import as_number
from roadmap import analysis, store
from roadmap.definition import Roadmap, dutch_message, parse_roadmap

FORMAAT = 1
"""The bundle format this version writes and the newest it reads."""
LEDEN = ("manifest.json", "huis.json")
MAX_UITGEPAKT_MB = 500  # a Huis of 20 rounds of 50 partners is a few MB; far more is no bundle of ours

Uid = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Keuze = Literal["niveau", "weet_niet", "niet_van_toepassing"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deelnemer(_Strict):
    uid: Uid
    naam: Annotated[str, Field(min_length=1, max_length=200)]
    organisatie: str
    levensdomein_id: str | None
    antwoorden: list[tuple[str, Keuze, int | None, str]]
    belang: list[tuple[str, int]]
    stemmen: list[tuple[str, Keuze, int | None]]


class Ronde(_Strict):
    uid: Uid
    nummer: Annotated[int, Field(ge=1)]
    datum: str
    roadmap_versie: str
    deelnemers: list[Deelnemer]
    prioriteiten: list[str]
    acties: list[tuple[str, str, str, str, str | None, Literal[store.STATUSSEN]]]
    besprekingen: list[tuple[str, int | None, str, str | None]]


class Huis(_Strict):
    uid: Uid
    naam: Annotated[str, Field(min_length=1, max_length=200)]
    demo: bool
    gemeenten: Annotated[list[str], Field(min_length=1)]


class Inhoud(_Strict):
    huis: Huis
    roadmap_versies: dict[str, str]
    rondes: list[Ronde]


class Manifest(_Strict):
    formaat: int
    gemaakt: str
    huis: str
    bestanden: dict[str, str]


# --- export ------------------------------------------------------------------------------------

def export_bundel(connection: sqlite3.Connection, huis_id: int, path: Path, met_namen: bool = False) -> None:
    """Write the bundle of Huis `huis_id` to `path` (written whole, or not at all)."""
    huis = store.huis_inhoud(connection, huis_id)
    rondes = [store.ronde_inhoud(connection, int(ronde_id)) for ronde_id in store.rondes(connection, huis_id)["id"]]
    if not met_namen:
        for ronde in rondes:
            names = analysis.pseudoniemen(pd.Series(range(len(ronde["deelnemers"]))))
            for deelnemer, naam in zip(ronde["deelnemers"], names):
                deelnemer["naam"], deelnemer["organisatie"] = naam, ""
    teksten = store.roadmap_versies(connection)
    inhoud = {"huis": huis, "rondes": rondes,
              "roadmap_versies": {versie: teksten[versie] for versie in sorted({r["roadmap_versie"] for r in rondes})}}
    data = json.dumps(inhoud, ensure_ascii=False, sort_keys=True).encode("utf-8")
    manifest = {"formaat": FORMAAT, "gemaakt": datetime.now().isoformat(timespec="seconds"), "huis": huis["naam"],
                "bestanden": {"huis.json": hashlib.sha256(data).hexdigest()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr("huis.json", data)
    write_atomic(path, buffer.getvalue())


# --- reading -----------------------------------------------------------------------------------

def read_bundel(path: Path) -> Inhoud:
    """The checked content of the bundle at `path`; a Dutch refusal naming the file for any flaw."""
    def refuse(reason: str) -> GebruikersFout:
        return GebruikersFout(f"{path}: {reason}; er is niets ingelezen")

    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise GebruikersFout(f"{path}: bestand niet gevonden") from None
    except (zipfile.BadZipFile, OSError):
        raise refuse("geen hvhk-bundel (geen zip-bestand)") from None
    with archive:
        for name in archive.namelist():
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
                raise refuse(f"de bundel bevat een pad dat buiten de bundel wijst ({name!r})")
        if sorted(archive.namelist()) != sorted(LEDEN):
            raise refuse(f"geen hvhk-bundel: verwacht {' en '.join(LEDEN)}, gevonden {', '.join(archive.namelist())}")
        limit = MAX_UITGEPAKT_MB * 1_000_000
        declared = sum(info.file_size for info in archive.infolist())
        if declared > limit:
            raise refuse(f"uitgepakt zou de bundel {as_number(declared / 1_000_000, 0)} MB groot zijn; een bundel is"
                         f" hoogstens {MAX_UITGEPAKT_MB} MB")
        raw = {}
        for name in LEDEN:
            with archive.open(name) as member:
                raw[name] = member.read(limit + 1)  # a header that lies about the size stops here too
            if len(raw[name]) > limit:
                raise refuse(f"uitgepakt is de bundel groter dan {MAX_UITGEPAKT_MB} MB")
    try:
        manifest = Manifest.model_validate_json(raw["manifest.json"])
    except ValidationError as error:
        raise refuse(f"manifest.json is onleesbaar ({_first_problem(error)})") from None
    if manifest.formaat > FORMAAT:
        raise refuse(f"deze bundel heeft formaat {manifest.formaat}, gemaakt met een nieuwere hvhk; deze versie leest"
                     f" tot formaat {FORMAAT}: werk hvhk bij")
    if hashlib.sha256(raw["huis.json"]).hexdigest() != manifest.bestanden.get("huis.json"):
        raise refuse("het controlegetal van huis.json klopt niet: de bundel is beschadigd of gewijzigd")
    try:
        inhoud = Inhoud.model_validate_json(raw["huis.json"])
    except ValidationError as error:
        raise refuse(f"huis.json is onleesbaar ({_first_problem(error)})") from None
    problem = _content_problem(inhoud)
    if problem:
        raise refuse(problem)
    return inhoud


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "string_pattern_mismatch":  # the one pattern of a bundle: a uid
        return f"veld {where}: is geen geldige code"
    if first["type"] == "json_invalid":
        return "geen geldige JSON"
    return f"veld {where}: {dutch_message(first)}"


@cache
def _roadmap(versie: str, tekst: str) -> Roadmap:
    return parse_roadmap(tekst, f"Roadmap-versie {versie} in de bundel")


@cache
def _known(versie: str, tekst: str) -> tuple[set, set, set, set, set]:
    """What answers under a Roadmap version may name: stellingen, onderdelen, levensdomeinen, niveaus, belang."""
    roadmap = _roadmap(versie, tekst)
    return (set(roadmap.stellingen["stelling_id"]), {o.id for o in roadmap.onderdelen},
            {d.id for d in roadmap.levensdomeinen}, set(roadmap.schaal.niveau_waarden), set(roadmap.schaal.belang_waarden))


def _content_problem(inhoud: Inhoud) -> str:
    """What the bundle holds that its own Roadmap versions cannot read, or ''."""
    for versie, tekst in inhoud.roadmap_versies.items():
        try:
            named = _roadmap(versie, tekst).versie
        except GebruikersFout as error:
            return str(error)
        if named != versie:
            return f"de Roadmap-tekst van versie '{versie}' is die van versie '{named}'"
    for ronde in inhoud.rondes:
        where = f"Huis '{inhoud.huis.naam}', ronde {ronde.nummer}"
        if ronde.roadmap_versie not in inhoud.roadmap_versies:
            return f"{where}: de tekst van Roadmap-versie '{ronde.roadmap_versie}' ontbreekt"
        stellingen, onderdelen, domeinen, niveaus, belangen = _known(
            ronde.roadmap_versie, inhoud.roadmap_versies[ronde.roadmap_versie])
        for deelnemer in ronde.deelnemers:
            who = f"{where}, deelnemer '{deelnemer.naam}'"
            if deelnemer.levensdomein_id is not None and deelnemer.levensdomein_id not in domeinen:
                return f"{who}: onbekend levensdomein '{deelnemer.levensdomein_id}'"
            for stelling_id, keuze, niveau, *_ in (*deelnemer.antwoorden, *deelnemer.stemmen):
                if stelling_id not in stellingen:
                    return f"{who}: onbekende stelling '{stelling_id}'"
                if (keuze == "niveau") != (niveau is not None) or (niveau is not None and niveau not in niveaus):
                    return f"{who}, stelling '{stelling_id}': ongeldig antwoord ({keuze}, {niveau})"
            for onderdeel_id, waarde in deelnemer.belang:
                if onderdeel_id not in onderdelen or waarde not in belangen:
                    return f"{who}: ongeldig belang {waarde} voor '{onderdeel_id}'"
        unknown = [o for o in [*ronde.prioriteiten, *(a[0] for a in ronde.acties)] if o not in onderdelen]
        unknown += [b[0] for b in ronde.besprekingen if b[0] not in stellingen]
        if unknown:
            return f"{where}: onbekend onderdeel of onbekende stelling '{unknown[0]}'"
    return ""


# --- import ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verslag:
    """What an import did, for the line the CLI prints."""

    huis: str
    nieuw: int
    bijgewerkt: int
    ongewijzigd: int


def import_bundels(connection: sqlite3.Connection, paths: list[Path]) -> list[Verslag | GebruikersFout]:
    """Merge several bundles, each all or nothing: per bundle what it did, or why it was refused.

    One transaction holds them all (a savepoint each), so the store is written to disk once."""
    results = []
    with store.transaction(connection):
        for path in paths:
            try:
                results.append(import_bundel(connection, path))
            except GebruikersFout as error:
                results.append(error)
    return results


def import_bundel(connection: sqlite3.Connection, path: Path) -> Verslag:
    """Merge the bundle at `path` into the store, all of it or nothing (see the module's rules)."""
    inhoud = read_bundel(path)
    huis = inhoud.huis
    counts = {"nieuw": 0, "bijgewerkt": 0, "ongewijzigd": 0}
    with store.transaction(connection):
        for versie, tekst in inhoud.roadmap_versies.items():
            try:
                store.save_roadmap_versie(connection, _roadmap(versie, tekst))
            except GebruikersFout as error:
                raise _conflict(path, str(error)) from None
        huis_id = store.huis_voor_uid(connection, huis.uid)
        if store.huis_voor_naam(connection, huis.naam) not in (None, huis_id):
            raise _conflict(path, f"Huis '{huis.naam}': deze database heeft al een Huis met die naam, uit een andere bron")
        huis_id = store.save_bundel_huis(connection, huis.model_dump())
        numbers = store.huis_rondes(connection, huis_id)
        for ronde in inhoud.rondes:
            where = f"Huis '{huis.naam}', ronde {ronde.nummer}"
            found = store.ronde_voor_uid(connection, ronde.uid)
            if found is None:
                if ronde.nummer in numbers:
                    raise _conflict(path, f"{where}: deze database heeft al een ronde {ronde.nummer} van dit Huis,"
                                          " uit een andere bron")
                counts["nieuw"] += 1
            else:
                if found["huis_id"] != huis_id or found["roadmap_versie"] != ronde.roadmap_versie:
                    raise _conflict(path, f"{where}: deze ronde hoort in deze database bij een ander Huis of een"
                                          " andere Roadmap-versie")
                current = Ronde.model_validate(store.ronde_inhoud(connection, found["id"]))
                if _canonical(current) == _canonical(ronde):
                    counts["ongewijzigd"] += 1
                    continue
                if found["bundel_hash"] != _digest(current):
                    raise _conflict(path, f"{where}: {_differences(current, ronde)} verschilt van wat deze database"
                                          " heeft, en de database werd sindsdien zelf gewijzigd")
                counts["bijgewerkt"] += 1
            try:
                store.save_bundel_ronde(connection, huis_id, _store_data(ronde), _digest(ronde))
            except GebruikersFout as error:
                raise _conflict(path, f"{where}: {error}") from None
            except sqlite3.IntegrityError:  # e.g. two participants of one name: SQLite says so in English
                raise _conflict(path, f"{where}: de bundel botst met deze database (twee deelnemers met dezelfde"
                                      " naam in deze ronde)") from None
    return Verslag(huis.naam, **counts)


def _conflict(path: Path, reason: str) -> GebruikersFout:
    return GebruikersFout(f"{path}: {reason}; er is niets ingelezen")


def _store_data(ronde: Ronde) -> dict:
    """A round in the form `store.save_bundel_ronde` takes: its fields, the long lists as they are."""
    return {**dict(ronde), "deelnemers": [dict(deelnemer) for deelnemer in ronde.deelnemers]}


def _canonical(ronde: Ronde) -> bytes:
    """A round as one text, participants by uid: equal texts, equal rounds."""
    return ronde.model_copy(update={"deelnemers": sorted(ronde.deelnemers, key=lambda d: d.uid)}).model_dump_json().encode()


def _digest(ronde: Ronde) -> str:
    return hashlib.sha256(_canonical(ronde)).hexdigest()


def _differences(current: Ronde, incoming: Ronde) -> str:
    """Whose data differ: the participants by name, or the group's own part of the round."""
    before = {d.uid: d for d in current.deelnemers}
    after = {d.uid: d for d in incoming.deelnemers}
    names = [(after.get(uid) or before[uid]).naam for uid in sorted(before.keys() | after.keys())
             if before.get(uid) != after.get(uid)]
    if names:
        return "wat deelnemer " + ", ".join(f"'{naam}'" for naam in names) + " ingaf"
    return "de prioriteiten, acties of bespreking van de groep"
