"""A gemeente's own figures, the gemeenteprofiel: its current loket as one Scenario per gemeente, read
from Excel or CSV, and the template a gemeente fills in from its own records, Opgroeien and Statbel.

Excel: sheet 'gemeenten' with one row per gemeente (GEMEENTE_KOLOMMEN) and sheet 'locaties' with one
row per location (LOCATIE_KOLOMMEN), titles in row 1; sheet 'Uitleg' says what each column means and
where the figure is found. CSV: one file with one row per location and its gemeente's figures repeated
on each row (the columns of both sheets): one file is what --profiel takes, it is the form a database
export or a pandas merge gives, and the Roadmap's CSV repeats a partner's details the same way; figures
of one gemeente that differ between its rows are an error. Written with ';' and a UTF-8 mark, as Excel
in Belgium opens it; read with ';' or ','.

All or nothing: the first problem stops the import with a Dutch error naming the file, sheet, row (as
a spreadsheet numbers it, titles in row 1) and column, before any simulation runs.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hvhk.base.errors import GebruikersFout
from hvhk.base.files import open_workbook, write_atomic
from hvhk.base.formatting import as_number
from hvhk.base.gemeenten import find_gemeente, gemeente_naam
from simulatie.maten import BASIS
from simulatie.scenario import SOORTEN, Scenario

GEMEENTEN, LOCATIES, UITLEG = "gemeenten", "locaties", "Uitleg"
MAX_MB = 20
MAX_UITGEPAKT_MB = 50
MAX_RIJEN = 50_000
MAX_KOLOMMEN = 100
"""Bounds far above a profile of all of Flanders, so that a wrong or hostile file is refused early."""
_NUMBER = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*(%?)$")


def _number(cell: object) -> tuple[float, bool]:
    """A number from a cell and whether it was typed with %: a number cell as it is, text with a decimal
    comma or point."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and math.isfinite(cell):
        return float(cell), False
    match = _NUMBER.match(str(cell))
    if match is None:
        raise ValueError(f"'{cell}' is geen getal")
    return float(match.group(1).replace(",", ".")), bool(match.group(2))


def _decimal(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def _getal(cell: object) -> float:
    number, percent = _number(cell)
    if percent:
        raise ValueError(f"'{cell}' is een percentage; geef een getal")
    if number < 0:
        raise ValueError(f"{_decimal(number)} is negatief; geef een getal van 0 of meer")
    return number


def _aantal(cell: object) -> int:
    number = _getal(cell)
    if not number.is_integer():
        raise ValueError(f"{_decimal(number)} is geen geheel getal")
    return int(number)


def _aandeel(cell: object) -> float:
    """A share from 0 to 1, typed as 0,2 or as 20 % (a percentage-formatted Excel cell holds 0.2)."""
    number, percent = _number(cell)
    share = number / 100 if percent else number
    if not 0 <= share <= 1:
        where = "boven 100 %" if share > 1 else "onder 0 %"
        raise ValueError(f"{_decimal(100 * share)} % ligt {where}; typ een aandeel als 20 % of als 0,2")
    return share


@cache  # a profile of all of Flanders names each gemeente thousands of times
def _gemeente(cell: object) -> str:
    text = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell)
    try:
        return find_gemeente(text)
    except GebruikersFout as error:
        raise ValueError(str(error)) from None


def _soort(cell: object) -> str:
    soort = str(cell).strip().casefold().replace(" ", "_")
    if soort not in SOORTEN:
        raise ValueError(f"onbekende soort '{cell}'; kies {', '.join(SOORTEN[:-1])} of {SOORTEN[-1]}")
    return soort


@dataclass(frozen=True)
class Kolom:
    """A column of the profile: how a cell is read, what it means, where a gemeente finds the figure,
    and an example as a Belgian spreadsheet shows it."""

    naam: str
    parse: Callable[[object], object]
    uitleg: str
    bron: str
    voorbeeld: str
    verplicht: bool = True


