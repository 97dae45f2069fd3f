import re

import ipywidgets as widgets
import pandas as pd
import pytest

import hvhk.apps.scenarios
from hvhk import demodata
from hvhk.apps.scenarios import PLAATSEN, Situations, scenario_app
from simulatie.experiment import run_scenarios
from simulatie.maten import GROEP_LABELS, LOKET_MATEN, MATEN, SOORT_LABELS
from simulatie.scenario import Scenario


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def _field(app, description, number=0):
    return [w for w in _all(app) if getattr(w, "description", None) == description][number]


def _texts(app):
    return [w.value for w in _all(app) if isinstance(w, widgets.HTML)]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path))  # where hvhk.apps.ui would log an unexpected error
    app = scenario_app()
    _field(app, "Replicaties").value = 3
    return app


def test_a_demo_gemeente_is_filled_in_and_labelled_as_demo_data(app):
    assert _field(app, "Gemeente").value == "Nazareth-De Pinte"
    per_soort = [_field(app, label).value for label in PLAATSEN.values()]
    assert all(count > 0 for count in per_soort) and _field(app, "Loketmedewerkers").value >= 1
    assert sum(per_soort) == demodata.loket_cijfers().set_index("gemeente").at["Nazareth-De Pinte", "plaatsen"]
    assert any("fictieve demogegevens" in text for text in _texts(app))

    _field(app, "Gemeente").value = "Gent"  # no demo figures: the user's own figures stay
    assert [_field(app, label).value for label in PLAATSEN.values()] == per_soort
    assert not any("fictieve demogegevens" in text for text in _texts(app))


def test_a_run_shows_both_situations_formatted_the_belgian_way(app):
    _field(app, "Extra plaatsen").value = 150
    _field(app, "Toewijzing", 1).value = "kwetsbaar_eerst"
    _field(app, "Simuleren").click()

    table, groepen, soorten = [text for text in _texts(app) if "<table" in text]
    assert "Huidige situatie" in table and "Scenario" in table and "95%-interval" in table
    assert all(MATEN[key].label in table for key in LOKET_MATEN)
    rows = {cells[0]: cells[1:] for cells in (re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in table.split("<tr>"))
            if cells}
    answer = rows["Tijd tot eerste antwoord van het loket (dagen)"]
    assert re.fullmatch(r"\d+,\d", answer[0]) and re.fullmatch(r"\d+,\d – \d+,\d", answer[1]), "decimal comma"
    kwetsbaar = rows["Tijdig geplaatst, kwetsbare gezinnen"]
    assert all(re.fullmatch(r"\d+\u00a0%", kwetsbaar[i]) for i in (0, 2)), "shares as percentages"
    assert int(kwetsbaar[2].split()[0]) > int(kwetsbaar[0].split()[0]), "more places and priority: more on time"
    assert not any("." in cell or "nan" in cell for cells in rows.values() for cell in cells[1:])
    assert any(isinstance(w, widgets.Image) and bytes(w.value).startswith(b"\x89PNG") for w in _all(app))
    assert "Klaar: 3 replicaties" in " ".join(_texts(app))
    # the paired difference of the two situations, with its own interval
    change = rows["Tijdig geplaatst, kwetsbare gezinnen"][4:7]
    assert re.fullmatch(r"\+\d+,\d %-punt", change[0]) and change[2] == "*", "a real rise, marked"
    assert all(f"Tijd tot een aanbod, mediaan, {label} (dagen)" in groepen for groep, label in GROEP_LABELS.items()
               if groep != "nederlandstalig")
    assert "Nederlandstalige" not in groepen, "a group that has no gezinnen in Flanders is left out"
    assert all(f"Bezetting van de plaatsen, {label}" in soorten for label in SOORT_LABELS.values())


def test_the_places_of_a_soort_and_the_afwijking_reach_the_simulation(app, monkeypatch):
    seen = []
    monkeypatch.setattr(hvhk.apps.scenarios, "run_scenarios", lambda scenarios, *_, **__: seen.append(scenarios))
    _field(app, "Extra plaatsen").value = 20
    _field(app, "Bij de soort").value = "vaste_prijs"
    _field(app, "Afwijking (%)", 1).value = 0
    assert len(seen) == 3, "each slider or choice let go simulates at once"
    _field(app, "Simuleren").click()  # the stand-in simulation returns nothing to show: only what it was given counts
    huidig, scenario = seen[-1]
    assert scenario.plaatsen_per_soort["vaste_prijs"] == huidig.plaatsen_per_soort["vaste_prijs"] + 20
    assert scenario.plaatsen_per_soort["inkomenstarief"] == huidig.plaatsen_per_soort["inkomenstarief"]
    assert (huidig.regel("inkomenstarief").afwijking, scenario.regel("inkomenstarief").afwijking) == (0.1, 0.0)
    assert huidig.beleid == "huidige_regels"


