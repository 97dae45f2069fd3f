"""The gemeenteprofiel as a gemeente fills it in: the template round trip in Excel and CSV, and every
mistake refused as a whole, in Dutch, naming the file, sheet, row and column."""

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hvhk.base.errors import GebruikersFout
from simulatie import profiel
from simulatie.maten import BASIS
from simulatie.scenario import SOORTEN

GEMEENTEN = [
    # gemeente, geboorten, medewerkers, uren, dagen, kwetsbaar, werkend, broer_zus, pleegkind, opvangvraag,
    # nederlandstalig (Brussels only)
    ["Gent", 2700, 3, 6, 5, 0.25, 0.8, 0.2, 0.01, None, None],
    [43007, 60, 1, 4, 4, "15 %", "70%", 0.2, 0.02, 0.6, None],
]
LOCATIES = [
    ["Gent", "De Speelboot", "inkomenstarief", 100],
    ["44021", "Het Kabouterhuis", "vaste_prijs", 50],
    ["Kaprijke", "Klein Duimpje", "Subsidie kwetsbaar", 30],
    ["Gent", "Dikkie Dik", "subsidie_kwetsbaar", 25],
]


def _profile(path, gemeenten=GEMEENTEN, locaties=LOCATIES):
    """The template, filled in the way a user types it."""
    profiel.write_template(path)
    book = openpyxl.load_workbook(path)
    for row in gemeenten:
        book["gemeenten"].append(row)
    for row in locaties:
        book["locaties"].append(row)
    book.save(path)
    return path