EIGEN = "Eigen registraties van het loket"
GEMEENTE = Kolom("gemeente", _gemeente, "NIS-code of naam van de gemeente", "Statbel, NIS-codes (REFNIS)", "Voorbeeldegem")
GEMEENTE_KOLOMMEN = (
    GEMEENTE,
    Kolom("geboorten_per_jaar", _getal, "Geboorten per jaar in de gemeente",
          "Statbel, geboorten per gemeente (thema Bevolking); neem het gemiddelde van de laatste jaren", "230"),
    Kolom("loket_medewerkers", _aantal, "Loketmedewerkers die tegelijk aanvragen behandelen",
          "Eigen gegevens van het loket", "1"),
    Kolom("loket_uren_per_dag", _getal, "Uren per dag dat het loket open is (vanaf 9 uur)",
          "Eigen gegevens van het loket (openingsuren)", "4"),
    Kolom("loket_dagen_per_week", _aantal, "Dagen per week dat het loket open is (1 tot 7)",
          "Eigen gegevens van het loket (openingsuren)", "5"),
    Kolom("aandeel_kwetsbaar", _aandeel, "Aandeel van de aanvragen van kwetsbare gezinnen",
          f"{EIGEN}; anders de kansarmoede-index van Opgroeien per gemeente als benadering", "20 %"),
    Kolom("aandeel_werkend", _aandeel, "Aandeel van de aanvragen van ouders die werken of studeren (voorrang)",
          EIGEN, "80 %"),
    Kolom("aandeel_broer_zus", _aandeel, "Aandeel van de aanvragen met een broer of zus in de opvang (voorrang)",
          EIGEN, "20 %"),
    Kolom("aandeel_pleegkind", _aandeel, "Aandeel van de aanvragen voor een pleegkind (voorrang)", EIGEN, "1 %"),
    Kolom("aandeel_opvangvraag", _aandeel, "Aandeel van de geboren kinderen voor wie opvang gevraagd wordt"
          " (mag leeg blijven: dan 70 %)", f"{EIGEN}: aanvragen per jaar gedeeld door de geboorten; Opgroeien,"
          " Kinderopvang in cijfers (gebruik van kinderopvang per gemeente)", "70 %", verplicht=False),
    Kolom("aandeel_nederlandstalig", _aandeel, "Alleen in Brussel: aandeel van de aanvragen met Nederlandstalige"
          " voorrang, die geldt voor hoogstens 55 % van de plaatsen (mag leeg blijven: dan 0 %)", EIGEN, "30 %",
          verplicht=False),
)
LOCATIE = Kolom("locatie", str, "Naam van de locatie kinderopvang voor baby's en peuters",
                "Opgroeien, Kinderopvang in cijfers per gemeente; of de eigen lijst van het loket", "De Speelboot")
LOCATIE_KOLOMMEN = (
    GEMEENTE,
    LOCATIE,
    Kolom("soort", _soort, "inkomenstarief: prijs volgens het inkomen, voorrang volgens het decreet; vaste_prijs:"
          " prijs en regels van de organisator; subsidie_kwetsbaar: extra subsidie, voorrang voor kwetsbare gezinnen",
          "Opgroeien, Kinderopvang in cijfers per gemeente (subsidie en prijs per locatie)", "inkomenstarief"),
    Kolom("plaatsen", _aantal, "Plaatsen van de locatie (geheel getal, 0 of meer)",
          "Opgroeien, Kinderopvang in cijfers per gemeente (vergunde plaatsen)", "40"),
)
CSV_KOLOMMEN = GEMEENTE_KOLOMMEN + LOCATIE_KOLOMMEN[1:]
VOORBEELD_LOCATIES = (tuple(k.voorbeeld for k in LOCATIE_KOLOMMEN), (GEMEENTE.voorbeeld, "Het Kabouterhuis", "vaste_prijs", "18"))


@dataclass(frozen=True)
class _Rij:
    """One row of a table: its place for messages and its cells by column name, with their letter."""

    waar: str
    cellen: dict[str, tuple[str, object]]

    def value(self, kolom: Kolom) -> object:
        """The cell of `kolom` read, None for an empty optional cell; else a Dutch error naming the cell."""
        cell = self.cellen.get(kolom.naam, ("", None))[1]
        try:
            if cell is None or not str(cell).strip():
                if kolom.verplicht:
                    raise ValueError("is leeg")
                return None
            return kolom.parse(cell.strip() if isinstance(cell, str) else cell)
        except ValueError as problem:
            raise self.fout(kolom, str(problem)) from None

    def fout(self, kolom: Kolom, problem: str) -> GebruikersFout:
        return GebruikersFout(f"{self.waar}, kolom {self.cellen[kolom.naam][0]} ({kolom.naam}): {problem}")


