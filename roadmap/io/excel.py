"""The Excel template a trainer sends to a Huis, and reading it back.

One workbook per Huis and round. Sheet 'Antwoorden' has a column per participant (name,
organisation and levensdomein on top) and a row per stelling, with drop-down lists on the scale,
plus a belang row after each levensdomein. Sheet 'Toelichting' has the same grid for free text.
The reader knows this layout; the checks of the values themselves are in `roadmap.io.importing`.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hvhk.base.errors import GebruikersFout
from hvhk.base.files import ONLEESBARE_WERKMAP, open_workbook, write_atomic
from roadmap.definition import Roadmap
from roadmap.io.records import MAX_DEELNEMERS, Antwoord, Deelnemer, Fouten

ANTWOORDEN = "Antwoorden"
TOELICHTING = "Toelichting"
LIJSTEN = "Lijsten"
KOP = ("Naam deelnemer", "Organisatie", "Levensdomein")  # rows 1-3 of column C
ID_RIJ = len(KOP) + 1  # the row with the column titles "id", "Onderdeel", "Stelling"
EERSTE_KOLOM = 4  # column D: the first participant
BELANG_VRAAG = "Belang: hoe belangrijk is dit levensdomein voor ons Huis?"
# A filled-in template unpacks to well under a megabyte and has a few hundred rows (one per
# stelling); these bounds leave ample room and stop a hostile workbook early.
MAX_UITGEPAKT_MB = 50
MAX_RIJEN = 2000
MAX_KOLOMMEN = EERSTE_KOLOM - 1 + MAX_DEELNEMERS

_BOLD = Font(bold=True)
_INPUT = PatternFill("solid", start_color="FFF8DC")  # a light colour marks where to type
_SECTION = PatternFill("solid", start_color="D9E2F3")
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(path: Path, roadmap: Roadmap, huis: str, deelnemers: int = 12) -> None:
    """Write the template for Huis `huis` with room for `deelnemers` participants."""
    if deelnemers > MAX_DEELNEMERS:
        raise GebruikersFout(f"een sjabloon heeft plaats voor hoogstens {MAX_DEELNEMERS} deelnemers (gevraagd: {deelnemers})")
    book = Workbook()
    _uitleg(book.active, roadmap, huis)
    lijsten = book.create_sheet(LIJSTEN)
    lists = {
        "A": list(roadmap.schaal.antwoorden),
        "B": list(roadmap.schaal.belangen),
        "C": [d.naam for d in roadmap.levensdomeinen],
    }
    for column, values in lists.items():
        for row, value in enumerate(values, start=1):
            lijsten[f"{column}{row}"] = value
    lijsten.sheet_state = "hidden"

    last = get_column_letter(EERSTE_KOLOM + deelnemers - 1)
    answers = book.create_sheet(ANTWOORDEN, 1)
    notes = book.create_sheet(TOELICHTING, 2)
    rows = _grid_rows(roadmap)
    for sheet in (answers, notes):
        _grid(sheet, rows, deelnemers)
    for column in range(EERSTE_KOLOM, EERSTE_KOLOM + deelnemers):
        letter = get_column_letter(column)
        for row in range(1, len(KOP) + 1):
            notes[f"{letter}{row}"] = f"={ANTWOORDEN}!{letter}{row}"  # the names, shown again
            notes[f"{letter}{row}"].protection = Protection(locked=True)

    def validation(source: str, title: str, ranges: list[str]) -> None:
        rule = DataValidation(type="list", formula1=f"{LIJSTEN}!${source}$1:${source}${len(lists[source])}")
        rule.error, rule.errorTitle, rule.prompt = "Kies een waarde uit de lijst.", "Ongeldige waarde", title
        rule.showErrorMessage = rule.showInputMessage = True
        for cells in ranges:
            rule.add(cells)
        answers.add_data_validation(rule)

    first = get_column_letter(EERSTE_KOLOM)
    kinds = {kind: [f"{first}{r}:{last}{r}" for r, (k, *_) in enumerate(rows, ID_RIJ + 1) if k == kind]
             for kind in ("stelling", "belang")}
    validation("A", "Kies een niveau, 'Weet niet' of 'Niet van toepassing'.", kinds["stelling"])
    validation("B", "Hoe belangrijk is dit levensdomein?", kinds["belang"])
    validation("C", "Uit welk levensdomein komt deze partner?", [f"{first}3:{last}3"])
    book.active = 1
    buffer = BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def _uitleg(sheet: Worksheet, roadmap: Roadmap, huis: str) -> None:
    sheet.title = "Uitleg"
    schaal, belang = roadmap.schaal, roadmap.schaal.belang_waarden
    lines = [
        (roadmap.titel, ""),
        ("Huis van het Kind", huis),
        ("Roadmap-versie", roadmap.versie),
        ("Sjabloon gemaakt op", date.today().isoformat()),
        ("", ""),
        ("Zo vult u dit sjabloon in", ""),
        ("1.", (f"Zet op blad '{ANTWOORDEN}' per partner de naam, de organisatie en het levensdomein bovenaan"
               " een kolom (rij 1 tot 3). Een schuilnaam mag.")),
        ("2.", ("Kies per stelling in de lijst hoe ver het Huis staat, of 'Weet niet' of 'Niet van toepassing'."
               " Laat een cel leeg als de partner niet antwoordt.")),
        ("3.", f"Kies na elk levensdomein hoe belangrijk het is ({belang[0]} tot {belang[-1]})."),
        ("4.", f"Een toelichting bij een antwoord schrijft u op blad '{TOELICHTING}', in dezelfde cel."),
        ("5.", ("Verander geen id's in kolom A en typ waarden, geen formules."
               " Lees het bestand in met: hvhk roadmap importeer BESTAND --huis \"NAAM\".")),
        ("", ""),
        ("De schaal", ""),
        *[(f"{n.waarde} – {n.label}", n.beschrijving) for n in schaal.niveaus],
        (schaal.weet_niet, "U kunt dit niet inschatten. Telt niet mee in het gemiddelde."),
        (schaal.niet_van_toepassing, "De stelling geldt niet voor dit Huis. Telt niet mee in het gemiddelde."),
        ("", ""),
        ("Belang", ""),
        *[(label, "") for label in schaal.belangen],
    ]
    for row, (label, text) in enumerate(lines, start=1):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, text).alignment = _WRAP
    for row in (1, 6, 13, 13 + len(schaal.niveaus) + 4):
        sheet.cell(row, 1).font = _BOLD
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100


def _grid_rows(roadmap: Roadmap) -> list[tuple[str, str, str, str]]:
    """(kind, id, onderdeel, text) per row below the titles: a section title, stellingen, a belang row."""
    rows = []
    for soort, groep in roadmap.groepen:
        for onderdeel in groep:
            rows.append(("titel", "", onderdeel.naam, f"{soort.capitalize()}: {onderdeel.naam}"))
            rows += [("stelling", s.id, onderdeel.naam, s.tekst) for s in onderdeel.stellingen]
            if soort == "levensdomein":
                rows.append(("belang", onderdeel.id, onderdeel.naam, BELANG_VRAAG))
    return rows


def _grid(sheet: Worksheet, rows: list[tuple[str, str, str, str]], deelnemers: int) -> None:
    """The shared layout of both grids: titles on top, one row per entry, input cells open."""
    last = EERSTE_KOLOM + deelnemers - 1
    for row, label in enumerate(KOP, start=1):
        sheet.cell(row, 3, label).font = _BOLD
    for column, title in enumerate(("id", "Onderdeel", "Stelling"), start=1):
        sheet.cell(ID_RIJ, column, title).font = _BOLD
    for column in range(EERSTE_KOLOM, last + 1):
        sheet.cell(ID_RIJ, column, f"Deelnemer {column - EERSTE_KOLOM + 1}").font = _BOLD
        for row in range(1, len(KOP) + 1):
            cell = sheet.cell(row, column)
            cell.fill, cell.protection = _INPUT, _OPEN
    for row, (kind, item, onderdeel, text) in enumerate(rows, start=ID_RIJ + 1):
        sheet.cell(row, 1, item or None)
        sheet.cell(row, 2, onderdeel)
        sheet.cell(row, 3, text).alignment = _WRAP
        if kind == "titel":
            for column in range(1, last + 1):
                sheet.cell(row, column).fill = _SECTION
            sheet.cell(row, 3).font = _BOLD
            continue
        if kind == "belang":
            sheet.cell(row, 3).font = Font(italic=True)
        for column in range(EERSTE_KOLOM, last + 1):
            cell = sheet.cell(row, column)
            cell.fill, cell.protection = _INPUT, _OPEN
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 60
    for column in range(EERSTE_KOLOM, last + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.freeze_panes = sheet.cell(ID_RIJ + 1, EERSTE_KOLOM)
    sheet.protection.sheet = True  # ids and texts stay as they are; typing happens in the open cells
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def read(path: Path, fouten: Fouten) -> tuple[list[Deelnemer], list[Antwoord]]:
    """The participants and answers in a filled-in template; every problem goes to `fouten`."""
    sheets = _read(path, fouten)
    if ANTWOORDEN not in sheets:
        found = ", ".join(f"'{name}'" for name in sheets)
        raise fouten.stop(
            f"blad '{ANTWOORDEN}'", f"ontbreekt (gevonden: {found}); gebruik het sjabloon van 'hvhk roadmap sjabloon'"
        )
    answers = _Grid(ANTWOORDEN, sheets[ANTWOORDEN], fouten, with_names=True)
    notes = _Grid(TOELICHTING, sheets[TOELICHTING], fouten, with_names=False) if TOELICHTING in sheets else None
    deelnemers = [
        Deelnemer(naam, organisatie, domein, f"blad '{ANTWOORDEN}', kolom {get_column_letter(column)}")
        for column, (naam, organisatie, domein) in answers.names.items()
        if naam
    ]
    named = {column for column, (naam, *_) in answers.names.items() if naam}
    used = {column for _, column in answers.cells} | {c for c, (_, *rest) in answers.names.items() if any(rest)}
    nameless = sorted(used - named)
    for column in nameless:
        fouten.add(
            f"blad '{ANTWOORDEN}', kolom {get_column_letter(column)}",
            "er staan gegevens in deze kolom, maar de naam van de deelnemer (rij 1) is leeg",
        )
    antwoorden = []
    for (item, column), (row, value) in answers.cells.items():
        if column in nameless:
            continue
        naam = answers.names[column][0]
        note = notes.cells.pop((item, column), (row, ""))[1] if notes else ""
        where = f"blad '{ANTWOORDEN}', rij {row}, kolom {get_column_letter(column)} ({naam})"
        antwoorden.append(Antwoord(naam, item, value, str(note).strip(), where, f"blad '{ANTWOORDEN}', rij {row}, kolom A"))
    for (_, column), (row, _) in (notes.cells.items() if notes else ()):
        fouten.add(
            f"blad '{TOELICHTING}', rij {row}, kolom {get_column_letter(column)}",
            f"toelichting zonder antwoord; geef ook een antwoord op blad '{ANTWOORDEN}'",
        )
    return deelnemers, antwoorden


def _read(path: Path, fouten: Fouten) -> dict[str, list[tuple] | None]:
    """The rows of the grid sheets by sheet name (None for the other sheets).

    A workbook is a zip of XML files: its declared unpacked size is checked before openpyxl
    unpacks anything, so that a small zip bomb posing as .xlsx is refused instead of filling
    memory.
    """
    try:
        book = open_workbook(path, MAX_UITGEPAKT_MB)
    except GebruikersFout as error:
        raise fouten.stop("bestand", str(error)) from None
    try:
        grids = (ANTWOORDEN, TOELICHTING)
        return {name: _rows(book[name], fouten) if name in grids else None for name in book.sheetnames}
    except GebruikersFout:
        raise
    except Exception:  # noqa: BLE001 - openpyxl meets a damaged file with whatever its parser hit
        raise fouten.stop("bestand", ONLEESBARE_WERKMAP) from None
    finally:
        book.close()


def _rows(sheet: Worksheet, fouten: Fouten) -> list[tuple]:
    """A sheet's rows as values, refused when it is bigger than any template.

    The size the file declares is ignored: openpyxl pads every row to it (a file declaring the
    sheet's full million rows and 16 384 columns would never finish) and leaves out the cells
    outside it (a wrong declaration would hide answers).
    """
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_RIJEN:
            raise fouten.stop(
                f"blad '{sheet.title}', rij {number}",
                f"het blad loopt verder dan rij {MAX_RIJEN}; verwijder wat onder de laatste stelling staat",
            )
        if len(row) > MAX_KOLOMMEN:
            raise fouten.stop(
                f"blad '{sheet.title}', rij {number}, kolom {get_column_letter(len(row))}",
                f"het blad loopt verder dan kolom {get_column_letter(MAX_KOLOMMEN)}; er is plaats voor hoogstens"
                f" {MAX_DEELNEMERS} deelnemers",
            )
        rows.append(row)
    return rows


class _Grid:
    """The values of one grid sheet: participant titles per column and the filled-in cells by (id, column)."""

    def __init__(self, title: str, rows: list[tuple], fouten: Fouten, with_names: bool):
        self.names: dict[int, tuple[str, str, str]] = {}
        self.cells: dict[tuple[str, int], tuple[int, object]] = {}
        if len(rows) < ID_RIJ or not rows[ID_RIJ - 1] or rows[ID_RIJ - 1][0] != "id":
            raise fouten.stop(
                f"blad '{title}', rij {ID_RIJ}",
                "heeft niet de indeling van het sjabloon (kolom A moet 'id' zijn); gebruik 'hvhk roadmap sjabloon'",
            )
        width = max(len(row) for row in rows)

        def value(row: int, column: int) -> object:
            """The cell at 1-based (row, column) as typed; None when empty or a formula (reported)."""
            cells = rows[row - 1]
            content = cells[column - 1] if column <= len(cells) else None
            if isinstance(content, str):
                content = content.strip()
                if content.startswith("="):
                    fouten.add(
                        f"blad '{title}', rij {row}, kolom {get_column_letter(column)}",
                        "bevat een formule; typ de waarde zelf in",
                    )
                    return None
            return None if content in ("", None) else content

        if with_names:
            for column in range(EERSTE_KOLOM, width + 1):
                titles = [value(row, column) for row in range(1, ID_RIJ)]
                self.names[column] = tuple("" if t is None else str(t).strip() for t in titles)
        ids: dict[str, int] = {}
        for row in range(ID_RIJ + 1, len(rows) + 1):
            item = value(row, 1)
            filled = {column: v for column in range(EERSTE_KOLOM, width + 1) if (v := value(row, column)) is not None}
            if item is None:
                if filled:
                    fouten.add(f"blad '{title}', rij {row}", "er staan antwoorden in een rij zonder id in kolom A")
                continue
            item = str(item)
            if item in ids:
                fouten.add(f"blad '{title}', rij {row}, kolom A", f"id '{item}' staat ook op rij {ids[item]}")
                continue
            ids[item] = row
            for column, content in filled.items():
                self.cells[(item, column)] = (row, content)