def _csv(path, rows, delimiter=";"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def _csv_rows(gemeenten=GEMEENTEN, locaties=LOCATIES):
    """The same profile in the CSV form: a row per location with its gemeente's figures."""
    figures = {str(row[0]): ["" if cell is None else str(cell).replace(".", ",") for cell in row[1:]]
               for row in gemeenten}
    names = {"44021": "Gent", "Kaprijke": "43007"}  # the CSV repeats each gemeente as the template's rows name it
    header = [kolom.naam for kolom in profiel.CSV_KOLOMMEN]
    return [header] + [[gemeente, *figures[names.get(gemeente, gemeente)], *rest] for gemeente, *rest in locaties]


def test_template_explains_each_column_and_offers_the_soorten(tmp_path):
    path = tmp_path / "profiel.xlsx"
    profiel.write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Uitleg", "gemeenten", "locaties"]
    assert [c.value for c in book["gemeenten"][1]] == [k.naam for k in profiel.GEMEENTE_KOLOMMEN]
    assert [c.value for c in book["locaties"][1]] == ["gemeente", "locatie", "soort", "plaatsen"]
    assert book["gemeenten"].max_row == book["locaties"].max_row == 1  # nothing to simulate by mistake
    uitleg = "\n".join(str(c.value) for row in book["Uitleg"].iter_rows() for c in row if c.value)
    for words in ("Statbel, geboorten per gemeente", "Kinderopvang in cijfers", "Eigen registraties van het loket",
                  "gemeenten: aandeel_pleegkind", "locaties: soort", "verzonnen cijfers", "hvhk simuleer --profiel"):
        assert words in uitleg
    (validation,) = book["locaties"].data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"inkomenstarief,vaste_prijs,subsidie_kwetsbaar"'
    assert str(validation.sqref).startswith("C2:C")
    assert book["gemeenten"].column_dimensions["F"].number_format == "0.0%"  # aandeel_kwetsbaar as a percentage


def test_a_filled_template_gives_each_gemeente_its_current_situation(tmp_path):
    scenarios = profiel.read(_profile(tmp_path / "profiel.xlsx"))
    assert list(scenarios) == ["44021", "43007"]
    gent, kaprijke = scenarios.values()
    assert gent.naam == kaprijke.naam == BASIS
    assert (gent.gemeente, gent.plaatsen, gent.locaties) == ("44021", 175, (100, 50, 25))
    assert gent.locatie_soorten == ("inkomenstarief", "vaste_prijs", "subsidie_kwetsbaar")
    assert (gent.geboorten_per_jaar, gent.loket_medewerkers, gent.loket_uren_per_dag, gent.loket_dagen_per_week) == (
        2700, 3, 6, 5)
    assert (gent.aandeel_kwetsbaar, gent.aandeel_opvangvraag) == (0.25, 0.7)  # an empty optional cell: the default
    assert (kaprijke.plaatsen, kaprijke.locaties, kaprijke.locatie_soorten) == (30, (30,), ("subsidie_kwetsbaar",))
    assert (kaprijke.aandeel_kwetsbaar, kaprijke.aandeel_werkend, kaprijke.aandeel_opvangvraag) == (0.15, 0.7, 0.6)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_the_csv_form_gives_the_same_scenarios(tmp_path, delimiter):
    excel = profiel.read(_profile(tmp_path / "profiel.xlsx"))
    assert profiel.read(_csv(tmp_path / "profiel.csv", _csv_rows(), delimiter)) == excel


def test_the_csv_template_shows_an_example_that_cannot_be_simulated(tmp_path):
    path = tmp_path / "profiel.csv"
    profiel.write_template(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == [kolom.naam for kolom in profiel.CSV_KOLOMMEN] and len(rows) == 3
    with pytest.raises(GebruikersFout) as error:
        profiel.read(path)
    assert str(error.value) == (f"{path}: rij 2, kolom A (gemeente): onbekende gemeente 'voorbeeld: vervang door uw"
                                " gemeente': geef de naam of de NIS-code van een Vlaamse of Brusselse gemeente")
    _csv(path, [rows[0]] + [["Eeklo", *row[1:]] for row in rows[1:]])
    (eeklo,) = profiel.read(path).values()
    assert (eeklo.gemeente, eeklo.locaties, eeklo.locatie_soorten) == ("43005", (40, 18), ("inkomenstarief", "vaste_prijs"))
    assert (eeklo.aandeel_kwetsbaar, eeklo.aandeel_pleegkind) == (0.2, 0.01)


def _set(sheet, cell, value):
    def change(book):
        book[sheet][cell] = value
    return change


def _append(sheet, row):
    return lambda book: book[sheet].append(row)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set("locaties", "D3", -3), "blad 'locaties', rij 3, kolom D (plaatsen): -3 is negatief; geef een getal van 0 of meer"),
        (_set("locaties", "D2", "veel"), "blad 'locaties', rij 2, kolom D (plaatsen): 'veel' is geen getal"),
        (_set("locaties", "D2", 12.5), "blad 'locaties', rij 2, kolom D (plaatsen): 12,5 is geen geheel getal"),
        (_set("locaties", "D5", None), "blad 'locaties', rij 5, kolom D (plaatsen): is leeg"),
        (_set("gemeenten", "A2", 99999), "blad 'gemeenten', rij 2, kolom A (gemeente): onbekende gemeente '99999': geef"
         " de naam of de NIS-code van een Vlaamse of Brusselse gemeente"),
        (_append("locaties", ["44021", " de  speelboot", "vaste_prijs", 10]), "blad 'locaties', rij 6, kolom B"
         " (locatie): locatie 'de  speelboot' van Gent staat ook op blad 'locaties', rij 2"),
        (_set("locaties", "C3", "kinderdagverblijf"), "blad 'locaties', rij 3, kolom C (soort): onbekende soort"
         " 'kinderdagverblijf'; kies inkomenstarief, vaste_prijs of subsidie_kwetsbaar"),
        (_set("gemeenten", "F3", 1.2), "blad 'gemeenten', rij 3, kolom F (aandeel_kwetsbaar): 120 % ligt boven 100 %;"
         " typ een aandeel als 20 % of als 0,2"),
        (_set("gemeenten", "I2", 20), "blad 'gemeenten', rij 2, kolom I (aandeel_pleegkind): 2000 % ligt boven 100 %"),
        (_set("gemeenten", "G2", "-5 %"), "blad 'gemeenten', rij 2, kolom G (aandeel_werkend): -5 % ligt onder 0 %"),
        (_append("gemeenten", ["Eeklo", 90, 1, 4, 5, 0.2, 0.8, 0.2, 0.01]), "blad 'gemeenten', rij 4, kolom A"
         " (gemeente): Eeklo heeft geen locaties op blad 'locaties'; geef elke locatie met haar soort en plaatsen"),
        (_append("gemeenten", ["44021", 90, 1, 4, 5, 0.2, 0.8, 0.2, 0.01]), "blad 'gemeenten', rij 4, kolom A"
         " (gemeente): Gent staat ook op blad 'gemeenten', rij 2"),
        (_append("locaties", ["Eeklo", "De Vlinder", "vaste_prijs", 10]), "blad 'locaties', rij 6, kolom A (gemeente):"
         " Eeklo staat niet op blad 'gemeenten'; vul er haar cijfers in"),
        (lambda book: book["gemeenten"].delete_cols(7), "blad 'gemeenten', rij 1: kolom aandeel_werkend ontbreekt"),
        (_set("locaties", "E1", "capaciteit"), "blad 'locaties', rij 1, kolom E: onbekende kolom 'capaciteit' (kolommen:"
         " gemeente, locatie, soort, plaatsen)"),
        (_set("gemeenten", "K1", "aandeel_opvangvrag"), "blad 'gemeenten', rij 1, kolom K: onbekende kolom"
         " 'aandeel_opvangvrag' (bedoelt u 'aandeel_opvangvraag'?)"),
        (_set("gemeenten", "D2", 25), "blad 'gemeenten', rij 2 (Gent): Scenario 'huidige situatie', veld"
         " loket_uren_per_dag: mag niet meer dan 24 uur per dag zijn (gekregen: 25.0)"),
        (_set("gemeenten", "C3", 0), "blad 'gemeenten', rij 3 (Kaprijke): Scenario 'huidige situatie', veld"
         " loket_medewerkers: moet 1 of meer zijn (gekregen: 0)"),
        (lambda book: book.remove(book["locaties"]), "blad 'locaties' ontbreekt (gevonden: 'Uitleg', 'gemeenten');"
         " gebruik het sjabloon van hvhk simuleer --profiel-sjabloon"),
    ],
)
def test_a_mistake_stops_the_whole_import_naming_file_sheet_row_and_column(tmp_path, change, problem):
    path = _profile(tmp_path / "profiel.xlsx")
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    with pytest.raises(GebruikersFout) as error:
        profiel.read(path)
    assert str(error.value).startswith(f"{path}: {problem}")