def read(path: Path) -> dict[str, Scenario]:
    """The current situation (named BASIS) of every gemeente in the profile at `path`, by NIS code in
    file order; the first problem is a GebruikersFout naming file, row and column."""
    readers = {".xlsx": _read_excel, ".csv": _read_csv}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise GebruikersFout(f"{path}: onbekend bestandstype; gebruik het sjabloon (.xlsx) of een .csv-bestand")
    if path.stat().st_size > MAX_MB * 1_000_000:
        raise GebruikersFout(f"{path}: het bestand is groter dan {MAX_MB} MB; een gemeenteprofiel is veel kleiner")
    try:
        return reader(path)
    except GebruikersFout as error:
        raise GebruikersFout(f"{path}: {error}") from None


def _read_excel(path: Path) -> dict[str, Scenario]:
    sheets = _workbook(path)
    gemeenten = {}
    for rij in _rijen(sheets[GEMEENTEN], GEMEENTE_KOLOMMEN, f"blad '{GEMEENTEN}', "):
        nis = rij.value(GEMEENTE)
        if nis in gemeenten:
            raise rij.fout(GEMEENTE, f"{gemeente_naam(nis)} staat ook op {gemeenten[nis][0].waar}")
        gemeenten[nis] = (rij, _figures(rij))
    if not gemeenten:
        raise GebruikersFout(f"blad '{GEMEENTEN}': er staan geen gemeenten in; vul één rij per gemeente in")
    return _scenarios(gemeenten, _rijen(sheets[LOCATIES], LOCATIE_KOLOMMEN, f"blad '{LOCATIES}', "))


def _read_csv(path: Path) -> dict[str, Scenario]:
    """One row per location: a gemeente's figures come from its first row and must be the same on the others."""
    gemeenten, locaties = {}, _rijen(_csv_rows(path), CSV_KOLOMMEN, "")
    for rij in locaties:
        nis, figures = rij.value(GEMEENTE), _figures(rij)
        first, known = gemeenten.setdefault(nis, (rij, figures))
        for kolom in GEMEENTE_KOLOMMEN[1:]:
            if figures.get(kolom.naam) != known.get(kolom.naam):
                raise rij.fout(kolom, f"verschilt van {first.waar} voor dezelfde gemeente {gemeente_naam(nis)};"
                               " geef op elke rij van een gemeente dezelfde cijfers")
    if not gemeenten:
        raise GebruikersFout("er staan geen locaties in; vul één rij per locatie in")
    return _scenarios(gemeenten, locaties)


def _figures(rij: _Rij) -> dict[str, object]:
    """The scenario fields of a gemeente's row; an empty optional cell keeps the scenario's default."""
    figures = {kolom.naam: rij.value(kolom) for kolom in GEMEENTE_KOLOMMEN[1:]}
    return {name: value for name, value in figures.items() if value is not None}


def _scenarios(gemeenten: dict[str, tuple[_Rij, dict]], locaties: list[_Rij]) -> dict[str, Scenario]:
    """One scenario per gemeente, with the places of its locations; every location once, of a known gemeente."""
    places: dict[str, dict[str, tuple[_Rij, str, int]]] = {nis: {} for nis in gemeenten}
    for rij in locaties:
        nis = rij.value(GEMEENTE)
        if nis not in gemeenten:
            raise rij.fout(GEMEENTE, f"{gemeente_naam(nis)} staat niet op blad '{GEMEENTEN}'; vul er haar cijfers in")
        naam, soort, plaatsen = (rij.value(kolom) for kolom in LOCATIE_KOLOMMEN[1:])
        key = " ".join(naam.split()).casefold()
        if key in places[nis]:
            raise rij.fout(LOCATIE, f"locatie '{naam}' van {gemeente_naam(nis)} staat ook op {places[nis][key][0].waar}")
        places[nis][key] = (rij, soort, plaatsen)
    scenarios = {}
    for nis, (rij, figures) in gemeenten.items():
        if not places[nis]:
            raise rij.fout(GEMEENTE, f"{gemeente_naam(nis)} heeft geen locaties op blad '{LOCATIES}'; geef elke"
                           " locatie met haar soort en plaatsen")
        sizes = tuple(plaatsen for _, _, plaatsen in places[nis].values())
        try:
            scenarios[nis] = Scenario(naam=BASIS, gemeente=nis, plaatsen=sum(sizes), locaties=sizes,
                                      locatie_soorten=tuple(soort for _, soort, _ in places[nis].values()), **figures)
        except GebruikersFout as error:
            raise GebruikersFout(f"{rij.waar} ({gemeente_naam(nis)}): {error}") from None
    return scenarios


