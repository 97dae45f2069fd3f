import re
import shutil
from html import escape

import pandas as pd
import pytest

from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_difference, as_number
from rapporten import RESULTATEN
from rapporten.huis import HuisRapport
from roadmap import analysis, store


def test_report_numbers_come_from_the_analysis(demo_database):
    rapport = HuisRapport.load(demo_database, 1)
    connection = store.connect(demo_database)
    ronde_id = int(store.rondes(connection, 1)["id"].iloc[-1])
    stellingen = store.ronde_roadmap(connection, ronde_id).stellingen
    expected = analysis.per_onderdeel(store.antwoorden(connection, ronde_id), stellingen)
    connection.close()
    pd.testing.assert_frame_equal(rapport.ronde.niveaus, expected)
    assert rapport.ronde.nummer == 2
    html = rapport.kengetallen().data
    assert f"<strong>{len(rapport.ronde.deelnemers)}</strong>deelnemers" in html


def test_names_from_users_are_escaped(tmp_path, mini_roadmap):
    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    huis_id = store.save_huis(connection, "<script>alert(1)</script> & ../Huis", ["44086"])
    connection.close()
    html = HuisRapport.load(database, huis_id).heading().data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ../Huis" in html
    assert "Nog geen zelfevaluatie afgenomen." in html


def test_unknown_huis_is_a_dutch_error(demo_database):
    with pytest.raises(GebruikersFout, match="Huis 999 staat niet in de database"):
        HuisRapport.load(demo_database, 999)


def test_loket_section_shows_the_simulated_numbers_the_belgian_way(tmp_path, demo_database):
    simulatie = tmp_path / "loket.csv"
    pd.DataFrame(
        [{"nis": "44086", "scenario": "huidige situatie", "soort": "situatie", "geboorten_per_jaar": 1241, "plaatsen": 355,
          "loket_medewerkers": 1,
          "maat": "aandeel_tijdig_geplaatst", "gemiddelde": 0.634, "ci_laag": 0.52, "ci_hoog": 0.741, "n": 10}]
    ).to_csv(simulatie, index=False)
    html = HuisRapport.load(demo_database, 1, simulatie).loket_kinderopvang().data
    assert "1.241 geboorten per jaar" in html
    assert "63\u00a0%" in html and "52\u00a0% – 74\u00a0%" in html


def test_disagreement_and_blind_spot_sections_name_no_participants(demo_database):
    rapport = HuisRapport.load(demo_database, 1)
    oneens = rapport.waar_oneens().data
    flagged = rapport.ronde.onenigheid.loc[rapport.ronde.onenigheid["onenig"]]
    assert len(flagged) > 10, "the demo data has many splits, so the list must be cut"
    assert oneens.count("<tr>") == 10 + 1  # header row
    rest = flagged.loc[~flagged["tekst"].map(escape).isin(re.findall(r"<td>[^<]*</td><td>([^<]*)</td>", oneens))]
    assert len(rest) == len(flagged) - 10
    counts = rest["onderdeel"].value_counts()
    assert f"En nog {len(flagged) - 10} stelling(en) met twee kampen: {counts.iloc[0]} in {escape(counts.index[0])}," in oneens
    assert all(f"{count} in {escape(onderdeel)}" in oneens for onderdeel, count in counts.items())
    assert not any(naam in oneens for naam in rapport.ronde.deelnemers["naam"])
    assert not any(organisatie in oneens for organisatie in rapport.ronde.deelnemers["organisatie"])
    # each camp cell lists exactly the partners the analysis counted in that camp
    first_row = oneens.split("<tbody><tr>")[1].split("</tr>")[0]
    tekst, low, high = (cell.split("</td>")[0] for cell in first_row.split("<td>")[2:5])
    counted = flagged.loc[flagged["tekst"].map(escape) == tekst].iloc[0]
    assert (low.count("Partner "), high.count("Partner ")) == (counted["laag"], counted["hoog"])


def test_action_plan_shows_the_chosen_priorities_and_actions(demo_database):
    rapport = HuisRapport.load(demo_database, 1)
    html = rapport.actieplan().data
    ronde = rapport.ronde
    assert len(ronde.gekozen) == 2 and all(naam in html for naam in ronde.gekozen)
    assert html.count("<tr>") == 1 + len(ronde.acties) and "gepland" in html
    vlekken = rapport.blinde_vlekken_tabel().data
    assert vlekken.count("<tr>") == len(ronde.blinde_vlekken) + (1 if len(ronde.blinde_vlekken) else 0)


