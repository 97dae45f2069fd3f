"""`hvhk controle`: check a database and a Roadmap file, and say in Dutch what is wrong with them.

The database is opened read-only, so checking a damaged file can never make it worse. Each problem
is one line that names the Huis, ronde and deelnemer, so a coordinator can find it in the workshop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hvhk.base.errors import GebruikersFout
from hvhk.base.gemeenten import gemeenten
from roadmap import store
from roadmap.definition import Roadmap, load_roadmap, parse_roadmap

MAX_DAMAGE_LINES = 10  # SQLite can list thousands of damaged pages; the first few tell the story
STALE = ("de vergelijking van alle rondes leest andere antwoorden dan er bewaard zijn (een ander programma schreef"
         " ze); herstel met 'hvhk controle --herstel'")
"""A participant whose answer text (`store.stale_antwoord_tekst`) no longer says what their answers say."""


@dataclass(frozen=True)
class Finding:
    """One problem; a warning is worth knowing but does not make the check fail."""

    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{'waarschuwing' if self.warning else 'fout'}: {self.message}"


def check(database: Path, roadmap: Path | None = None) -> list[Finding]:
    """Everything wrong with `database` and the Roadmap file `roadmap` (None: the bundled one)."""
    return check_database(database) + check_roadmap(roadmap)


def check_roadmap(path: Path | None) -> list[Finding]:
    try:
        load_roadmap(path)
    except GebruikersFout as error:
        return [Finding(str(error))]
    return []


def check_database(path: Path) -> list[Finding]:
    try:
        connection = store.connect(path, read_only=True)
    except GebruikersFout as error:
        return [Finding(str(error))]
    try:
        damage = store.damage(connection)
        if damage:  # reading on could fail anywhere: report what SQLite found and stop
            return _damage_findings(path, damage)
        orphans = [
            Finding(f"{path}: tabel {table}: {count} rij(en) verwijzen naar een ontbrekende rij in de tabel {parent}")
            for (table, parent), count in store.orphans(connection).items()
        ]
        return orphans + _content_findings(connection)
    finally:
        connection.close()


def _damage_findings(path: Path, damage: list[str]) -> list[Finding]:
    shown = [Finding(f"{path}: de database is beschadigd (SQLite meldt: {line})") for line in damage[:MAX_DAMAGE_LINES]]
    rest = len(damage) - len(shown)
    hidden = f"nog {rest} meldingen van SQLite niet getoond; " if rest else ""
    return [*shown, Finding(f"{path}: {hidden}de inhoud is niet verder gecontroleerd; gebruik een reservekopie")]


def repair(database: Path) -> None:
    """Write the answer text that the comparison of all rounds reads again from the answers, after
    another program wrote answers (`store.stale_antwoord_tekst`)."""
    store.connect(database, read_only=True).close()  # a missing, foreign or newer file is refused untouched
    connection = store.connect(database)
    try:
        store.rebuild_antwoord_tekst(connection)
    finally:
        connection.close()


def _content_findings(connection) -> list[Finding]:
    roadmaps, findings = _stored_roadmaps(connection)
    stale = set(store.stale_antwoord_tekst(connection))
    for huis in store.huizen(connection).itertuples():
        findings += _check_huis(huis)
        for ronde in store.rondes(connection, huis.id).itertuples():
            findings += _check_ronde(connection, f"Huis '{huis.naam}', ronde {ronde.nummer}", ronde, roadmaps, stale)
    return findings


def _stored_roadmaps(connection) -> tuple[dict[str, Roadmap | None], list[Finding]]:
    """Every stored Roadmap version, None for one whose text does not parse (with a finding for it)."""
    roadmaps, findings = {}, []
    for versie, text in store.roadmap_versies(connection).items():
        try:
            roadmaps[versie] = parse_roadmap(text, f"Roadmap-versie '{versie}' in de database")
        except GebruikersFout as error:
            roadmaps[versie] = None
            findings.append(Finding(str(error)))
    return roadmaps, findings


def _check_huis(huis) -> list[Finding]:
    if not huis.gemeenten:
        return [Finding(f"Huis '{huis.naam}': heeft geen gemeente")]
    known = set(gemeenten()["nis"])
    return [
        Finding(f"Huis '{huis.naam}': onbekende NIS-code '{nis}', geen Vlaamse of Brusselse gemeente")
        for nis in huis.gemeenten if nis not in known
    ]


def _check_ronde(connection, where: str, ronde, roadmaps: dict[str, Roadmap | None], stale: set[int]) -> list[Finding]:
    findings = []
    if ronde.roadmap_versie not in roadmaps:
        findings.append(Finding(f"{where}: Roadmap-versie '{ronde.roadmap_versie}' staat niet in de database"))
    deelnemers = store.deelnemers(connection, ronde.id)
    if deelnemers.empty:
        findings.append(Finding(f"{where}: nog geen deelnemers", warning=True))
    findings += _same_deelnemer(where, deelnemers)
    problems = []
    roadmap = roadmaps.get(ronde.roadmap_versie)
    if roadmap is not None and not deelnemers.empty:
        problems = (
            _participant_problems(deelnemers, roadmap)
            + _answer_problems(store.antwoorden(connection, ronde.id), roadmap, "antwoord")
            + _answer_problems(store.stemmen(connection, ronde.id), roadmap, "stem na de bespreking")
            + _belang_problems(store.belangen(connection, ronde.id), roadmap)
        )
    problems += [(d, STALE) for d in deelnemers["id"] if d in stale]
    naam = dict(zip(deelnemers["id"], deelnemers["naam"]))
    return findings + [Finding(f"{where}, deelnemer '{naam[d]}': {problem}") for d, problem in problems]


def _same_deelnemer(where: str, deelnemers: pd.DataFrame) -> list[Finding]:
    """Deelnemers whose names differ only in case or spaces: hvhk now takes them for one person
    (`store.deelnemer_key`), but a file from before that rule can hold both."""
    first: dict[str, str] = {}
    findings = []
    for naam in deelnemers["naam"]:
        earlier = first.setdefault(store.deelnemer_key(naam), naam)
        if earlier != naam:
            findings.append(Finding(
                f"{where}, deelnemer '{naam}': zelfde naam als deelnemer '{earlier}' (hoofdletters en spaties tellen"
                f" niet mee); wie zich met deze naam aanmeldt, krijgt de antwoorden van '{earlier}'",
                warning=True,
            ))
    return findings


def _participant_problems(deelnemers: pd.DataFrame, roadmap: Roadmap) -> list[tuple[int, str]]:
    known = {levensdomein.id for levensdomein in roadmap.levensdomeinen}
    return [
        (d.id, f"onbekend levensdomein '{d.levensdomein_id}', niet in Roadmap-versie {roadmap.versie}")
        for d in deelnemers.itertuples() if isinstance(d.levensdomein_id, str) and d.levensdomein_id not in known
    ]


def _answer_problems(antwoorden: pd.DataFrame, roadmap: Roadmap, wat: str) -> list[tuple[int, str]]:
    """Answers (`wat`: the first answer, or the vote after the discussion) the round's Roadmap cannot read."""
    known, elders = set(roadmap.stellingen["stelling_id"]), f"niet in Roadmap-versie {roadmap.versie}"
    niveaus, problems = roadmap.schaal.niveau_waarden, []
    welk = "" if wat == "antwoord" else f" ({wat})"
    for a in antwoorden.itertuples():
        if a.stelling_id not in known:
            problems.append((a.deelnemer_id, f"{wat} op onbekende stelling '{a.stelling_id}', {elders}"))
        if pd.notna(a.niveau) and a.niveau not in niveaus:
            problems.append((a.deelnemer_id, f"niveau {a.niveau:g} bij stelling '{a.stelling_id}'{welk} ligt niet"
                                             f" tussen {niveaus[0]} en {niveaus[-1]}"))
    return problems


def _belang_problems(belangen: pd.DataFrame, roadmap: Roadmap) -> list[tuple[int, str]]:
    known, elders = {onderdeel.id for onderdeel in roadmap.onderdelen}, f"niet in Roadmap-versie {roadmap.versie}"
    waarden, problems = roadmap.schaal.belang_waarden, []
    for b in belangen.itertuples():
        if b.onderdeel_id not in known:
            problems.append((b.deelnemer_id, f"belang voor onbekend onderdeel '{b.onderdeel_id}', {elders}"))
        if b.belang not in waarden:
            problems.append((b.deelnemer_id, f"belang {b.belang} voor onderdeel '{b.onderdeel_id}' ligt niet tussen"
                                             f" {waarden[0]} en {waarden[-1]}"))
    return problems