def _rijen(rows: list[tuple], kolommen: tuple[Kolom, ...], blad: str) -> list[_Rij]:
    """The filled rows of a table whose titles are in its first row, each cell under its column."""
    titles = rows[0] if rows else ()
    names = [str(title or "").strip().casefold().replace(" ", "_") for title in titles]
    known = [kolom.naam for kolom in kolommen]
    for index, name in enumerate(names):
        where = f"{blad}rij 1, kolom {get_column_letter(index + 1)}"
        if name and name not in known:
            hint = difflib.get_close_matches(name, known, n=1)
            raise GebruikersFout(f"{where}: onbekende kolom '{titles[index]}'"
                                 f" ({f'bedoelt u {hint[0]!r}?' if hint else 'kolommen: ' + ', '.join(known)})")
        if name and name in names[:index]:
            raise GebruikersFout(f"{where}: kolom '{name}' staat er twee keer")
    missing = [kolom.naam for kolom in kolommen if kolom.verplicht and kolom.naam not in names]
    if missing:
        raise GebruikersFout(f"{blad}rij 1: kolom {', '.join(missing)} ontbreekt; in rij 1 staan de titels van de"
                             f" kolommen: {', '.join(known)}")
    columns = {name: (get_column_letter(index + 1), index) for index, name in enumerate(names) if name}
    return [
        _Rij(f"{blad}rij {number}", {name: (letter, row[index] if index < len(row) else None)
                                     for name, (letter, index) in columns.items()})
        for number, row in enumerate(rows[1:], start=2)
        if any(cell is not None and str(cell).strip() for cell in row)
    ]


def _workbook(path: Path) -> dict[str, list[tuple]]:
    """The rows of both sheets, with the values Excel last computed.

    The declared unpacked size is checked before openpyxl unpacks anything, so a small zip bomb posing
    as .xlsx is refused; a sheet's declared size is ignored, as openpyxl would pad every row to it.
    """
    book = open_workbook(path, MAX_UITGEPAKT_MB, data_only=True)
    try:
        sheets = {}
        for name in (GEMEENTEN, LOCATIES):
            if name not in book.sheetnames:
                found = ", ".join(f"'{sheet}'" for sheet in book.sheetnames)
                raise GebruikersFout(f"blad '{name}' ontbreekt (gevonden: {found}); gebruik het sjabloon van"
                                     " hvhk simuleer --profiel-sjabloon")
            book[name].reset_dimensions()
            sheets[name] = _bounded(book[name].iter_rows(values_only=True), f"blad '{name}', ")
        return sheets
    finally:
        book.close()


