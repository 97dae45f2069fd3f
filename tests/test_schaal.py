"""A Roadmap on another scale (five niveaus, four values of belang) from file to check to screen.

The scale lives in the Roadmap file only: the import, the store, the workshop screen, the
aggregate and `hvhk controle` take a 5 for its rounds and refuse what lies outside in Dutch, while
rounds given under the bundled Roadmap keep 1 to 4. The analysis, the dashboard, the Huis report
and the demo data read the same scale: priorities aim at 5, the camps are 1-2 and 4-5 (3 in neither).
"""

import sqlite3
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from openpyxl import load_workbook

from hvhk import demodata
from hvhk.apps.roadmap.dashboard import SECTIES, Dashboard
from hvhk.apps.roadmap.invullen import Invulscherm
from hvhk.cli import main
from rapporten.huis import HuisRapport
from roadmap import charts, store
from roadmap.aggregate import per_onderdeel_alle_rondes
from roadmap.analysis import per_onderdeel
from roadmap.definition import load_roadmap
from roadmap.resultaten import RondeResultaten

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
    import_file = ["roadmap", "importeer", "--huis", HUIS, "--database", str(database)]

    bad = _csv(tmp_path / "fout.csv", "An;;;onderwijs.1;6;\nAn;;;onderwijs;5;\n")
    assert main([*import_file, str(bad), "--gemeente", "Gent", "--roadmap", str(VIJF)]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  - rij 2, kolom 'antwoord': score 6 ligt niet tussen 1 en 5",
        "  - rij 3, kolom 'antwoord': belang 5 moet 1, 2, 3 of 4 zijn",
    ]
    good = _csv(tmp_path / "goed.csv", "An;;;onderwijs.1;5 – Voorbeeld;\nAn;;;onderwijs;4;\nBart;;;onderwijs.1;2;\n")
    assert main([*import_file, str(good), "--gemeente", "Gent", "--roadmap", str(VIJF)]) == 0
    # Round 1 keeps its own Roadmap: a later file for it is read on five levels without --roadmap.
    later = _csv(tmp_path / "later.csv", "Bart;;;onderwijs.2;5;\n")
    assert main([*import_file, str(later), "--ronde", "1"]) == 0
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


@pytest.fixture
def vijf_rondes(tmp_path) -> tuple[Path, int, int]:
    """(database, huis id, id of round 2) of a Huis with two rounds on the five-level Roadmap.

    Round 2: onderwijs.1 is scored 1, 2, 3, 4, 5 by An, Bart, Chris, Dina and Eva: two in each camp
    and Chris on 3 in neither. Their onderwijs levels are 1, 2, 3, 2.5 and 3.5 (median 2.5, so 2.5
    from 5) and An gives onderwijs belang 4; kinderopvang stands at 5 with belang 1.
    """
    database = tmp_path / "hvhk.sqlite"
    roadmap = load_roadmap(VIJF)
    connection = store.connect(database)
    huis_id = store.save_huis(connection, HUIS, ["44021"])
    eerste, tweede = (store.save_ronde(connection, huis_id, nummer, f"202{nummer}-03-01", roadmap) for nummer in (1, 2))
    scores = {
        ("An", "onderwijs"): {"onderwijs.1": 1, "onderwijs.2": 1, "kinderopvang.1": 5},
        ("Bart", None): {"onderwijs.1": 2, "onderwijs.2": 2, "kinderopvang.1": 5},
        ("Chris", None): {"onderwijs.1": 3, "onderwijs.2": 3},
        ("Dina", None): {"onderwijs.1": 4, "onderwijs.2": 1},
        ("Eva", None): {"onderwijs.1": 5, "onderwijs.2": 2},
    }
    for ronde_id, rows in ((eerste, {("An", "onderwijs"): {"onderwijs.1": 2}}), (tweede, scores)):
        for (naam, domein), antwoorden in rows.items():
            deelnemer_id = store.save_deelnemer(connection, ronde_id, naam, "", domein)
            frame = pd.DataFrame({"stelling_id": list(antwoorden), "keuze": "niveau", "niveau": list(antwoorden.values())})
            store.save_antwoorden(connection, deelnemer_id, frame)
            if naam == "An":
                store.save_belang(connection, deelnemer_id, {"onderwijs": 4, "kinderopvang": 1})
    connection.close()
    return database, huis_id, tweede


@pytest.fixture
def figuren(monkeypatch) -> dict[str, list]:
    """The figures the screens draw, by chart name: what a user sees, read off the axes."""
    drawn: dict[str, list] = {}

    def recorder(draw, figures: list):
        def record(*args, **kwargs):
            figures.append(draw(*args, **kwargs))
            return figures[-1]
        return record

    for name in ("spider", "heatmap", "prioriteitenmatrix", "afgelegde_weg"):
        monkeypatch.setattr(charts, name, recorder(getattr(charts, name), drawn.setdefault(name, [])))
    return drawn


def _labels(ticks) -> list[str]:
    return [tick.get_text() for tick in ticks]


