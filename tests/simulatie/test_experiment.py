import dataclasses
import math
import os

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hvhk.base.errors import GebruikersFout
from simulatie.experiment import (
    on_pool,
    run_replicaties,
    run_scenarios,
    samenvatting,
    verschillen,
)
from simulatie.scenario import Scenario

SMALL = Scenario(geboorten_per_jaar=120, plaatsen=160, jaren=3, beleid="fifo")


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
    many = samenvatting(run_replicaties(SMALL, 40, seed=1)).set_index("maat").dropna()  # NaN: a soort without places
    assert ((many["ci_laag"] <= many["gemiddelde"]) & (many["gemiddelde"] <= many["ci_hoog"])).all()
    few_width, many_width = few["ci_hoog"] - few["ci_laag"], many["ci_hoog"] - many["ci_laag"]
    for maat in ("aandeel_tijdig_geplaatst", "wachtlijst_gemiddeld", "bezetting"):
        assert many_width[maat] < few_width[maat] / 2


def test_interval_is_clipped_to_the_range_of_the_measure():
    runs = pd.DataFrame(
        {"replicatie": [1, 2, 3], "wachttijd_mediaan_dagen": [0.0, 0.0, 30.0], "aandeel_tijdig_geplaatst": [1.0, 1.0, 0.7],
         "kloof_tijdig_kwetsbaar": [-0.9, -0.9, -0.5]}
    )
    summary = samenvatting(runs).set_index("maat")
    assert summary.at["kloof_tijdig_kwetsbaar", "ci_laag"] == -1.0  # a gap can be negative, but not below -100 %
    assert -1.0 < summary.at["kloof_tijdig_kwetsbaar", "ci_hoog"] < 0.0
    assert summary.at["wachttijd_mediaan_dagen", "ci_laag"] == 0.0
    assert summary.at["wachttijd_mediaan_dagen", "ci_hoog"] > 30.0
    assert summary.at["aandeel_tijdig_geplaatst", "ci_hoog"] == 1.0
    assert summary.at["aandeel_tijdig_geplaatst", "ci_laag"] < 0.9


def test_a_column_outside_the_registry_is_summarised_unclipped():
    summary = samenvatting(pd.DataFrame({"replicatie": [1, 2, 3], "iets": [-5.0, 0.0, 5.0]})).iloc[0]
    assert summary["ci_laag"] < -5.0 < 5.0 < summary["ci_hoog"]


def test_same_seed_same_table_serially_over_processes_and_on_dask():
    """Six runs travel as six batches, which must come back in order."""
    from distributed import LocalCluster

    scenarios = [SMALL, dataclasses.replace(SMALL, naam="meer_plaatsen", plaatsen=200)]
    serial = run_scenarios(scenarios, 3, seed=5)
    assert list(zip(serial["scenario"], serial["replicatie"])) == [
        ("basis", 1), ("basis", 2), ("basis", 3), ("meer_plaatsen", 1), ("meer_plaatsen", 2), ("meer_plaatsen", 3)
    ]
    pd.testing.assert_frame_equal(serial.query("scenario == 'basis'").drop(columns="scenario"),
                                  run_replicaties(SMALL, 3, seed=5))
    pd.testing.assert_frame_equal(serial, run_scenarios(scenarios, 3, seed=5, werkers=2))
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        on_dask = run_scenarios(scenarios, 3, seed=5, dask_adres=cluster.scheduler_address)
        assert "run_batch" in cluster.scheduler.task_prefixes  # the runs did go to the cluster
    pd.testing.assert_frame_equal(serial, on_dask)


def test_wrong_dask_address_is_a_user_error():
    with pytest.raises(GebruikersFout, match="Dask-scheduler 'geen-adres': geen geldig adres"):
        run_replicaties(SMALL, 2, dask_adres="geen-adres")


def test_scenario_names_must_differ():
    with pytest.raises(GebruikersFout, match="eigen naam"):
        run_scenarios([SMALL, dataclasses.replace(SMALL, plaatsen=200)], 2)


def test_scenario_against_itself_differs_by_exactly_zero():
    runs = run_scenarios([SMALL, dataclasses.replace(SMALL, naam="kopie")], 5, seed=2)
    differences = verschillen(runs, "basis", "kopie")
    assert set(differences["maat"]) == set(runs.columns) - {"scenario", "replicatie"}
    defined = differences.dropna(subset=["verschil"])  # NaN: a soort of location this gemeente does not have
    assert len(defined) > 20 and (defined[["verschil", "ci_laag", "ci_hoog"]] == 0.0).all().all()
    assert (defined["n"] == 5).all()


def test_more_places_shorten_the_wait_and_pairing_narrows_the_interval():
    """Common random numbers: the paired interval of the difference is narrower than the unpaired
    (Welch) one from the same runs, because both scenarios met the same gezinnen. The gain is largest
    for a change small enough that both scenarios still vary, so ten more places, not a hundred."""
    runs = run_scenarios([SMALL, dataclasses.replace(SMALL, naam="meer_plaatsen", plaatsen=170)], 10, seed=1)
    paired = verschillen(runs, "basis", "meer_plaatsen").set_index("maat")
    wait = paired.loc["wachttijd_mediaan_dagen"]
    assert wait["ci_laag"] <= wait["verschil"] <= wait["ci_hoog"] < 0
    width = {}
    for maat in ("wachttijd_mediaan_dagen", "aandeel_tijdig_geplaatst"):
        basis, meer = (runs.loc[runs["scenario"] == naam, maat] for naam in ("basis", "meer_plaatsen"))
        assert paired.at[maat, "verschil"] == pytest.approx(meer.mean() - basis.mean())
        unpaired = stats.ttest_ind(meer, basis, equal_var=False).confidence_interval(0.95)
        width[maat] = (paired.at[maat, "ci_hoog"] - paired.at[maat, "ci_laag"]) / (unpaired.high - unpaired.low)
    assert width["wachttijd_mediaan_dagen"] < 0.9 and width["aandeel_tijdig_geplaatst"] < 0.5, width


def test_verschillen_is_the_student_t_interval_of_the_paired_differences():
    runs = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "replicatie": [1, 2, 3] * 2,
                         "maat": [10.0, 20.0, 30.0, 9.0, 21.0, np.nan]})
    row = verschillen(runs, "a", "b").iloc[0]
    # differences -1 and +1: mean 0, standard error 1, t(0.975, 1) = 12.706; not clipped at 0
    assert (row["verschil"], row["ci_laag"], row["ci_hoog"], row["n"]) == pytest.approx((0.0, -12.7062, 12.7062, 2), abs=1e-4)


def test_on_pool_computes_in_a_worker_of_the_simulations_pool():
    assert on_pool(2, pow, 2, 10) == 1024
    assert on_pool(2, os.getpid) != os.getpid(), "not in the caller's process, whose GIL its visitors share"
