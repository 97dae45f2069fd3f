"""`hvhk roadmap sjabloon | importeer | exporteer` as a trainer uses them, on a real SQLite file."""

from openpyxl import load_workbook

from hvhk.cli import main
from roadmap import store
from roadmap.io import excel


def _fill(template, target):
    book = load_workbook(template)
    sheet = book[excel.ANTWOORDEN]
    sheet["D1"], sheet["D2"], sheet["D3"] = "An Peeters", "CLB", "Onderwijs"
    sheet["D6"] = "3 – Uitbouwen"
    book.save(target)
    return target


def test_template_import_and_export(tmp_path, capsys):
    database, template = tmp_path / "hvhk.sqlite", tmp_path / "sjabloon.xlsx"
    assert main(["roadmap", "sjabloon", "--huis", "Huis van het Kind Gent", "--uitvoer", str(template)]) == 0
    assert capsys.readouterr().out.strip() == f"Sjabloon geschreven: {template}"
    assert load_workbook(template)["Uitleg"]["B2"].value == "Huis van het Kind Gent"

    filled = _fill(template, tmp_path / "ingevuld.xlsx")
    arguments = ["roadmap", "importeer", str(filled), "--huis", "Huis van het Kind Gent", "--database", str(database)]
    assert main([*arguments, "--gemeente", "Gent", "--datum", "2026-10-01"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Ingelezen in ronde 1 van 'Huis van het Kind Gent': 1 deelnemers, 1 antwoorden en 0 keer belang."
    )
    connection = store.connect(database)
    assert store.rondes(connection, 1)[["nummer", "datum"]].values.tolist() == [[1, "2026-10-01"]]
    connection.close()

    export = tmp_path / "ronde.csv"
    base = ["roadmap", "exporteer", "--huis", "Huis van het Kind Gent", "--database", str(database)]
    assert main([*base, "--uitvoer", str(export)]) == 0
    assert "(deelnemers zonder naam)" in capsys.readouterr().out
    assert "Partner A;;onderwijs;onderwijs.1;3;" in export.read_text(encoding="utf-8-sig")
    assert main([*base, "--uitvoer", str(export), "--met-namen"]) == 0
    assert "An Peeters;CLB;onderwijs;onderwijs.1;3;" in export.read_text(encoding="utf-8-sig")


def test_import_errors_are_dutch_and_save_nothing(tmp_path, capsys):
    database = tmp_path / "hvhk.sqlite"
    bad = tmp_path / "fout.csv"
    bad.write_text("deelnemer;id;antwoord\nAn;onderwijs.1;8\n", encoding="utf-8")
    arguments = ["roadmap", "importeer", str(bad), "--huis", "Huis Gent", "--database", str(database)]
    assert main(arguments) == 1
    assert capsys.readouterr().err.strip() == "hvhk: fout: geen Huis met de naam 'Huis Gent' in de database"
    assert main([*arguments, "--gemeente", "Gent"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"hvhk: fout: {bad}: 1 fout, er is niets ingelezen:",
        "  - rij 2, kolom 'antwoord': score 8 ligt niet tussen 1 en 4",
    ]
    connection = store.connect(database)
    assert set(store.row_counts(connection).values()) == {0}  # not even the new Huis
    connection.close()
    assert main([*arguments, "--gemeente", "Nergensland"]) == 1
    assert "onbekende gemeente 'Nergensland'" in capsys.readouterr().err
