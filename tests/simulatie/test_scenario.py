import dataclasses
import math

import numpy as np
import pytest

from hvhk.base.errors import GebruikersFout
from simulatie.scenario import Scenario


def test_defaults_are_valid_and_convert_units():
    scenario = Scenario()
    assert scenario.naam == "basis"
    assert scenario.aanvragen_per_dag == pytest.approx(230 * 0.7 / 365)
    assert scenario.intake_dagen == pytest.approx(45 / 60 / 24)
    assert scenario.verblijf_dagen == pytest.approx(1004 - 150)
    assert (scenario.opwarm_dagen, scenario.eind_dagen) == (3 * 365, 8 * 365)


def test_message_names_scenario_field_and_value():
    with pytest.raises(GebruikersFout) as error:
        Scenario(plaatsen=-3)
    assert str(error.value) == "Scenario 'basis', veld plaatsen: moet 0 of meer zijn (gekregen: -3)"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("naam", "  ", "leeg"),
    ("gemeente", "", "leeg"),
    ("gemeente", " ", "leeg"),
    ("gemeente", "4408", "NIS-code"),
    ("gemeente", 44086, "NIS-code"),
    ("geboorten_per_jaar", 0, "groter dan 0"),
    ("geboorten_per_jaar", "veel", "getal"),
    ("geboorten_per_jaar", float("nan"), "eindig"),
    ("aandeel_opvangvraag", 1.2, "100 %"),
    ("aandeel_opvangvraag", -0.1, "0 of meer"),
    ("aandeel_kwetsbaar", 20, "100 %"),
    ("aandeel_werkend", 1.01, "aandeel is een getal van 0 tot 1"),
    ("aandeel_broer_zus", -0.2, "0 of meer"),
    ("aandeel_geen_voorkeur", 2, "100 %"),
    ("aandeel_gereserveerd", 1.5, "100 %"),
    ("kans_weigeren", 1.1, "kans is een getal van 0 tot 1"),
    ("kans_weigeren", 1, "kleiner dan 100 %"),
    ("kans_vroeger_weg", -0.5, "0 of meer"),
    ("plaatsen", 2.5, "geheel getal"),
    ("plaatsen", True, "geheel getal"),
    ("locaties", 0, "1 of meer"),
    ("locaties", 2.5, "geheel getal"),
    ("locaties", 400, "niet groter zijn dan het aantal plaatsen (320)"),
    ("locaties", (), "minstens één locatie"),
    ("locaties", (330, -10), "0 of meer"),
    ("locaties", [100, 20.5, 199.5], "geheel aantal plaatsen"),
    ("locaties", (100, 200), "tellen op tot 300, maar plaatsen is 320"),
    ("loket_medewerkers", 0, "1 of meer"),
    ("intake_minuten", 0, "groter dan 0"),
    ("loket_uren_per_dag", 0, "groter dan 0"),
    ("loket_uren_per_dag", 25, "24 uur"),
    ("loket_dagen_per_week", 0, "1 of meer"),
    ("loket_dagen_per_week", 8, "7 dagen"),
    ("voorkeuren_max", 0, "1 of meer"),
    ("geduld_dagen", -1, "0 of meer"),
    ("geduld_dagen", float("nan"), ".inf voor onbeperkt"),
    ("verblijf", "kort", "school, exponentieel"),
    ("voorinschrijving_dagen", -1, "0 of meer"),
    ("startleeftijd_dagen", -1, "0 of meer"),
    ("schoolleeftijd_dagen", 200, "startleeftijd_dagen"),
    ("schoolleeftijd_spreiding_dagen", -5, "0 of meer"),
    ("toewijzing_vooraf_dagen", float("inf"), "eindig"),
    ("beleid", "loting", "fifo, kwetsbaar_eerst, werkend_eerst, broer_zus, reservering"),
    ("jaren", 0, "1 of meer"),
    ("opwarmjaren", -1, "0 of meer"),
    ("opwarmjaren", 1.5, "geheel getal"),
])
def test_invalid_field_gives_dutch_message_naming_it(field, value, words):
    with pytest.raises(GebruikersFout) as error:
        Scenario(**{field: value})
    message = str(error.value)
    assert f"veld {field}:" in message
    assert words in message


def test_numpy_numbers_are_accepted():
    scenario = Scenario(plaatsen=np.int64(12), geboorten_per_jaar=np.float64(99.5))
    assert scenario.plaatsen == 12


def test_scenario_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Scenario().plaatsen = 5


def test_from_dict_fills_defaults():
    scenario = Scenario.from_dict({"naam": "krap", "plaatsen": 100, "beleid": "kwetsbaar_eerst"})
    assert scenario == Scenario(naam="krap", plaatsen=100, beleid="kwetsbaar_eerst")


def test_from_dict_reports_unknown_key_with_suggestion():
    with pytest.raises(GebruikersFout, match=r"Scenario 'krap': onbekend veld 'plaatsn' \(bedoelt u 'plaatsen'\?\)"):
        Scenario.from_dict({"naam": "krap", "plaatsn": 100})


def test_from_dict_lists_fields_when_nothing_is_close():
    with pytest.raises(GebruikersFout, match="onbekend veld 'xyz' .*toegestane velden: naam, gemeente"):
        Scenario.from_dict({"xyz": 1})


def test_from_dict_validates_values_and_type():
    with pytest.raises(GebruikersFout, match="veld aandeel_kwetsbaar"):
        Scenario.from_dict({"aandeel_kwetsbaar": 1.5})
    with pytest.raises(GebruikersFout, match="verwacht velden met waarden"):
        Scenario.from_dict([("plaatsen", 3)])


def test_plaatsen_are_split_over_locations_of_realistic_size():
    assert Scenario(plaatsen=320).capaciteiten == (25,) * 8 + (24,) * 5
    assert Scenario(plaatsen=10).capaciteiten == (10,)
    assert Scenario(plaatsen=0).capaciteiten == (0,)
    assert Scenario(plaatsen=320, locaties=3).capaciteiten == (107, 107, 106)
    assert Scenario(plaatsen=50, locaties=(20, 0, 30)).capaciteiten == (20, 0, 30)


def test_from_dict_accepts_lists_and_unlimited_patience():
    """YAML and JSON have lists, not tuples, and write infinity as .inf or Infinity."""
    scenario = Scenario.from_dict({"plaatsen": 60, "locaties": [20, 40], "geduld_dagen": float("inf"),
                                   "beleid": "reservering", "verblijf": "exponentieel"})
    assert scenario.locaties == (20, 40) and scenario.capaciteiten == (20, 40)
    assert math.isinf(scenario.geduld_dagen)
    assert scenario == Scenario(plaatsen=60, locaties=(20, 40), geduld_dagen=math.inf, beleid="reservering",
                                verblijf="exponentieel")
    hash(scenario)  # still usable as a key
