import math

import pytest

from simulatie import maten, model
from simulatie.maten import LOKET_MATEN, MATEN, UITLEG_VERSCHIL, Maat, interval, significance
from simulatie.scenario import Scenario

SCENARIOS = [
    Scenario(geboorten_per_jaar=120, plaatsen=160, jaren=2),
    Scenario(geboorten_per_jaar=300, plaatsen=40, loket_medewerkers=1, beleid="reservering", jaren=2),
    Scenario(geboorten_per_jaar=5, plaatsen=0, beleid="kwetsbaar_eerst", jaren=1),
]


@pytest.fixture(scope="module")
def measures():
    return [model.run(scenario, seed).measures for seed, scenario in enumerate(SCENARIOS)]


def test_every_measure_the_model_records_has_one_entry_in_the_registry_in_its_order(measures):
    for values in measures:
        assert list(values) == list(MATEN)
    assert all(maat.key == key for key, maat in MATEN.items())


def test_a_key_given_twice_is_refused():
    maat = Maat("bezetting", "Bezetting van de plaatsen", "aandeel")
    with pytest.raises(ValueError, match="twice"):
        maten._index(maat, maat)


def test_every_value_the_model_produces_lies_in_the_range_of_its_measure(measures):
    for values in measures:
        for key, value in values.items():
            low, high = MATEN[key].range
            assert math.isnan(value) or low <= value <= high + 1e-9, (key, value)
    assert any(math.isnan(values["bezetting"]) for values in measures), "a gemeente without places has no bezetting"


def test_the_kind_sets_the_range():
    assert MATEN["wachttijd_p90_dagen"].range == (0.0, math.inf)
    assert MATEN["loket_bezetting"].range == (0.0, 1.0)
    assert MATEN["kloof_tijdig_kwetsbaar"].range == (-1.0, 1.0)


def test_values_read_the_belgian_way_shares_as_percentages():
    assert MATEN["wachttijd_mediaan_dagen"].format(12.345) == "12,3"
    assert MATEN["wachttijd_mediaan_dagen"].format(12.345, decimals=0) == "12"
    assert MATEN["bezetting"].format(0.9876) == "99\u00a0%"
    assert MATEN["bezetting"].format(0.9876, decimals=1) == "98,8\u00a0%"
    assert MATEN["kloof_tijdig_kwetsbaar"].format(-0.05) == "-5\u00a0%"
    assert MATEN["bezetting"].format(math.nan) == "–"


def test_a_difference_of_shares_reads_in_percentage_points():
    assert MATEN["aandeel_tijdig_geplaatst"].format_difference(0.025) == "+2,5 %-punt"
    assert MATEN["aandeel_tijdig_geplaatst"].format_difference(0.025, unit=False) == "+2,5"
    assert MATEN["kloof_tijdig_kwetsbaar"].format_difference(-0.1) == "-10,0 %-punt"
    assert MATEN["opgegeven_per_jaar"].format_difference(-3.04) == "-3,0"
    assert MATEN["aandeel_tijdig_geplaatst"].format_difference(math.nan) == "–"
    assert MATEN["bezetting"].difference_label == "Bezetting van de plaatsen (%-punt)"
    assert MATEN["opgegeven_per_jaar"].difference_label == "Gezinnen die het opgaven, per jaar"


def test_a_star_marks_an_interval_without_zero():
    assert [significance(low, high) for low, high in [(0.1, 0.3), (-0.3, -0.1), (-0.1, 0.2), (0.0, 0.2)]] == [
        "*", "*", "", ""]
    assert significance(math.nan, math.nan) == ""
    assert UITLEG_VERSCHIL.startswith("* ") and "%-punt: procentpunt" in UITLEG_VERSCHIL


def test_an_interval_is_one_dash_where_it_is_undefined():
    maat = MATEN["aandeel_tijdig_kwetsbaar"]
    assert interval(maat.format, 0.25, 0.5) == "25\u00a0% – 50\u00a0%"
    assert interval(maat.format_difference, -0.01, 0.02) == "-1,0 %-punt – +2,0 %-punt"
    assert interval(maat.format, math.nan, math.nan) == "–"


def test_the_loket_measures_are_registry_entries():
    assert [key for key in LOKET_MATEN if key not in MATEN] == []