def test_a_round_on_five_levels_aims_at_5_and_splits_its_camps_1_2_against_4_5(vijf_rondes):
    database, _, ronde_id = vijf_rondes
    connection = store.connect(database)
    resultaten = RondeResultaten.load(connection, ronde_id)
    connection.close()
    assert resultaten.schaal.hoogste == 5
    prioriteiten = resultaten.prioriteiten.set_index("onderdeel_id")
    assert prioriteiten.loc["onderwijs", ["belang", "afstand", "score", "rang"]].tolist() == [4.0, 2.5, 10.0, 1]
    assert prioriteiten.loc["kinderopvang", ["afstand", "score"]].tolist() == [0.0, 0.0], "5 is the top: nothing left"
    split = resultaten.onenigheid.set_index("stelling_id")
    assert split.loc["onderwijs.1", ["n", "laag", "hoog", "onenig"]].tolist() == [5, 2, 2, True]
    # Chris (Partner C) scored the middle 3: counted among the scorers, in neither camp
    assert split.loc["onderwijs.1", ["partners_laag", "partners_hoog"]].tolist() == [
        "Partner A (Onderwijs), Partner B", "Partner D, Partner E"
    ]
    assert split.loc["onderwijs.2", ["laag", "hoog", "onenig"]].tolist() == [4, 0, False]


def _tekst(widget: widgets.Widget) -> str:
    own = [getattr(widget, "value", "")] if isinstance(widget, widgets.HTML) else []
    return "\n".join(own + [_tekst(child) for child in getattr(widget, "children", ())])


def test_the_dashboard_shows_a_five_level_round_on_its_own_scale(vijf_rondes, figuren):
    database, _, ronde_id = vijf_rondes
    dashboard = Dashboard(database)
    dashboard.show(ronde_id)
    dashboard.connection.close()
    sectie = {titel: _tekst(tab) for titel, tab in zip(SECTIES, dashboard.tabs.children)}
    assert "het mediane niveau (1 tot 5)" in sectie["Waar staan we?"]
    verschillen = sectie["Verschillen tussen partners"]
    assert "(niveau 1–2), een deel wel (niveau 4–5)" in verschillen
    assert "Wie niveau 3 gaf, staat in geen van beide kampen." in verschillen
    assert "<th>Op niveau 1–2</th>" in verschillen and "<th>Op niveau 4–5</th>" in verschillen
    assert "Partner C" not in verschillen.split("<table")[1], "the middle is in neither camp"
    assert "nog ver van niveau 5 staan: score = belang (mediaan, 1–4) × afstand tot niveau 5" in sectie["Prioriteiten"]

    (spider,), (heatmap,), (matrix,), (weg,) = (figuren[name] for name in
                                              ("spider", "heatmap", "prioriteitenmatrix", "afgelegde_weg"))
    assert spider.axes[0].get_ylim() == (0, 5)
    assert _labels(spider.axes[0].get_yticklabels()) == ["1", "2", "3", "4", "5"]
    assert heatmap.axes[0].images[0].get_clim() == (1, 5)
    assert list(heatmap.axes[1].get_yticks()) == [1, 2, 3, 4, 5], "the colour bar runs over five niveaus"
    axes = matrix.axes[0]
    assert axes.get_title() == "Belang en afstand tot niveau 5"
    assert axes.get_xlabel() == "Afstand tot niveau 5 (5 − mediaan niveau)"
    assert axes.get_ylabel() == "Belang (mediaan van de partners, 1–4)"
    assert (_labels(axes.get_xticklabels()), _labels(axes.get_yticklabels())) == (
        ["0", "1", "2", "3", "4"], ["1", "2", "3", "4"]
    )
    assert axes.collections[-1].get_offsets().tolist() == [[2.5, 4.0], [0.0, 1.0]]
    assert _labels(weg.axes[0].get_xticklabels()) == ["1", "2", "3", "4", "5"]


def test_the_huis_report_shows_a_five_level_round_on_its_own_scale(vijf_rondes, figuren):
    database, huis_id, _ = vijf_rondes
    rapport = HuisRapport.load(database, huis_id)
    assert "het mediane niveau (1 tot 5)" in rapport.waar_staan_we()[0].data
    (spider,) = figuren["spider"]
    assert _labels(spider.axes[0].get_yticklabels()) == ["1", "2", "3", "4", "5"]
    prioriteiten = rapport.prioriteiten_tabel().data
    assert "nog ver van niveau 5 staan: score = belang (mediaan, 1–4) × afstand tot niveau 5" in prioriteiten
    getallen = "".join(f"<td class='getal'>{value}</td>" for value in ("4,0", "2,5", "10,0"))
    assert f"<td>Onderwijs</td>{getallen}" in prioriteiten, "belang 4 × (5 − 2,5)"
    oneens = rapport.waar_oneens().data
    assert "(niveau 1–2), een deel wel (niveau 4–5). Wie niveau 3 gaf" in oneens
    assert "Op niveau 4–5" in oneens and "Partner D, Partner E" in oneens and "Partner C" not in oneens


def test_demo_data_drawn_on_five_levels_uses_the_whole_scale_and_nothing_outside():
    roadmap = load_roadmap(VIJF)
    rondes = demodata.generate(roadmap).rondes
    antwoorden = pd.concat([d["antwoorden"] for ronde in rondes for d in ronde["deelnemers"]])
    assert set(antwoorden["stelling_id"]) == set(roadmap.stellingen["stelling_id"])
    assert set(antwoorden.loc[antwoorden["keuze"] == "niveau", "niveau"]) == {1, 2, 3, 4, 5}
    belang = [waarde for ronde in rondes for d in ronde["deelnemers"] for waarde in d["belang"].values()]
    assert set(belang) == {1, 2, 3, 4}
    assert all(set(d["belang"]) == {"onderwijs", "kinderopvang"} for ronde in rondes for d in ronde["deelnemers"])