def test_road_travelled_and_priorities_come_from_the_analysis(demo_database):
    rapport = HuisRapport.load(demo_database, 1)
    ronde = rapport.ronde
    assert len(ronde.weg) and ronde.weg["verschil"].notna().any(), "demo Huizen have two rounds"
    weg = rapport.afgelegde_weg().data
    assert "Ronde 1" in weg and "Ronde 2" in weg
    first = ronde.prioriteiten.iloc[0]
    assert first["rang"] == 1 and first["score"] == ronde.prioriteiten["score"].max()
    assert rapport.prioriteiten_tabel().data.count("<tr>") == 1 + 5


def test_comparison_with_other_huizen_comes_from_the_analysis(demo_database):
    rapport = HuisRapport.load(demo_database, 1)
    domeinen = rapport.vergelijking.loc[rapport.vergelijking["soort"] == "levensdomein"]
    assert (domeinen["huizen"] == 11).all(), "the eleven other demo Huizen"
    html = rapport.andere_huizen().data
    assert html.count("<tr>") == 1 + len(domeinen)
    first = domeinen.iloc[0]
    assert f"<td class='getal'>{as_number(first['andere_mediaan'])}</td>" in html


def test_comparison_is_withheld_with_fewer_than_five_other_huizen(tmp_path, demo_database):
    small = tmp_path / "klein.sqlite"
    shutil.copy(demo_database, small)
    connection = store.connect(small)
    connection.execute("DELETE FROM huis WHERE id > 5")  # Huis 1 and four others remain
    connection.close()
    html = HuisRapport.load(small, 1).andere_huizen().data
    assert "Te weinig andere Huizen om te vergelijken." in html and "<table>" not in html


def test_road_travelled_names_the_previous_round_by_its_number(tmp_path, mini_roadmap):
    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    huis_id = store.save_huis(connection, "Huis van het Kind Proef", ["44021"])
    for nummer, niveau in [(1, 2), (3, 4)]:  # round 2 never happened
        ronde_id = store.save_ronde(connection, huis_id, nummer, f"202{nummer}-03-01", mini_roadmap)
        deelnemer_id = store.save_deelnemer(connection, ronde_id, "An", "", "onderwijs")
        store.save_antwoorden(connection, deelnemer_id, pd.DataFrame(
            {"stelling_id": ["onderwijs.1"], "keuze": ["niveau"], "niveau": [niveau]}))
    connection.close()
    weg = HuisRapport.load(database, huis_id).afgelegde_weg().data
    assert "in ronde 1 en ronde 3" in weg and "Ronde 2" not in weg
    assert as_difference(2.0) in weg, "onderwijs went from 2 to 4"


def test_the_discussion_section_shows_before_after_and_what_the_group_decided(tmp_path, mini_roadmap):
    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    huis_id = store.save_huis(connection, "Huis van het Kind Proef", ["44021"])
    ronde_id = store.save_ronde(connection, huis_id, 1, "2026-03-01", mini_roadmap)
    partners = []
    for naam, niveau in [("An", 1), ("Bart", 1), ("Chris", 4), ("Dina", 4)]:
        partners.append(store.save_deelnemer(connection, ronde_id, naam))
        store.save_antwoorden(connection, partners[-1], pd.DataFrame(
            {"stelling_id": ["onderwijs.1", "onderwijs.2"], "keuze": ["niveau"] * 2, "niveau": [niveau, niveau]}))
    assert "geen stellingen opnieuw" in HuisRapport.load(database, huis_id).bespreking().data
    store.plan_bespreking(connection, ronde_id, ["onderwijs.1", "onderwijs.2"])
    store.open_stemming(connection, ronde_id, "onderwijs.1")
    for deelnemer, niveau in zip(partners, [3, 3, 3, 4]):
        store.save_stem(connection, deelnemer, "onderwijs.1", "niveau", niveau)
    store.save_uitkomst(connection, ronde_id, "onderwijs.1", 3, "Samen <b>gezien</b>")
    store.open_stemming(connection, ronde_id, "onderwijs.2")
    store.save_stem(connection, partners[0], "onderwijs.2", "niveau", 1)
    store.save_stem(connection, partners[3], "onderwijs.2", "niveau", 4)
    connection.close()

    rapport = HuisRapport.load(database, huis_id)
    html = rapport.bespreking().data
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [row[2:6] for row in cells] == [
        [f"verdeeld (mediaan {as_number(2.5)}; 4 scores)", f"eens (mediaan {as_number(3.0)}; 4 scores)", "3",
         "niveau 3"],
        [f"verdeeld (mediaan {as_number(2.5)}; 4 scores)", f"verdeeld (mediaan {as_number(2.5)}; 2 scores)", "0",
         "nog niet vastgelegd"],
    ]
    assert cells[0][6] == "Samen &lt;b&gt;gezien&lt;/b&gt;"
    assert "Nog verdeeld: We stemmen het aanbod af." in html
    assert (rapport.resultaten()[RESULTATEN]["besproken"], rapport.resultaten()[RESULTATEN]["besluiten"]) == (
        2, {"onderwijs.1": 3.0})
