"""The allocation rules as data: soorten of location, priority levels, afwijking and reservering.

The combined rules must reduce to each single rule where they should (same seed, same gezinnen,
same result), and a small case worked out by hand must be allotted in the order the rules say.
"""

import math
from dataclasses import replace

import numpy as np
import pytest
import simpy

from hvhk.base.errors import GebruikersFout
from simulatie.model import Allocation, Gezin, run
from simulatie.scenario import SOORTEN, Scenario

GEMENGD = {"inkomenstarief": 0.6, "vaste_prijs": 0.35, "subsidie_kwetsbaar": 0.05}


def same_rule_everywhere(**regel) -> dict:
    return dict.fromkeys(SOORTEN, regel)


@pytest.mark.parametrize("beleid, regel", [
    ("fifo", {"voorrang": []}),
    ("kwetsbaar_eerst", {"voorrang": ["kwetsbaar"]}),
    ("werkend_eerst", {"voorrang": ["werkend"]}),
    ("broer_zus", {"voorrang": ["broer_zus"]}),
    ("reservering", {"voorrang": [], "gereserveerd": 0.2}),
])
def test_each_single_rule_is_the_combined_rules_written_for_it(beleid, regel):
    scenario = Scenario(jaren=4, aandeel_plaatsen=GEMENGD)
    single = run(replace(scenario, beleid=beleid), 7).measures
    combined = run(replace(scenario, regels=same_rule_everywhere(**{"afwijking": 0.0, "gereserveerd": 0.0, **regel})), 7).measures
    np.testing.assert_equal(combined, single)


def test_the_decree_rule_is_werkend_eerst_where_nobody_has_a_sibling_or_foster_child():
    scenario = Scenario(jaren=4, aandeel_broer_zus=0.0, aandeel_pleegkind=0.0,
                        regels={"inkomenstarief": {"afwijking": 0.0}})
    np.testing.assert_equal(run(scenario, 3).measures, run(replace(scenario, beleid="werkend_eerst", regels=None), 3).measures)


def test_the_huidige_regels_are_the_default_and_favour_their_groups():
    assert Scenario().beleid == "huidige_regels"
    regel = Scenario().regel("inkomenstarief")
    assert regel.voorrang == (("werkend", "broer_zus", "pleegkind"),) and regel.afwijking == 0.1
    measures = run(Scenario(jaren=10, regels={"inkomenstarief": {"afwijking": 0.0}}), 1).measures
    assert measures["aandeel_tijdig_werkend"] > measures["aandeel_tijdig_anderen"] + 0.1


def gezin(number: int, joins: float, *groepen: str, sibling: bool = False) -> Gezin:
    """A gezin that joins the list of location 0 at `joins` and, once placed, keeps its plaats 10 days."""
    return Gezin(number, 0.0, "kwetsbaar" in groepen, "werkend" in groepen, "pleegkind" in groepen,
                 "nederlandstalig" in groepen,
                 (frozenset(groepen), frozenset({*groepen, "broer_zus"})), 0 if sibling else -1, True, False, (0,),
                 0, 0.0, joins, math.inf, 10.0, 1.0, 0.0, 0.0)


def most_held_at_once(gezinnen: list[Gezin], location: int) -> int:
    """The most places of `location` that these gezinnen held at the same moment."""
    moments = sorted([(g.allotted, 1) for g in gezinnen if g.location == location]
                     + [(g.departure, -1) for g in gezinnen if g.location == location])
    return max(np.cumsum([step for _, step in moments]), default=0)


def allot(scenario: Scenario, gezinnen: list[Gezin]) -> None:
    """Let the gezinnen join the lists of `scenario`'s locations and run 100 days of allotment."""
    env = simpy.Environment()
    allocation = Allocation(env, scenario)
    allocation.join_all(gezinnen)
    env.run(until=100)


def allotment_order(gezinnen: list[Gezin] | None = None, **regel) -> list[int]:
    """Who gets the one plaats of one location, in turn: gezin 0 holds it first, gezinnen 1 to 5 join
    behind it on days 1 to 5 (1: none of the groups, 2: werkend, 3: kwetsbaar, 4: pleegkind, 5: a
    sibling at the location); every child stays 10 days."""
    scenario = Scenario(plaatsen=1, locaties=(1,), toewijzing_vooraf_dagen=0.0, geduld_dagen=math.inf,
                        regels={"inkomenstarief": {"voorrang": [], "afwijking": 0.0, **regel}})
    gezinnen = gezinnen or [gezin(0, 0.0), gezin(1, 1.0), gezin(2, 2.0, "werkend"), gezin(3, 3.0, "kwetsbaar"),
                            gezin(4, 4.0, "pleegkind"), gezin(5, 5.0, sibling=True)]
    allot(scenario, gezinnen)
    order = sorted(gezinnen, key=lambda g: g.allotted)
    assert [each.allotted for each in order] == [10.0 * turn for turn in range(len(gezinnen))]
    return [each.number for each in order]


