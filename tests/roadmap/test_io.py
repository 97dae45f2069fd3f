"""Import of the Excel template and long CSV: round trips, and every bad file refused whole."""

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.io import excel, export, importing, longcsv
from roadmap.io.records import MAX_GEMELD

PARTNERS = [("An", "CLB Gent", "Onderwijs"), ("Bart", "Kind en Gezin", "kinderopvang"), ("Chloé", "", "")]


def fill(template: Path, target: Path, answers: dict, notes: dict | None = None, partners=PARTNERS) -> Path:
    """Fill a template as a partner would in Excel: names on top, a value per (partner number, id)."""
    book = load_workbook(template)
    sheet = book[excel.ANTWOORDEN]
    rows = {sheet.cell(r, 1).value: r for r in range(excel.ID_RIJ + 1, sheet.max_row + 1)}
    for index, person in enumerate(partners):
        for row, value in enumerate(person, start=1):
            sheet.cell(row, excel.EERSTE_KOLOM + index, value or None)
    for name, values in ((excel.ANTWOORDEN, answers), (excel.TOELICHTING, notes or {})):
        for (index, item), value in values.items():
            book[name].cell(rows[item], excel.EERSTE_KOLOM + index, value)
    book.save(target)
    return target


@pytest.fixture
def template(tmp_path, mini_roadmap):
    path = tmp_path / "sjabloon.xlsx"
    excel.write_template(path, mini_roadmap, "Huis van het Kind Test", deelnemers=4)
    return path


@pytest.fixture
def huis(connection):
    return store.save_huis(connection, "Huis van het Kind Test", ["44021"])


GOOD = {
    (0, "onderwijs.1"): "3 – Samenwerken",
    (0, "onderwijs.2"): 4,
    (0, "onderwijs"): "3 – Zeer belangrijk",
    (1, "onderwijs.1"): "Weet niet",
    (1, "kinderopvang.1"): "1",
    (1, "kinderopvang"): 2,
    (2, "gebruikersparticipatie.1"): "niet van toepassing",
}


def test_template_has_drop_down_lists_on_the_scale(template, mini_roadmap):
    book = load_workbook(template)
    sheet = book[excel.ANTWOORDEN]
    rules = {rule.formula1: str(rule.sqref) for rule in sheet.data_validations.dataValidation}
    scale = next(cells for formula, cells in rules.items() if formula.endswith("$A$6"))
    belang = next(cells for formula, cells in rules.items() if formula.endswith("$B$3"))
    rows = {sheet.cell(r, 1).value: r for r in range(excel.ID_RIJ + 1, sheet.max_row + 1)}
    assert f"D{rows['onderwijs.1']}:G{rows['onderwijs.1']}" in scale
    assert f"D{rows['onderwijs']}:G{rows['onderwijs']}" in belang
    options = [book[excel.LIJSTEN].cell(r, 1).value for r in range(1, 7)]
    assert options == list(mini_roadmap.schaal.antwoorden)
    assert book[excel.LIJSTEN].sheet_state == "hidden"


