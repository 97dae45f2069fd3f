"""Replicaties of scenarios, their summary with confidence intervals, and paired differences.

One run is one draw of an uncertain future; only several independent replicaties show how much of
a difference between scenarios is real. Replicatie k gets the k-th stream spawned from one
SeedSequence, so the streams do not overlap, the same seed gives the same table, and replicatie k of
every scenario sees the same dice (common random numbers): the difference between two scenarios
then varies less from replicatie to replicatie than either scenario does, most of all for a small
change, where both scenarios still vary alike.

Every run carries its own stream, so where it runs cannot change its numbers: serially, over
processes on this machine or on a dask.distributed cluster, the same seed gives the same table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from numbers import Integral
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile, without scipy.stats' second of import

from hvhk.base.cluster import on_cluster
from hvhk.base.errors import GebruikersFout
from hvhk.base.processes import die_with_parent, shared_pool
from simulatie.maten import MATEN
from simulatie.model import run
from simulatie.scenario import Scenario

BATCHES_PER_WERKER, CLUSTER_BATCHES, BATCH_MAX = 3, 64, 30
"""Runs travel to a process or Dask worker in batches: at least BATCHES_PER_WERKER per process of the
pool (CLUSTER_BATCHES for a cluster, whose size is not known here) where there are enough runs, so
that the workers finish together, and at most BATCH_MAX runs each, tens of milliseconds apiece.
Few batches, because each costs a round trip through the calling process, which waits its turn for
the cores and for Python's lock when it is busy too: under a server with busy visitors the workers
waited for their next run half of the time (py-spy) while runs went one by one."""

Task = tuple[Scenario, np.random.SeedSequence]
Result = TypeVar("Result")


def run_replicaties(scenario: Scenario, replicaties: int = 10, seed: int = 0, *, werkers: int = 1,
                    dask_adres: str | None = None) -> pd.DataFrame:
    """One row per replicatie (numbered from 1) with the measures of that run as columns."""
    runs = run_scenarios([scenario], replicaties, seed, werkers=werkers, dask_adres=dask_adres)
    return runs.drop(columns="scenario")


def run_scenarios(scenarios: Sequence[Scenario], replicaties: int = 10, seed: int = 0, *, werkers: int = 1,
                  dask_adres: str | None = None) -> pd.DataFrame:
    """One row per scenario (its naam) and replicatie, with the measures of that run as columns.

    `werkers` above 1 spreads the runs over that many processes; `dask_adres` (a scheduler address
    such as tcp://host:8786) sends them to a dask.distributed cluster instead, whose workers need
    this toolkit installed.
    """
    _check_count("replicaties", replicaties)
    _check_count("werkers", werkers)
    names = [scenario.naam for scenario in scenarios]
    if len(set(names)) < len(names):
        raise GebruikersFout(f"Elk scenario heeft een eigen naam nodig om ze te vergelijken (gekregen: {', '.join(names)})")
    streams = np.random.SeedSequence(seed).spawn(replicaties)
    tasks = [(scenario, stream) for scenario in scenarios for stream in streams]
    size = min(BATCH_MAX, math.ceil(len(tasks) / (CLUSTER_BATCHES if dask_adres else BATCHES_PER_WERKER * werkers)))
    batches = [tasks[start:start + size] for start in range(0, len(tasks), size)]
    if dask_adres:
        results = on_cluster(_run_batch, batches, dask_adres)
    elif werkers > 1:
        results = _on_pool(werkers, batches)
    else:
        results = map(_run_batch, batches)
    measures = [values for batch in results for values in batch]
    keys = [{"scenario": naam, "replicatie": number} for naam in names for number in range(1, replicaties + 1)]
    return pd.DataFrame([{**key, **values} for key, values in zip(keys, measures)])


def samenvatting(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per measure the mean over replicaties and its Student-t confidence interval.

    Only numeric columns are measures, so labels such as a gemeente column may stay in the table. A
    replicatie where a measure is undefined (NaN) is left out for that measure only; n says how many
    remained. With fewer than two values the interval is NaN, because a spread cannot be
    estimated from one run. The interval of a measure of the registry is clipped to its range: a
    t-interval of a skewed measure from few replicaties can cross it, and a negative waiting time
    would only confuse a reader.
    """
    rows = []
    for name in runs.select_dtypes("number").columns.drop("replicatie", errors="ignore"):
        mean, half, n = _interval(runs[name], confidence)
        lowest, highest = MATEN[name].range if name in MATEN else (-math.inf, math.inf)
        rows.append({"maat": name, "gemiddelde": mean, "ci_laag": max(mean - half, lowest),
                     "ci_hoog": min(mean + half, highest), "n": n})
    return pd.DataFrame(rows, columns=["maat", "gemiddelde", "ci_laag", "ci_hoog", "n"])


def verschillen(runs: pd.DataFrame, basis: str, alternatief: str, confidence: float = 0.95) -> pd.DataFrame:
    """Per measure the mean paired difference alternatief − basis and its Student-t interval.

    `runs` is a table of run_scenarios. The pairs are the replicaties with the same number, which
    met the same gezinnen, so the interval is that of the mean of n differences: narrower than one
    from two separate samenvattingen, which ignores that both scenarios drew alike. A replicatie
    where a measure is undefined in either scenario is left out for that measure. Not clipped: a
    difference can have either sign.
    """
    basis_runs, alternatief_runs = (
        runs.loc[runs["scenario"] == naam].set_index("replicatie").select_dtypes("number")
        for naam in (basis, alternatief)
    )
    difference = alternatief_runs - basis_runs
    rows = []
    for name in difference.columns:
        mean, half, n = _interval(difference[name], confidence)
        rows.append({"maat": name, "verschil": mean, "ci_laag": mean - half, "ci_hoog": mean + half, "n": n})
    return pd.DataFrame(rows, columns=["maat", "verschil", "ci_laag", "ci_hoog", "n"])


def _interval(values: pd.Series, confidence: float) -> tuple[float, float, int]:
    """Mean, half-width of its Student-t interval (NaN below two values) and number of values."""
    values = values.dropna().to_numpy(dtype=float)
    n = values.size
    mean = values.mean() if n else np.nan
    half = np.nan
    if n > 1:
        half = stdtrit(n - 1, (1 + confidence) / 2) * values.std(ddof=1) / np.sqrt(n)
    return float(mean), float(half), n


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise GebruikersFout(f"Het aantal {name} moet een geheel getal van 1 of meer zijn (gekregen: {value!r})")


def on_pool(werkers: int, function: Callable[..., Result], *arguments) -> Result:
    """`function(*arguments)` computed on the pool of `run_scenarios`, for a program whose own process
    is busy with other work (a server of many visitors); `function` must be importable."""
    with _pool(werkers) as pool:
        return pool.submit(function, *arguments).result()


def _on_pool(werkers: int, batches: list[list[Task]]) -> list[list[dict[str, float]]]:
    with _pool(werkers) as pool:
        return list(pool.map(_run_batch, batches))


def _pool(werkers: int) -> AbstractContextManager[ProcessPoolExecutor]:
    """The program's pool of `werkers` processes: the scenario explorer and `hvhk demo` simulate again
    and again, and starting the processes costs as much as a small gemeente's replicaties."""
    return shared_pool("simulatie", werkers, initializer=die_with_parent)


def _run_batch(tasks: list[Task]) -> list[dict[str, float]]:
    """Only the measures travel back from a worker; the gezinnen of a run are far larger."""
    return [run(scenario, stream).measures for scenario, stream in tasks]