def test_an_empty_template_and_a_file_that_is_no_profile_are_refused(tmp_path):
    empty = tmp_path / "leeg.xlsx"
    profiel.write_template(empty)
    not_excel = tmp_path / "kapot.xlsx"
    not_excel.write_text("geen werkmap")
    other = tmp_path / "profiel.ods"
    other.write_text("")
    latin = _csv(tmp_path / "latin.csv", _csv_rows())
    latin.write_bytes(latin.read_text(encoding="utf-8-sig").replace("Klein", "Kléin").encode("cp1252"))
    for path, problem in [
        (empty, "blad 'gemeenten': er staan geen gemeenten in; vul één rij per gemeente in"),
        (not_excel, "geen leesbare Excel-werkmap (.xlsx); sla het op als Excel-werkmap"),
        (other, "onbekend bestandstype; gebruik het sjabloon (.xlsx) of een .csv-bestand"),
        (latin, "het bestand is niet in UTF-8 gecodeerd; bewaar het in Excel als 'CSV UTF-8'"),
        (_csv(tmp_path / "titels.csv", _csv_rows()[:1]), "er staan geen locaties in; vul één rij per locatie in"),
    ]:
        with pytest.raises(GebruikersFout) as error:
            profiel.read(path)
        assert str(error.value) == f"{path}: {problem}"