def test_a_filled_template_lands_in_the_store(tmp_path, connection, huis, template, mini_roadmap):
    path = fill(template, tmp_path / "ingevuld.xlsx", GOOD, notes={(0, "onderwijs.1"): "Goede band met de scholen"})
    verslag = importing.import_file(connection, path, huis, mini_roadmap, datum="2026-03-01")
    assert (verslag.nummer, verslag.deelnemers, verslag.antwoorden, verslag.belangen) == (1, 3, 5, 2)

    people = store.deelnemers(connection, verslag.ronde_id).set_index("naam")
    assert people.loc["An", "levensdomein_id"] == "onderwijs"  # by name, any case
    assert people.loc["Bart", "levensdomein_id"] == "kinderopvang"
    assert pd.isna(people.loc["Chloé", "levensdomein_id"])
    answers = store.antwoorden(connection, verslag.ronde_id)
    answers["naam"] = answers["deelnemer_id"].map(people.reset_index().set_index("id")["naam"])
    got = {(r.naam, r.stelling_id): (r.keuze, None if r.keuze != "niveau" else int(r.niveau)) for r in answers.itertuples()}
    assert got == {
        ("An", "onderwijs.1"): ("niveau", 3),
        ("An", "onderwijs.2"): ("niveau", 4),
        ("Bart", "onderwijs.1"): ("weet_niet", None),
        ("Bart", "kinderopvang.1"): ("niveau", 1),
        ("Chloé", "gebruikersparticipatie.1"): ("niet_van_toepassing", None),
    }
    assert answers.set_index(["naam", "stelling_id"]).loc[("An", "onderwijs.1"), "toelichting"] == "Goede band met de scholen"
    assert sorted(store.belangen(connection, verslag.ronde_id)["belang"]) == [2, 3]

    counts = store.row_counts(connection)
    again = importing.import_file(connection, path, huis, mini_roadmap, nummer=1)
    assert again.ronde_id == verslag.ronde_id and store.row_counts(connection) == counts
    assert store.rondes(connection, huis)["datum"].tolist() == ["2026-03-01"]  # the round keeps its date


def test_csv_export_reads_back_into_the_same_answers(tmp_path, connection, huis, template, mini_roadmap):
    first = importing.import_file(connection, fill(template, tmp_path / "a.xlsx", GOOD), huis, mini_roadmap)
    csv = tmp_path / "ronde.csv"
    export.export_huis(connection, huis, csv)
    assert csv.read_bytes().startswith("\ufeffdeelnemer;".encode())  # Excel in Belgium opens it as it is
    second = importing.import_file(connection, csv, huis, mini_roadmap)
    assert second.nummer == 2

    def answers(ronde_id):
        table = export.long_table(connection, ronde_id)
        return sorted(map(tuple, table.drop(columns="organisatie").values.tolist()))

    assert answers(second.ronde_id) == answers(first.ronde_id)
    assert set(store.deelnemers(connection, second.ronde_id)["naam"]) == {"Partner A", "Partner B", "Partner C"}


def test_full_export_names_nobody_unless_asked(tmp_path, connection, huis, template, mini_roadmap):
    importing.import_file(connection, fill(template, tmp_path / "a.xlsx", GOOD), huis, mini_roadmap)
    store.save_actie(connection, 1, "onderwijs", "Overleg met de scholen", trekker="coördinator")

    def texts(path):
        book = load_workbook(path)
        return {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}

    anonymous, named = tmp_path / "anoniem.xlsx", tmp_path / "namen.xlsx"
    export.export_huis(connection, huis, anonymous)
    export.export_huis(connection, huis, named, met_namen=True)
    assert not texts(anonymous) & {"An", "Bart", "Chloé", "CLB Gent", "Kind en Gezin"}
    assert {"An", "Bart", "Chloé", "CLB Gent", "Overleg met de scholen"} <= texts(named)
    assert load_workbook(named).sheetnames == [
        "Huis", "Rondes", "Deelnemers", "Antwoorden", "Per onderdeel", "Per stelling", "Bespreking", "Prioriteiten",
        "Acties"
    ]
    results = pd.read_excel(anonymous, sheet_name="Per stelling").set_index("stelling_id")
    assert results.loc["onderwijs.1", ["ronde", "n", "mediaan", "aandeel_weet_niet"]].tolist() == [1, 1, 3, 0.5]