def _csv_rows(path: Path) -> list[tuple]:
    """The rows of a CSV file in UTF-8, separated by ';' or ','."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:  # UTF-16 without a byte order mark decodes, with a NUL next to each letter
        raise GebruikersFout("het bestand is niet in UTF-8 gecodeerd; bewaar het in Excel als 'CSV UTF-8'")
    first = text.split("\n", 1)[0]
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",")
                                   else ","), "")
    except csv.Error:  # a field above csv.field_size_limit()
        raise GebruikersFout("een veld is te lang; is dit een gemeenteprofiel?") from None


def _bounded(rows: Iterable[Sequence], blad: str) -> list[tuple]:
    """All rows, refused when there are more than a profile of all of Flanders needs."""
    result = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_RIJEN or len(row) > MAX_KOLOMMEN:
            raise GebruikersFout(f"{blad}rij {number}: het blad is groter dan {as_number(MAX_RIJEN, 0)} rijen of"
                                 f" {MAX_KOLOMMEN} kolommen; is dit een gemeenteprofiel?")
        result.append(tuple(row))
    return result


def write_template(path: Path) -> None:
    """The template to fill in: an Excel workbook (.xlsx) with an explanation, or a CSV file with two
    example rows whose gemeente is no gemeente, so that they can never be simulated by mistake."""
    if path.suffix.lower() == ".csv":
        figures = [kolom.voorbeeld for kolom in GEMEENTE_KOLOMMEN[1:]]
        rows = [[kolom.naam for kolom in CSV_KOLOMMEN]]
        rows += [["voorbeeld: vervang door uw gemeente", *figures, *row[1:]] for row in VOORBEELD_LOCATIES]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
        write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
        return
    if path.suffix.lower() != ".xlsx":
        raise GebruikersFout(f"{path}: een sjabloon is een .xlsx- of .csv-bestand")
    book = Workbook()
    _uitleg(book.active)
    for name, kolommen in ((GEMEENTEN, GEMEENTE_KOLOMMEN), (LOCATIES, LOCATIE_KOLOMMEN)):
        sheet = book.create_sheet(name)
        for column, kolom in enumerate(kolommen, start=1):
            sheet.cell(1, column, kolom.naam).font = Font(bold=True)
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = max(14, len(kolom.naam) + 2)
            if kolom.parse is _aandeel:  # typing 20 in such a column gives 20 %
                sheet.column_dimensions[letter].number_format = "0.0%"
        sheet.freeze_panes = "A2"
    soort = DataValidation(type="list", formula1=f'"{",".join(SOORTEN)}"', allow_blank=True, showErrorMessage=True,
                           errorTitle="Onbekende soort", error=f"Kies {', '.join(SOORTEN)}.")
    soort.add(f"C2:C{MAX_RIJEN}")
    book[LOCATIES].add_data_validation(soort)
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def _uitleg(sheet: Worksheet) -> None:
    sheet.title = UITLEG
    lines = [
        ("Gemeenteprofiel voor de simulatie van het lokaal loket kinderopvang",),
        ("Sjabloon gemaakt op", date.today().isoformat()),
        (),
        ("Zo vult u dit sjabloon in",),
        ("1.", f"Blad '{GEMEENTEN}': één rij per gemeente, met de cijfers van vandaag."),
        ("2.", f"Blad '{LOCATIES}': één rij per locatie kinderopvang voor baby's en peuters, met haar soort en haar"
               " plaatsen. De plaatsen van een gemeente zijn de som van haar locaties."),
        ("3.", "Laat de titels in rij 1 staan. Een aandeel typt u als 20 % of als 0,2; het ligt tussen 0 en 100 %."
               " Bevat het bestand een fout, dan wordt niets gesimuleerd: de melding noemt blad, rij en kolom."),
        ("4.", "Simuleer alle gemeenten met: hvhk simuleer --profiel BESTAND; één gemeente met: hvhk simuleer"
               " --profiel BESTAND --gemeente NAAM."),
        (),
        ("Blad en kolom", "Betekenis", "Waar vindt u dit cijfer?"),
        *[(f"{blad}: {k.naam}", k.uitleg, k.bron)
          for blad, kolommen in ((GEMEENTEN, GEMEENTE_KOLOMMEN), (LOCATIES, LOCATIE_KOLOMMEN)) for k in kolommen],
        (),
        ("Voorbeeld met verzonnen cijfers (niet om in te vullen)",),
        tuple(k.naam for k in GEMEENTE_KOLOMMEN),
        tuple(k.voorbeeld for k in GEMEENTE_KOLOMMEN),
        tuple(k.naam for k in LOCATIE_KOLOMMEN),
        *VOORBEELD_LOCATIES,
    ]
    for row, line in enumerate(lines, start=1):
        for column, text in enumerate(line, start=1):
            sheet.cell(row, column, text).alignment = Alignment(wrap_text=True, vertical="top")
        if len(line) == 1 or line[:1] == ("Blad en kolom",):
            sheet.cell(row, 1).font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABC", (32, 70, 70)):
        sheet.column_dimensions[letter].width = width
