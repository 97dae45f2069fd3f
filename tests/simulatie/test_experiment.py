import math

import numpy as np
import pandas as pd
import pytest

from hvhk.errors import GebruikersFout
from simulatie.experiment import run_replicaties, samenvatting
from simulatie.scenario import Scenario

SMALL = Scenario(geboorten_per_jaar=120, plaatsen=160, jaren=3)


def test_same_seed_same_table_other_seed_other_table():
    runs = run_replicaties(SMALL, replicaties=3, seed=7)
    pd.testing.assert_frame_equal(runs, run_replicaties(SMALL, replicaties=3, seed=7))
    assert not runs.equals(run_replicaties(SMALL, replicaties=3, seed=8))


def test_one_row_per_replicatie_from_independent_streams():
    runs = run_replicaties(SMALL, replicaties=4, seed=0)
    assert list(runs["replicatie"]) == [1, 2, 3, 4]
    assert "aandeel_tijdig_geplaatst" in runs.columns
    assert runs["wachtlijst_gemiddeld"].nunique() == 4


def test_more_replicaties_extend_the_same_streams():
    """SeedSequence.spawn gives replicatie k the same stream whatever the total, so runs can be added."""
    few, many = run_replicaties(SMALL, 2, seed=3), run_replicaties(SMALL, 5, seed=3)
    pd.testing.assert_frame_equal(few, many.head(2))


def test_invalid_number_of_replicaties_is_a_user_error():
    with pytest.raises(GebruikersFout, match="replicaties"):
        run_replicaties(SMALL, replicaties=0)


def test_samenvatting_columns_and_student_t_interval():
    runs = pd.DataFrame({"replicatie": [1, 2, 3], "gemeente": ["44086"] * 3, "maat_a": [11.0, 12.0, 13.0],
                         "maat_b": [5.0, np.nan, 7.0]})
    summary = samenvatting(runs)
    assert list(summary.columns) == ["maat", "gemiddelde", "ci_laag", "ci_hoog", "n"]
    assert list(summary["maat"]) == ["maat_a", "maat_b"]
    a = summary.set_index("maat").loc["maat_a"]
    # t(0.975, 2) = 4.3027; standard error = 1 / sqrt(3)
    assert (a["gemiddelde"], a["ci_laag"], a["ci_hoog"]) == pytest.approx((12.0, 12.0 - 2.4841, 12.0 + 2.4841), abs=1e-4)
    b = summary.set_index("maat").loc["maat_b"]
    assert (b["gemiddelde"], b["n"]) == (6.0, 2)


def test_samenvatting_interval_undefined_for_fewer_than_two_values():
    summary = samenvatting(pd.DataFrame({"replicatie": [1, 2], "maat": [np.nan, 4.0]})).iloc[0]
    assert summary["gemiddelde"] == 4.0 and summary["n"] == 1
    assert math.isnan(summary["ci_laag"]) and math.isnan(summary["ci_hoog"])


def test_interval_contains_mean_and_narrows_with_more_replicaties():
    few = samenvatting(run_replicaties(SMALL, 5, seed=1)).set_index("maat")
    many = samenvatting(run_replicaties(SMALL, 40, seed=1)).set_index("maat")
    assert ((many["ci_laag"] <= many["gemiddelde"]) & (many["gemiddelde"] <= many["ci_hoog"])).all()
    few_width, many_width = few["ci_hoog"] - few["ci_laag"], many["ci_hoog"] - many["ci_laag"]
    for maat in ("aandeel_tijdig_geplaatst", "wachtlijst_gemiddeld", "bezetting"):
        assert many_width[maat] < few_width[maat] / 2


def test_interval_is_clipped_to_the_range_of_the_measure():
    runs = pd.DataFrame(
        {"replicatie": [1, 2, 3], "wachttijd_mediaan_dagen": [0.0, 0.0, 30.0], "aandeel_tijdig_geplaatst": [1.0, 1.0, 0.7]}
    )
    summary = samenvatting(runs).set_index("maat")
    assert summary.at["wachttijd_mediaan_dagen", "ci_laag"] == 0.0
    assert summary.at["wachttijd_mediaan_dagen", "ci_hoog"] > 30.0
    assert summary.at["aandeel_tijdig_geplaatst", "ci_hoog"] == 1.0
    assert summary.at["aandeel_tijdig_geplaatst", "ci_laag"] < 0.9