def _csv(tmp_path, text, encoding="utf-8", name="antwoorden.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "deelnemer;organisatie;levensdomein;id;antwoord;toelichting\n"


def _workbook_without_answers_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Blad1"
    path = tmp_path / "ander.xlsx"
    book.save(path)
    return path


BAD_CSV = [
    (HEADER + "An;;;onderwijs.9;3;\n", "rij 2, kolom 'id': onbekende stelling of onderdeel 'onderwijs.9'"),
    (HEADER + "An;;;onderwijs.1;7;\n", "rij 2, kolom 'antwoord': score 7 ligt niet tussen 1 en 4"),
    (HEADER + "An;;;onderwijs;5;\n", "rij 2, kolom 'antwoord': belang 5 moet 1, 2 of 3 zijn"),
    (HEADER + "An;;;onderwijs.1;goed;\n", "rij 2, kolom 'antwoord': 'goed' is geen geldig antwoord"),
    (HEADER + "An;;sport;onderwijs.1;3;\n", "rij 2, kolom 'levensdomein': onbekend levensdomein 'sport'"),
    (HEADER + ";;;onderwijs.1;3;\n", "rij 2, kolom 'deelnemer': is leeg"),
    (HEADER + "An;;;onderwijs.1;3;\nAn;;;onderwijs.1;2;\n",
     "rij 3, kolom 'antwoord': dubbel antwoord van 'An' op 'onderwijs.1' (ook: rij 2"),
    (HEADER + "An;;;onderwijs.1;=1+2;\n", "rij 2, kolom 'antwoord': bevat een formule"),
    (HEADER + "An;;;onderwijs.1;3;\nan;;;onderwijs.2;3;\n",  # one person by store.deelnemer_key
     "rij 3, kolom 'levensdomein': deelnemer 'an' staat er twee keer (ook: rij 2, kolom 'levensdomein')"),
    (HEADER + "An;CLB;;onderwijs.1;3;\nAn;OCMW;;onderwijs.2;3;\n", "rij 3, kolom 'organisatie': 'OCMW' verschilt van rij 2"),
    (HEADER + "An;;;onderwijs.1;3\n", "rij 2: 5 velden in plaats van 6"),
    ("naam;stelling;score\nAn;onderwijs.1;3\n", "rij 1: kolom 'deelnemer', 'id', 'antwoord' ontbreekt"),
    (HEADER.replace(";", "\t") + "An\t\t\tonderwijs.1\t3\t\n", "rij 1: kolom 'deelnemer', 'id', 'antwoord' ontbreekt"),
    (HEADER + "An;;;onderwijs.1;3;\nAn;;;onderwijs.2;;uitleg\n",
     "rij 3, kolom 'antwoord': is leeg, maar er staat een toelichting"),
]


@pytest.mark.parametrize("text, expected", BAD_CSV)
def test_a_bad_csv_is_refused_whole_naming_row_and_column(tmp_path, connection, huis, mini_roadmap, text, expected):
    # the file always ends with a good row too, which must not be saved either
    path = _csv(tmp_path, text + "Bart;;;kinderopvang.1;2;\n")
    before = store.row_counts(connection)
    with pytest.raises(GebruikersFout) as error:
        importing.import_file(connection, path, huis, mini_roadmap)
    assert str(error.value).startswith(f"{path}: ")
    assert "er is niets ingelezen" in str(error.value)
    assert expected in str(error.value)
    assert store.row_counts(connection) == before


def test_a_file_without_answers_is_refused(tmp_path, connection, huis, template, mini_roadmap):
    for path in (_csv(tmp_path, HEADER), fill(template, tmp_path / "leeg.xlsx", {})):
        with pytest.raises(GebruikersFout, match="bestand: er staan geen antwoorden in"):
            importing.import_file(connection, path, huis, mini_roadmap)
    assert store.row_counts(connection)["deelnemer"] == 0


def test_a_csv_in_another_encoding_is_refused(tmp_path, connection, huis, mini_roadmap):
    path = _csv(tmp_path, HEADER + "An;;;onderwijs.1;3;\nZoë;;;onderwijs.1;3;\n", encoding="cp1252")
    expected = r"rij 3: het bestand is niet in UTF-8 gecodeerd; bewaar het in Excel als 'CSV UTF-8"
    with pytest.raises(GebruikersFout, match=expected):
        importing.import_file(connection, path, huis, mini_roadmap)


def test_a_comma_separated_csv_is_read_too(tmp_path, connection, huis, mini_roadmap):
    path = _csv(tmp_path, HEADER.replace(";", ",") + 'An,"CLB, Gent",,onderwijs.1,3,"goed, maar"\n')
    verslag = importing.import_file(connection, path, huis, mini_roadmap)
    assert store.deelnemers(connection, verslag.ronde_id)["organisatie"].tolist() == ["CLB, Gent"]
    assert store.antwoorden(connection, verslag.ronde_id)["toelichting"].tolist() == ["goed, maar"]


def test_an_import_finds_the_deelnemer_of_the_round_whatever_the_case(tmp_path, connection, huis, mini_roadmap):
    ronde = store.save_ronde(connection, huis, 1, "2026-03-01", mini_roadmap)
    an = store.save_deelnemer(connection, ronde, "An", "CLB")
    importing.import_file(connection, _csv(tmp_path, HEADER + "AN;OCMW;;onderwijs.1;3;\n"), huis, mini_roadmap, nummer=1)
    assert store.deelnemers(connection, ronde)[["id", "naam", "organisatie"]].values.tolist() == [[an, "An", "OCMW"]]
    assert store.antwoorden(connection, ronde)["deelnemer_id"].tolist() == [an]


BAD_EXCEL = [
    ({(0, "onderwijs.1"): "5"}, "blad 'Antwoorden', rij 6, kolom D (An): score 5 ligt niet tussen 1 en 4"),
    ({(0, "onderwijs.1"): 2.5}, "kolom D (An): 2.5 is geen geheel getal"),
    ({(0, "onderwijs.1"): "=1+2"}, "blad 'Antwoorden', rij 6, kolom D: bevat een formule"),
    ({(3, "onderwijs.1"): 3}, "blad 'Antwoorden', kolom G: er staan gegevens in deze kolom, maar de naam van de deelnemer"),
    ({(0, "onderwijs"): "Heel belangrijk"}, "'Heel belangrijk' is geen geldig antwoord; kies 1, 2 of 3"),
]


@pytest.mark.parametrize("answers, expected", BAD_EXCEL)
def test_a_bad_template_is_refused_whole(tmp_path, connection, huis, template, mini_roadmap, answers, expected):
    path = fill(template, tmp_path / "fout.xlsx", {**GOOD, **answers})
    before = store.row_counts(connection)
    with pytest.raises(GebruikersFout, match="er is niets ingelezen") as error:
        importing.import_file(connection, path, huis, mini_roadmap)
    assert expected in str(error.value)
    assert store.row_counts(connection) == before


def test_template_layout_errors(tmp_path, connection, huis, template, mini_roadmap):
    unknown_domain = fill(template, tmp_path / "a.xlsx", GOOD, partners=[("An", "", "Sport")])
    duplicate = fill(template, tmp_path / "b.xlsx", GOOD, partners=[("An", "", ""), ("an", "", "")])
    note_only = fill(template, tmp_path / "c.xlsx", GOOD, notes={(1, "onderwijs.2"): "waarom?"})
    book = load_workbook(template)
    sheet = book[excel.ANTWOORDEN]
    sheet["A8"] = "onderwijs.1"
    book.save(tmp_path / "d.xlsx")
    cases = {
        unknown_domain: "blad 'Antwoorden', kolom D: onbekend levensdomein 'Sport'",
        duplicate: "blad 'Antwoorden', kolom E: deelnemer 'an' staat er twee keer (ook: blad 'Antwoorden', kolom D)",
        note_only: "blad 'Toelichting', rij 7, kolom E: toelichting zonder antwoord",
        tmp_path / "d.xlsx": "blad 'Antwoorden', rij 8, kolom A: id 'onderwijs.1' staat ook op rij 6",
        _workbook_without_answers_sheet(tmp_path): "blad 'Antwoorden': ontbreekt (gevonden: 'Blad1')",
        _csv(tmp_path, "geen excel", name="nep.xlsx"): "bestand: geen leesbare Excel-werkmap",
        _csv(tmp_path, "", name="leeg.xlsx"): "bestand: het bestand is leeg",
        _csv(tmp_path, "", name="leeg.csv"): "bestand: het bestand is leeg",
    }
    for path, expected in cases.items():
        with pytest.raises(GebruikersFout) as error:
            importing.import_file(connection, path, huis, mini_roadmap)
        assert expected in str(error.value), path
    assert store.row_counts(connection)["antwoord"] == 0


def test_many_problems_are_listed_at_once_but_not_endlessly(tmp_path, connection, huis, mini_roadmap):
    rows = "".join(f"P{i};;;onderwijs.1;9;\n" for i in range(MAX_GEMELD + 5))
    with pytest.raises(GebruikersFout) as error:
        importing.import_file(connection, _csv(tmp_path, HEADER + rows), huis, mini_roadmap)
    message = str(error.value)
    assert f"{MAX_GEMELD + 5} fouten" in message and "en nog 5 fout(en)" in message
    assert message.count("score 9 ligt niet tussen 1 en 4") == MAX_GEMELD


def test_a_failure_while_saving_leaves_the_store_as_it_was(tmp_path, connection, huis, template, mini_roadmap, monkeypatch):
    path = fill(template, tmp_path / "a.xlsx", GOOD)
    before = store.row_counts(connection)
    calls = []

    def failing_save_belang(*arguments):
        calls.append(arguments)
        if len(calls) == 2:  # after the first participant was saved completely
            raise OSError("schijf vol")
        return original(*arguments)

    original = store.save_belang
    monkeypatch.setattr(store, "save_belang", failing_save_belang)
    with pytest.raises(OSError):
        importing.import_file(connection, path, huis, mini_roadmap)
    assert store.row_counts(connection) == before


def test_an_existing_round_is_read_against_its_own_roadmap_version(tmp_path, connection, huis, template, mini_roadmap):
    from roadmap.definition import parse_roadmap

    path = fill(template, tmp_path / "a.xlsx", GOOD)
    importing.import_file(connection, path, huis, mini_roadmap)
    newer = parse_roadmap(mini_roadmap.yaml.replace('"test.1"', '"test.2"').replace("onderwijs.2", "onderwijs.7"), "t")
    verslag = importing.import_file(connection, path, huis, newer, nummer=1)  # round 1 keeps version test.1
    assert store.rondes(connection, huis)["roadmap_versie"].tolist() == ["test.1"]
    assert verslag.antwoorden == 5
    with pytest.raises(GebruikersFout, match="onbekende stelling of onderdeel 'onderwijs.2' in Roadmap-versie test.2"):
        importing.import_file(connection, path, huis, newer)  # a new round is given under the newer version


def test_csv_export_runs_no_text_as_a_formula_and_reads_it_back_as_typed(tmp_path, connection, huis, mini_roadmap):
    """A partner's remark '=HYPERLINK(...)' would run when the coordinator opens the export in Excel."""
    ronde = store.save_ronde(connection, huis, 1, "2026-03-01", mini_roadmap)
    texts = ['=HYPERLINK("http://voorbeeld.test","klik")', "+32 9 123 45 67", "-- geen idee", "@iedereen", "'=al beschermd"]
    for index, text in enumerate(texts):
        deelnemer = store.save_deelnemer(connection, ronde, f"{text} {index}", organisatie=text)
        store.save_antwoorden(connection, deelnemer, pd.DataFrame(
            {"stelling_id": ["onderwijs.1"], "keuze": ["niveau"], "niveau": [2], "toelichting": [text]}))
    path = tmp_path / "ronde.csv"
    export.export_huis(connection, huis, path, met_namen=True)
    cells = [cell for line in path.read_text(encoding="utf-8-sig").splitlines()[1:] for cell in line.split(";")]
    assert not [cell for cell in cells if cell.lstrip('"').startswith(("=", "+", "-", "@"))]

    again = importing.import_file(connection, path, huis, mini_roadmap)
    table = export.long_table(connection, again.ronde_id, met_namen=True)
    assert sorted(table["toelichting"]) == sorted(texts) and sorted(table["organisatie"]) == sorted(texts)


def test_both_opinions_travel_through_the_csv(tmp_path, connection, huis, mini_roadmap):
    """The first answer and the vote after the discussion, also a vote without a first answer."""
    ronde_id = store.save_ronde(connection, huis, 1, "2026-03-01", mini_roadmap)
    an, bart = (store.save_deelnemer(connection, ronde_id, naam) for naam in ("An", "Bart"))
    store.save_antwoorden(connection, an, pd.DataFrame({"stelling_id": ["onderwijs.1", "onderwijs.2"],
                                                        "keuze": ["niveau", "niveau"], "niveau": [1, 4]}))
    store.save_antwoorden(connection, bart, pd.DataFrame({"stelling_id": ["onderwijs.1"], "keuze": ["niveau"],
                                                          "niveau": [4]}))
    store.plan_bespreking(connection, ronde_id, ["onderwijs.1", "onderwijs.2"])
    store.open_stemming(connection, ronde_id, "onderwijs.1")
    store.save_stem(connection, an, "onderwijs.1", "niveau", 3)
    store.save_stem(connection, bart, "onderwijs.1", "weet_niet", None)
    store.open_stemming(connection, ronde_id, "onderwijs.2")
    store.save_stem(connection, bart, "onderwijs.2", "niveau", 2)  # Bart had not scored it at first
    csv = tmp_path / "ronde.csv"
    export.export_huis(connection, huis, csv, met_namen=True)
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].endswith(";toelichting;na_bespreking")

    other = store.connect(tmp_path / "ander.sqlite")
    verslag = importing.import_file(other, csv, store.save_huis(other, "Huis van het Kind Test", ["44021"]), mini_roadmap)

    def opinions(connection, ronde_id):
        names = dict(zip(*store.deelnemers(connection, ronde_id)[["id", "naam"]].T.values))
        first, votes = store.antwoorden(connection, ronde_id), store.stemmen(connection, ronde_id)
        return ({(names[r.deelnemer_id], r.stelling_id, r.keuze, r.niveau) for r in first.fillna(0).itertuples()},
                {(names[r.deelnemer_id], r.stelling_id, r.keuze, r.niveau) for r in votes.fillna(0).itertuples()})

    assert opinions(other, verslag.ronde_id) == opinions(connection, ronde_id)
    assert len(opinions(other, verslag.ronde_id)[1]) == 3
    assert store.besprekingen(other, verslag.ronde_id)["stelling_id"].tolist() == ["onderwijs.1", "onderwijs.2"]
    importing.import_file(other, csv, 1, mini_roadmap, nummer=1)  # the same file again changes nothing
    assert opinions(other, verslag.ronde_id) == opinions(connection, ronde_id)
    other.close()


@pytest.mark.parametrize("row, expected", [
    ("An;;;onderwijs.1;3;;7", "rij 2, kolom 'na_bespreking': score 7 ligt niet tussen 1 en 4"),
    ("An;;;onderwijs;3;;2", "rij 2, kolom 'na_bespreking': over het belang van een onderdeel wordt niet opnieuw"),
    ("An;;;onderwijs.1;;uitleg;3", "rij 2, kolom 'antwoord': is leeg, maar er staat een toelichting"),
])
def test_a_bad_vote_after_the_discussion_is_refused_naming_row_and_column(tmp_path, connection, huis, mini_roadmap,
                                                                          row, expected):
    path = _csv(tmp_path, ";".join(longcsv.KOLOMMEN) + "\n" + row + "\nBart;;;kinderopvang.1;2;;\n")
    before = store.row_counts(connection)
    with pytest.raises(GebruikersFout, match="er is niets ingelezen") as error:
        importing.import_file(connection, path, huis, mini_roadmap)
    assert expected in str(error.value) and store.row_counts(connection) == before
