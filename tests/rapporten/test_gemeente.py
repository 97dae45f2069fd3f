import re

import pandas as pd
import pytest

from rapporten.gemeente import GemeenteRapport
from simulatie.experiment import run_scenarios
from simulatie.maten import GROEP_LABELS, MATEN, groep_maten, soort_maten
from simulatie.scenario import Scenario
from simulatie.uitvoer import to_report_table


def test_a_gemeente_without_other_scenarios_says_so_instead_of_an_empty_chart():
    rapport = GemeenteRapport("71016", "Genk", demo=False, situaties=pd.DataFrame(), verschillen=pd.DataFrame(
        columns=["scenario", "maat", "gemiddelde", "ci_laag", "ci_hoog"]))
    [section] = rapport.scenarios()
    assert "Voor deze gemeente werden geen andere scenario's gesimuleerd." in section.data


@pytest.fixture(scope="module")
def rapport() -> GemeenteRapport:
    """A report on a small simulation of a gemeente without places with extra subsidie."""
    scenario = Scenario(naam="nu", gemeente="44086", geboorten_per_jaar=150, plaatsen=180, jaren=2,
                        aandeel_plaatsen={"inkomenstarief": 0.7, "vaste_prijs": 0.3})
    runs = run_scenarios([scenario], replicaties=3, seed=1)
    table = to_report_table(runs, [scenario])
    return GemeenteRapport("44086", "Nazareth-De Pinte", demo=False, situaties=table, verschillen=table.iloc[:0])


def cells(html: str) -> dict[str, list[str]]:
    rows = (re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in html.split("<tr"))
    return {row[0]: row[1:] for row in rows if row}


def test_the_report_shows_each_priority_group_with_the_numbers_of_the_table(rapport):
    html = rapport.voorrangsgroepen().data
    assert "huidige regels (sinds 1 april 2024)" in html
    rows = cells(html)
    # no gezin has the Dutch-language priority outside Brussels: that group is left out
    assert list(rows) == [label[:1].upper() + label[1:] for groep, label in GROEP_LABELS.items() if groep != "nederlandstalig"]
    tijdig, aanbod = groep_maten("werkend")
    mean = rapport.situaties.set_index("maat").loc[[tijdig, aanbod], "gemiddelde"]
    assert rows["Werkende of studerende ouders"][0] == MATEN[tijdig].format(mean[tijdig])
    assert rows["Werkende of studerende ouders"][2] == MATEN[aanbod].format(mean[aanbod])


def test_the_report_shows_only_the_soorten_the_gemeente_has(rapport):
    rows = cells(rapport.soorten_opvang().data)
    assert list(rows) == ["Inkomenstarief", "Vaste prijs"]
    bezetting = MATEN[soort_maten("vaste_prijs")[0]]
    mean = rapport.situaties.set_index("maat").at[bezetting.key, "gemiddelde"]
    assert rows["Vaste prijs"][0] == bezetting.format(mean)


def test_a_table_simulated_before_the_groups_existed_asks_to_simulate_again(rapport):
    old = rapport.situaties.loc[~rapport.situaties["maat"].str.contains("werkend|broer_zus|pleegkind|anderen|_dagen$|bezetting_"
                                                                        "|opgegeven_per_jaar_")]
    oud = GemeenteRapport("44086", "Nazareth-De Pinte", demo=False, situaties=old, verschillen=old.iloc[:0])
    assert "simuleer opnieuw" in oud.soorten_opvang().data and "simuleer opnieuw" in oud.voorrangsgroepen().data
