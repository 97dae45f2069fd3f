"""CSV in long format: one row per participant and stelling (a score) or onderdeel (a belang).

Columns: deelnemer;organisatie;levensdomein;id;antwoord;toelichting;na_bespreking. The `id` names a
stelling (the answer is a level, 'weet niet' or 'niet van toepassing') or an onderdeel (the answer is
a belang), on the scale of the round's Roadmap, which keeps those ids apart. `na_bespreking` is the
partner's vote on a stelling after the group discussed it again (empty where there was none); a
file without that column, as written before it existed, reads as before. Written with ';' and a
UTF-8 mark, as Excel in Belgium opens it; read with ';' or ','.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from hvhk.base.files import write_atomic
from hvhk.base.formatting import as_number
from roadmap.io.records import Antwoord, Deelnemer, Fouten

KOLOMMEN = ("deelnemer", "organisatie", "levensdomein", "id", "antwoord", "toelichting", "na_bespreking")
TEKST = ("deelnemer", "organisatie", "toelichting")  # typed freely by people, in the app or in Excel
FORMULE_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell that a spreadsheet runs as a formula begins; written with a leading ' so that Excel
shows it as text (the usual guard against formula injection), and read back without it."""
VERPLICHT = ("deelnemer", "id", "antwoord")
SAVE_AS = "bewaar het in Excel als 'CSV UTF-8 (door komma's gescheiden)'"


def read(path: Path, fouten: Fouten) -> tuple[list[Deelnemer], list[Antwoord]]:
    """The participants and answers in a long-format CSV; every problem goes to `fouten`."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        wrong = error.start
    else:
        wrong = raw.find(b"\x00")  # UTF-16 without a byte order mark decodes, with a NUL next to each letter
    if wrong >= 0:
        row = raw[:wrong].count(b"\n") + 1
        raise fouten.stop(f"rij {row}", f"het bestand is niet in UTF-8 gecodeerd; {SAVE_AS}")
    if not text.strip():
        raise fouten.stop("bestand", "het bestand is leeg")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = _rows(text, delimiter, fouten)
    header = [name.strip().lower() for name in next(rows)[1]]
    expected = ";".join(KOLOMMEN)
    missing = [name for name in VERPLICHT if name not in header]
    if missing:
        raise fouten.stop(
            "rij 1",
            f"kolom {', '.join(repr(m) for m in missing)} ontbreekt; verwacht: {expected}"
            " (kolommen gescheiden door ';' of ',')",
        )
    for name in header:
        if name not in KOLOMMEN:
            fouten.add("rij 1", f"onbekende kolom '{name}'; verwacht: {expected}")
        elif header.count(name) > 1:
            fouten.add("rij 1", f"kolom '{name}' staat er twee keer")
    fouten.check()

    people: dict[str, tuple[Deelnemer, int]] = {}
    antwoorden = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            fouten.add(f"rij {number}", f"{len(cells)} velden in plaats van {len(header)}")
            continue
        record = dict.fromkeys(KOLOMMEN, "") | {name: cell.strip() for name, cell in zip(header, cells)}
        formulas = [name for name, value in record.items() if value.startswith("=")]
        record = {name: _zonder_schild(value) for name, value in record.items()}
        for name in formulas:
            fouten.add(f"rij {number}, kolom '{name}'", "bevat een formule; typ de waarde zelf in")
        for name in VERPLICHT[:2]:
            if not record[name]:
                fouten.add(f"rij {number}, kolom '{name}'", "is leeg")
        if formulas or not record["deelnemer"] or not record["id"]:
            continue
        person = Deelnemer(
            record["deelnemer"], record["organisatie"], record["levensdomein"], f"rij {number}, kolom 'levensdomein'"
        )
        earlier, earlier_row = people.setdefault(person.naam, (person, number))
        for name in ("organisatie", "levensdomein"):
            if getattr(person, name) != getattr(earlier, name):
                fouten.add(
                    f"rij {number}, kolom '{name}'",
                    f"'{getattr(person, name)}' verschilt van rij {earlier_row} ('{getattr(earlier, name)}')"
                    f" voor dezelfde deelnemer '{person.naam}'",
                )
        if record["antwoord"] or record["na_bespreking"]:
            antwoorden.append(Antwoord(person.naam, record["id"], record["antwoord"], record["toelichting"],
                                       f"rij {number}, kolom 'antwoord'", f"rij {number}, kolom 'id'",
                                       record["na_bespreking"], f"rij {number}, kolom 'na_bespreking'"))
        if not record["antwoord"] and record["toelichting"]:
            fouten.add(f"rij {number}, kolom 'antwoord'", "is leeg, maar er staat een toelichting")
    return [person for person, _ in people.values()], antwoorden


def _met_schild(value: object) -> object:
    """A text as Excel shows it without running it; a text that already begins with ' gets one more,
    so that reading it back gives exactly what was typed."""
    return f"'{value}" if isinstance(value, str) and value.startswith((*FORMULE_START, "'")) else value


def _zonder_schild(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith((*FORMULE_START, "'")) else value


def _rows(text: str, delimiter: str, fouten: Fouten) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each row; a field longer than the csv module takes stops the reading."""
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            yield number, cells
    except csv.Error:  # the only one this reader raises: a field above csv.field_size_limit()
        raise fouten.stop(
            f"rij {number + 1}",
            f"een veld is langer dan {as_number(csv.field_size_limit(), 0)} tekens; is dit een bestand met antwoorden?"
        ) from None


def write(path: Path, tabel: pd.DataFrame) -> None:
    """Write a long table (columns KOLOMMEN) so that Excel in Belgium opens it as it is, and runs
    no text as a formula (FORMULE_START).

    Lines end in CR LF, as Excel writes them: the csv module then also quotes a text holding a
    lone CR, which would otherwise end the row when the file is read again.
    """
    tabel = tabel.loc[:, list(KOLOMMEN)].copy()
    for name in TEKST:
        tabel[name] = tabel[name].map(_met_schild)
    text = tabel.to_csv(sep=";", index=False, lineterminator="\r\n")
    write_atomic(path, text.encode("utf-8-sig"))