def test_a_hand_worked_case_is_allotted_in_the_order_of_the_rules():
    assert allotment_order() == [0, 1, 2, 3, 4, 5]  # in order of registration
    assert allotment_order(voorrang=["kwetsbaar"]) == [0, 3, 1, 2, 4, 5]
    assert allotment_order(voorrang=[["werkend", "broer_zus", "pleegkind"]]) == [0, 2, 4, 5, 1, 3]
    assert allotment_order(voorrang=["pleegkind", ["werkend", "broer_zus"]]) == [0, 4, 2, 5, 1, 3]
    # the one plaats may go outside the order: the kwetsbare gezin first, then the order again
    assert allotment_order(voorrang=[["werkend", "broer_zus", "pleegkind"]], afwijking=1.0) == [0, 3, 2, 4, 5, 1]
    # kept for kwetsbare gezinnen: nobody else may take it
    scenario_order = allotment_order(voorrang=["werkend"], gereserveerd=0.0)
    assert scenario_order == [0, 2, 1, 3, 4, 5]


def test_the_taalvoorrang_puts_a_nederlandstalige_gezin_first_for_its_share_of_the_places():
    def wachtend() -> list[Gezin]:  # 3: nederlandstalig and werkend, 4: nederlandstalig
        return [gezin(0, 0.0), gezin(1, 1.0), gezin(2, 2.0, "werkend"), gezin(3, 3.0, "nederlandstalig", "werkend"),
                gezin(4, 4.0, "nederlandstalig")]

    assert allotment_order(wachtend(), voorrang=["werkend"]) == [0, 2, 3, 1, 4]
    # the one plaats may go ahead: to the first nederlandstalige gezin in the rule's order, every time it is free
    assert allotment_order(wachtend(), voorrang=["werkend"], taalvoorrang=1.0) == [0, 3, 4, 2, 1]


def test_the_taalvoorrang_comes_before_the_afwijking_and_both_before_the_order():
    """Two places, one of which may go ahead for each share: gezinnen 0 and 1 hold them until days 10
    and 10.5; then the nederlandstalige gezin, the kwetsbare gezin, and the order (werkend first)."""
    scenario = Scenario(plaatsen=2, locaties=(2,), toewijzing_vooraf_dagen=0.0, geduld_dagen=math.inf, regels={
        "inkomenstarief": {"voorrang": ["werkend"], "afwijking": 0.5, "taalvoorrang": 0.5}})
    gezinnen = [gezin(0, 0.0), gezin(1, 0.5), gezin(2, 1.0, "werkend"), gezin(3, 2.0, "kwetsbaar"),
                gezin(4, 3.0, "nederlandstalig"), gezin(5, 4.0)]
    allot(scenario, gezinnen)
    assert [(g.number, g.allotted, g.voorsprong) for g in sorted(gezinnen, key=lambda g: g.allotted)] == [
        (0, 0.0, ""), (1, 0.5, ""), (4, 10.0, "taalvoorrang"), (3, 10.5, "afwijking"), (2, 20.0, ""), (5, 20.5, "")]


def test_brussels_childcare_gives_the_dutch_language_priority_to_at_most_55_percent_of_its_places():
    assert Scenario(gemeente="21012").regel("inkomenstarief").taalvoorrang == 0.55
    assert Scenario(gemeente="21012").regel("vaste_prijs").taalvoorrang == 0.55
    assert Scenario(gemeente="44021").regel("inkomenstarief").taalvoorrang == 0.0
    assert Scenario(gemeente="21012", beleid="fifo").regel("inkomenstarief").taalvoorrang == 0.0
    brussel = Scenario(gemeente="21012", jaren=6, aandeel_nederlandstalig=0.4, aandeel_plaatsen=GEMENGD)
    result = run(brussel, 5)
    ahead = [g for g in result.gezinnen if g.voorsprong == "taalvoorrang"]
    assert ahead and all(g.nederlandstalig for g in ahead)
    for location, capacity in enumerate(brussel.capaciteiten):
        assert most_held_at_once(ahead, location) <= math.floor(0.55 * capacity)
    zonder = run(replace(brussel, regels=dict.fromkeys(SOORTEN, {"taalvoorrang": 0.0})), 5).measures
    assert result.measures["aandeel_tijdig_nederlandstalig"] > zonder["aandeel_tijdig_nederlandstalig"] + 0.05
    assert math.isnan(run(Scenario(jaren=2), 5).measures["aandeel_tijdig_nederlandstalig"]), "nobody outside Brussels"


