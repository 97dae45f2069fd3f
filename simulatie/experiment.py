"""Replicaties of one scenario and their summary with confidence intervals.

One run is one draw of an uncertain future; only several independent replicaties show how much of
a difference between scenarios is real. Each replicatie gets its own stream spawned from one
SeedSequence, so the streams do not overlap and the same seed gives the same table.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from scipy import stats

from hvhk.errors import GebruikersFout
from simulatie.model import run
from simulatie.scenario import Scenario


def run_replicaties(scenario: Scenario, replicaties: int = 10, seed: int = 0) -> pd.DataFrame:
    """One row per replicatie (numbered from 1) with the measures of that run as columns."""
    if isinstance(replicaties, bool) or not isinstance(replicaties, Integral) or replicaties < 1:
        raise GebruikersFout(f"Scenario '{scenario.naam}': het aantal replicaties moet een geheel getal van "
                             f"1 of meer zijn (gekregen: {replicaties!r})")
    streams = np.random.SeedSequence(seed).spawn(replicaties)
    rows = [{"replicatie": number, **run(scenario, stream).measures}
            for number, stream in enumerate(streams, start=1)]
    return pd.DataFrame(rows)


def samenvatting(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per measure the mean over replicaties and its Student-t confidence interval.

    Only numeric columns are measures, so labels such as a gemeente column may stay in the table. A
    replicatie where a measure is undefined (NaN) is left out for that measure only; n says how many
    remained. With fewer than two values the interval is NaN, because a spread cannot be
    estimated from one run. Every measure is non-negative and shares (aandeel_*, *bezetting) lie
    in [0, 1], so the interval is clipped to that range: a t-interval of a skewed measure from few
    replicaties can cross it, and a negative waiting time would only confuse a reader.
    """
    rows = []
    for name in runs.select_dtypes("number").columns.drop("replicatie", errors="ignore"):
        values = runs[name].dropna().to_numpy(dtype=float)
        n = values.size
        mean = values.mean() if n else np.nan
        half = np.nan
        if n > 1:
            half = stats.t.ppf((1 + confidence) / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
        upper = 1.0 if name.startswith("aandeel_") or name.endswith("bezetting") else np.inf
        rows.append({"maat": name, "gemiddelde": mean, "ci_laag": max(mean - half, 0.0),
                     "ci_hoog": min(mean + half, upper), "n": n})
    return pd.DataFrame(rows, columns=["maat", "gemiddelde", "ci_laag", "ci_hoog", "n"])
