"""A Roadmap on another scale (five niveaus, four values of belang) from file to check.

The scale lives in the Roadmap file only: the import, the store, the workshop screen, the
aggregate and `hvhk controle` take a 5 for its rounds and refuse what lies outside in Dutch, while
rounds given under the bundled Roadmap keep 1 to 4.
"""

import sqlite3
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from openpyxl import load_workbook

from hvhk.apps.roadmap.invullen import Invulscherm
from hvhk.cli import main
from roadmap import store
from roadmap.aggregate import per_onderdeel_alle_rondes
from roadmap.analysis import per_onderdeel

VIJF = Path(__file__).parent / "fixtures" / "vijf_niveaus_roadmap.yaml"
HUIS = "Huis van het Kind Vijfdorp"
HEADER = "deelnemer;organisatie;levensdomein;id;antwoord;toelichting\n"


def _csv(path: Path, rows: str) -> Path:
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _find(root: widgets.Widget, css: str) -> widgets.Widget | None:
    """The first widget under `root` with CSS class `css`, depth first."""
    if css in getattr(root, "_dom_classes", ()):
        return root
    for child in getattr(root, "children", ()):
        if (found := _find(child, css)) is not None:
            return found
    return None


def test_a_roadmap_on_five_levels_is_taken_end_to_end_and_its_bounds_refused_in_dutch(tmp_path, capsys):
    database = tmp_path / "hvhk.sqlite"
    importeer = ["roadmap", "importeer", "--huis", HUIS, "--database", str(database)]

    bad = _csv(tmp_path / "fout.csv", "An;;;onderwijs.1;6;\nAn;;;onderwijs;5;\n")
    assert main([*importeer, str(bad), "--gemeente", "Gent", "--roadmap", str(VIJF)]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  - rij 2, kolom 'antwoord': score 6 ligt niet tussen 1 en 5",
        "  - rij 3, kolom 'antwoord': belang 5 moet 1, 2, 3 of 4 zijn",
    ]
    good = _csv(tmp_path / "goed.csv", "An;;;onderwijs.1;5 – Voorbeeld;\nAn;;;onderwijs;4;\nBart;;;onderwijs.1;2;\n")
    assert main([*importeer, str(good), "--gemeente", "Gent", "--roadmap", str(VIJF)]) == 0
    # Round 1 keeps its own Roadmap: a later file for it is read on five levels without --roadmap.
    later = _csv(tmp_path / "later.csv", "Bart;;;onderwijs.2;5;\n")
    assert main([*importeer, str(later), "--ronde", "1"]) == 0
    capsys.readouterr()

    connection = store.connect(database)
    ronde = int(store.rondes(connection, store.huis_id(connection, HUIS))["id"].iloc[0])
    an, bart = (store.find_deelnemer(connection, ronde, naam)["id"] for naam in ("An", "Bart"))
    scherm = Invulscherm(connection, an)
    knoppen = _find(scherm.widget, "stelling-onderwijs-2")
    assert [value for _, value in knoppen.options][:5] == [("niveau", n) for n in range(1, 6)]
    knoppen.value = ("niveau", 5)
    assert [value for _, value in _find(scherm.widget, "belang-onderwijs").options] == [1, 2, 3, 4]

    antwoorden = store.antwoorden(connection, ronde)
    assert antwoorden[["deelnemer_id", "stelling_id", "niveau"]].values.tolist() == [
        [an, "onderwijs.1", 5], [an, "onderwijs.2", 5], [bart, "onderwijs.1", 2], [bart, "onderwijs.2", 5],
    ]
    expected = per_onderdeel(antwoorden, store.ronde_roadmap(connection, ronde).stellingen)
    result = per_onderdeel_alle_rondes(connection)
    pd.testing.assert_frame_equal(result[expected.columns].reset_index(drop=True), expected)
    assert result.set_index("onderdeel_id").at["onderwijs", "maximum"] == 5
    connection.close()

    controle = ["controle", "--database", str(database), "--roadmap", str(VIJF)]
    assert main(controle) == 0
    assert capsys.readouterr().out.strip().endswith("alles in orde.")
    with sqlite3.connect(database) as raw:  # another program writes what the store refuses
        raw.execute("UPDATE antwoord SET niveau = 6 WHERE deelnemer_id = ? AND stelling_id = 'onderwijs.1'", (an,))
        raw.execute("UPDATE belang SET belang = 5 WHERE deelnemer_id = ?", (an,))
    raw.close()
    assert main(controle) == 1
    waar = f"fout: Huis '{HUIS}', ronde 1, deelnemer 'An'"
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"{waar}: niveau 6 bij stelling 'onderwijs.1' ligt niet tussen 1 en 5",
        f"{waar}: belang 5 voor onderdeel 'onderwijs' ligt niet tussen 1 en 4",
    ]


def test_the_template_explains_the_scale_of_its_roadmap(tmp_path, capsys):
    template = tmp_path / "sjabloon.xlsx"
    assert main(["roadmap", "sjabloon", "--huis", HUIS, "--uitvoer", str(template), "--roadmap", str(VIJF)]) == 0
    uitleg = [row[0] for row in load_workbook(template)["Uitleg"].iter_rows(min_col=2, max_col=2, values_only=True)]
    assert "Kies na elk levensdomein hoe belangrijk het is (1 tot 4)." in uitleg
    assert "Anderen leren van ons." in uitleg