def test_a_reserved_plaats_waits_for_a_kwetsbare_gezin():
    scenario = Scenario(plaatsen=1, locaties=(1,), toewijzing_vooraf_dagen=0.0, geduld_dagen=math.inf,
                        regels={"inkomenstarief": {"voorrang": [], "afwijking": 0.0, "gereserveerd": 1.0}})
    waiting = [gezin(0, 0.0, "kwetsbaar"), gezin(1, 1.0, "werkend"), gezin(2, 2.0, "kwetsbaar")]
    allot(scenario, waiting)
    assert [each.allotted for each in waiting] == [0.0, None, 10.0]


def test_only_gezinnen_that_pay_it_go_to_a_vaste_prijs_location_and_each_soort_is_measured():
    scenario = Scenario(jaren=6, aandeel_plaatsen=GEMENGD, vaste_prijs_kwetsbaar=0.0, vaste_prijs_anderen=0.5)
    result = run(scenario, 2)
    soorten = scenario.soorten
    at_vaste = [g for g in result.gezinnen if g.location is not None and soorten[g.location] == "vaste_prijs"]
    assert at_vaste and all(g.vaste_prijs and not g.kwetsbaar for g in at_vaste)
    assert all(soorten[location] != "vaste_prijs" for g in result.gezinnen if not g.vaste_prijs for location in g.options)
    for soort in SOORTEN:
        assert 0 < result.measures[f"bezetting_{soort}"] <= 1
    assert result.measures["opgegeven_per_jaar"] == pytest.approx(
        sum(result.measures[f"opgegeven_per_jaar_{soort}"] for soort in SOORTEN))


def test_places_given_outside_the_order_never_exceed_the_share():
    scenario = Scenario(jaren=6, regels={"inkomenstarief": {"afwijking": 0.1}})
    result = run(scenario, 4)
    outside = [g for g in result.gezinnen if g.voorsprong == "afwijking"]
    assert outside and all(g.kwetsbaar for g in outside)
    for location, capacity in enumerate(scenario.capaciteiten):
        assert most_held_at_once(outside, location) <= math.floor(0.1 * capacity)


@pytest.mark.parametrize("velden, fout", [
    ({"aandeel_plaatsen": {"inkomenstarief": 0.5, "kribbe": 0.5}}, "veld aandeel_plaatsen: onbekende soort 'kribbe'"),
    ({"aandeel_plaatsen": {"inkomenstarief": 0.7, "vaste_prijs": 0.4}}, "tellen op tot 110,0 %"),
    ({"aandeel_plaatsen": {"inkomenstarief": -0.1, "vaste_prijs": 1.1}}, "het aandeel van inkomenstarief"),
    ({"locaties": (10, 10), "locatie_soorten": ("vaste_prijs",), "plaatsen": 20},
     "veld locatie_soorten: geef een soort per locatie"),
    ({"locaties": (10, 10), "locatie_soorten": ("vaste_prijs", "crèche"), "plaatsen": 20}, "onbekende soort 'crèche'"),
    ({"regels": {"inkomenstarief": {"voorrang": ["werkloos"]}}},
     "veld regels.inkomenstarief.voorrang: onbekende groep 'werkloos'"),
    ({"regels": {"inkomenstarief": {"voorrang": ["werkend", ["werkend"]]}}}, "de groep werkend staat er meer dan eens in"),
    ({"regels": {"vaste_prijs": {"afwijking": 1.5}}}, "veld regels.vaste_prijs: afwijking moet een aandeel van 0 tot 1 zijn"),
    ({"regels": {"vaste_prijs": {"afwijking": 0.6, "gereserveerd": 0.6}}},
     "afwijking, gereserveerd en taalvoorrang samen mogen niet boven 100 % liggen"),
    ({"regels": {"vaste_prijs": {"wachttijd": 3}}}, "onbekend veld 'wachttijd'"),
    ({"regels": {"opvang": {}}}, "veld regels: onbekende soort 'opvang'"),
    ({"aandeel_plaatsen": GEMENGD, "locaties": 2}, "veld locaties: elke soort met plaatsen heeft minstens één locatie nodig"),
])
def test_wrong_rules_and_soorten_are_refused_in_dutch_naming_the_field(velden, fout):
    with pytest.raises(GebruikersFout, match=fout.replace("(", r"\(")):
        Scenario.from_dict({"naam": "test", **velden})


def test_a_scenario_file_writes_rules_and_soorten_as_yaml_gives_them():
    scenario = Scenario.from_dict({"aandeel_plaatsen": GEMENGD, "regels": {
        "inkomenstarief": {"voorrang": ["werkend", ["broer_zus", "pleegkind"]], "afwijking": 0.05}}})
    assert scenario.regel("inkomenstarief").voorrang == (("werkend",), ("broer_zus", "pleegkind"))
    assert scenario.regel("vaste_prijs").voorrang == () and scenario.regel("subsidie_kwetsbaar").voorrang[0] == ("kwetsbaar",)
    assert sum(scenario.capaciteiten) == scenario.plaatsen and set(scenario.soorten) == set(SOORTEN)