def test_csv_mistakes_name_row_and_column(tmp_path):
    rows = _csv_rows()
    rows[4][5] = "30 %"  # Gent's aandeel_kwetsbaar on its third row
    path = _csv(tmp_path / "profiel.csv", rows)
    with pytest.raises(GebruikersFout) as error:
        profiel.read(path)
    assert str(error.value) == (f"{path}: rij 5, kolom F (aandeel_kwetsbaar): verschilt van rij 2 voor dezelfde"
                                " gemeente Gent; geef op elke rij van een gemeente dezelfde cijfers")
    rows = _csv_rows()
    rows[3][-1] = "-30"
    with pytest.raises(GebruikersFout, match=r"rij 4, kolom N \(plaatsen\): -30 is negatief"):
        profiel.read(_csv(path, rows))
    rows = _csv_rows()
    rows[2][-2] = "crèche"
    with pytest.raises(GebruikersFout, match=r"rij 3, kolom M \(soort\): onbekende soort 'crèche'"):
        profiel.read(_csv(path, rows))
    with pytest.raises(GebruikersFout, match=r"rij 1: kolom plaatsen ontbreekt"):
        profiel.read(_csv(path, [row[:-1] for row in _csv_rows()]))


HOSTILE = ["../../../tmp/ontsnapt", "<img src=x onerror=alert(1)>", "@SUM(1+1)*cmd|' /C calc'!A0", "Zoë \"'t Hof\"\u202e"]


def test_hostile_location_names_are_just_names(tmp_path):
    locaties = [["Gent", name, "inkomenstarief", 10] for name in [*HOSTILE, "=HYPERLINK(\"http://x\")"]]
    (gent,) = profiel.read(_csv(tmp_path / "profiel.csv", _csv_rows(GEMEENTEN[:1], locaties))).values()
    assert gent.locaties == (10,) * len(locaties)
    path = _profile(tmp_path / "profiel.xlsx", GEMEENTEN[:1], locaties[:-1])  # openpyxl would write a formula
    assert profiel.read(path)["44021"].locaties == (10,) * len(HOSTILE)
    book = openpyxl.load_workbook(path)
    book["locaties"].append(["Gent", HOSTILE[1].upper(), "vaste_prijs", 5])
    book.save(path)
    with pytest.raises(GebruikersFout) as error:
        profiel.read(path)
    assert f"locatie '{HOSTILE[1].upper()}' van Gent staat ook op blad 'locaties', rij 3" in str(error.value)
    assert sorted(tmp_path.iterdir()) == [tmp_path / "profiel.csv", path]


_NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(str.strip)


@given(st.lists(st.tuples(_NAME, st.sampled_from(SOORTEN), st.integers(0, 500)), min_size=1, max_size=8,
                unique_by=lambda location: " ".join(location[0].split()).casefold()))
def test_any_location_names_and_places_survive_the_csv(tmp_path_factory, locations):
    path = tmp_path_factory.mktemp("csv") / "profiel.csv"
    rows = _csv_rows(GEMEENTEN[:1], [["Gent", *location] for location in locations])
    (gent,) = profiel.read(_csv(path, rows)).values()
    assert gent.locaties == tuple(places for _, _, places in locations)
    assert gent.locatie_soorten == tuple(soort for _, soort, _ in locations)
    assert gent.plaatsen == sum(gent.locaties)


def test_a_brussels_gemeente_gives_its_share_with_dutch_language_priority(tmp_path):
    path = _profile(tmp_path / "brussel.xlsx", gemeenten=[["Sint-Jans-Molenbeek", 1300, 2, 6, 5, "25 %", "70 %",
                                                            "20 %", "1 %", None, "35 %"]],
                    locaties=[["21012", "De Kangoeroe", "inkomenstarief", 80]])
    (scenario,) = profiel.read(path).values()
    assert scenario.aandeel_nederlandstalig == 0.35 and scenario.regel("inkomenstarief").taalvoorrang == 0.55
    (gent,) = profiel.read(_profile(tmp_path / "gent.xlsx", gemeenten=GEMEENTEN[:1],
                                    locaties=[row for row in LOCATIES if row[0] in ("Gent", "44021")])).values()
    assert gent.aandeel_nederlandstalig == 0.0, "an empty optional cell keeps the default"