def test_the_button_is_disabled_while_simulating(app, monkeypatch):
    button, seen = _field(app, "Simuleren"), []
    real = hvhk.apps.scenarios.run_scenarios

    def spy(*arguments, **keywords):
        seen.append((button.disabled, button.description))
        return real(*arguments, **keywords)

    monkeypatch.setattr(hvhk.apps.scenarios, "run_scenarios", spy)
    button.click()
    assert seen == [(True, "Bezig met simuleren…")]
    assert not button.disabled and button.description == "Simuleren"


@pytest.mark.parametrize(
    ("description", "value", "message"),
    [
        ("Plaatsen vaste prijs", -5, "Huidige situatie: het aantal plaatsen per soort kan niet negatief zijn"),
        ("Loketmedewerkers", 0, "veld loket_medewerkers: moet 1 of meer zijn"),
        ("Extra loketmedewerkers", -1, "Scenario &#x27;Scenario&#x27;, veld loket_medewerkers"),
        ("Geboorten per jaar", 0, "veld geboorten_per_jaar: moet groter dan 0 zijn"),
        ("Gemeente", "", "Kies eerst een gemeente"),
    ],
)
def test_a_wrong_input_shows_a_dutch_message_and_no_table(app, description, value, message):
    _field(app, "Simuleren").click()
    assert any("<table" in text for text in _texts(app))
    _field(app, description).value = value
    _field(app, "Simuleren").click()
    assert any("hvhk-fout" in text and message in text for text in _texts(app))
    assert not any("<table" in text for text in _texts(app)), "the previous table is gone"
    assert not any(isinstance(w, widgets.Image) for w in _all(app))
    assert not _field(app, "Simuleren").disabled


def test_a_brussels_gemeente_asks_for_the_share_with_dutch_language_priority(app, monkeypatch):
    seen = []
    monkeypatch.setattr(hvhk.apps.scenarios, "run_scenarios", lambda scenarios, *_, **__: seen.extend(scenarios))
    veld = _field(app, "Nederlandstalige voorrang (%)")
    assert veld.layout.display == "none", "not asked in Flanders, where the rule does not hold"
    _field(app, "Gemeente").value = "Sint-Jans-Molenbeek"
    assert veld.layout.display == "" and veld.value == 30
    _field(app, "Simuleren").click()
    assert [s.aandeel_nederlandstalig for s in seen] == [0.3, 0.3]
    assert seen[0].regel("inkomenstarief").taalvoorrang == 0.55


def test_letting_go_of_a_slider_shows_new_results_from_the_shared_pool(app, monkeypatch):
    """No click needed: the group sees each change. The runs go to the server's pool of processes."""
    calls = []
    real = hvhk.apps.scenarios.run_scenarios

    def spy(*arguments, **keywords):
        calls.append(keywords["werkers"])
        return real(*arguments, **keywords)

    monkeypatch.setattr(hvhk.apps.scenarios, "run_scenarios", spy)
    _field(app, "Extra plaatsen").value = 100
    first = [text for text in _texts(app) if "<table" in text]
    _field(app, "Extra loketmedewerkers").value = 2
    second = [text for text in _texts(app) if "<table" in text]
    assert calls == [hvhk.apps.scenarios.WERKERS] * 2
    assert len(first) == len(second) == 3 and first != second
    assert all(slider.continuous_update is False for slider in _all(app) if isinstance(slider, widgets.IntSlider))


def test_a_slider_of_the_scenario_simulates_the_scenario_only(app, monkeypatch):
    """The current situation's runs are kept while its inputs stay: half the work after a slider."""
    calls = []
    real = hvhk.apps.scenarios.run_scenarios

    def spy(scenarios, *arguments, **keywords):
        calls.append([scenario.naam for scenario in scenarios])
        return real(scenarios, *arguments, **keywords)

    monkeypatch.setattr(hvhk.apps.scenarios, "run_scenarios", spy)
    _field(app, "Extra plaatsen").value = 100
    _field(app, "Extra plaatsen").value = 50
    _field(app, "Simuleren").click()
    assert calls == [["Huidige situatie", "Scenario"], ["Scenario"], ["Scenario"]]

    _field(app, "Loketmedewerkers").value += 1  # the current situation changed: both anew
    _field(app, "Simuleren").click()
    _field(app, "Replicaties").value = 4
    _field(app, "Simuleren").click()
    assert calls[3:] == [["Huidige situatie", "Scenario"]] * 2


def test_kept_runs_and_runs_anew_are_the_same_table():
    situations = (Scenario(naam="Huidige situatie", gemeente="44021", geboorten_per_jaar=80, plaatsen=100, jaren=1),
                  Scenario(naam="Scenario", gemeente="44021", geboorten_per_jaar=80, plaatsen=130, jaren=1))
    simulated = Situations()
    simulated.runs(situations, 3)
    pd.testing.assert_frame_equal(simulated.runs(situations, 3), run_scenarios(situations, 3, seed=44021))
