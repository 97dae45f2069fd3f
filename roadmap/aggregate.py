"""`analysis.per_onderdeel` for every round in the store at once.

Peer comparison and batch reports need the results of all Huizen together; computing them round
by round costs a query and a pandas pass per round, seconds for a province. Here one query reads
every participant's answers as two strings (`store.antwoorden_als_tekst`), numpy maps each
answer to its onderdeel through the round's own Roadmap version and averages per participant, and
one pandas groupby summarises.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from roadmap import store
from roadmap.analysis import SUMMARY_COLUMNS, spreiding

KEYS = ["ronde_id", "onderdeel_nr"]
COLUMNS = ["huis_id", "ronde_id", "nummer", "onderdeel_id", "onderdeel", "soort", *SUMMARY_COLUMNS]


def per_onderdeel_alle_rondes(connection: sqlite3.Connection) -> pd.DataFrame:
    """Per round (by huis_id, nummer) and onderdeel (in Roadmap order) the `per_onderdeel` summary."""
    rondes = store.alle_rondes(connection)
    stellingen = _stellingen(connection, rondes)
    deelnemers = store.antwoorden_als_tekst(connection)
    # Sorted so that each group's values are summed in the order `per_onderdeel` sums them.
    niveaus = _per_deelnemer(deelnemers, stellingen).sort_values(KEYS, kind="stable")
    grouped = niveaus.dropna(subset=["niveau"]).groupby(KEYS)["niveau"]
    counts = niveaus.groupby(KEYS)[["weet_niet", "antwoorden"]].sum()
    weet_niet = (counts["weet_niet"] / counts["antwoorden"]).rename("aandeel_weet_niet")
    summary = spreiding(grouped).join(weet_niet, how="outer")
    onderdelen = stellingen.drop_duplicates(["versie", "onderdeel_nr"]).drop(columns="stelling_id")
    result = rondes.merge(onderdelen, on="versie", how="left").join(summary, on=KEYS)
    result["n"] = result["n"].fillna(0).astype(int)
    return result[COLUMNS]


def _stellingen(connection: sqlite3.Connection, rondes: pd.DataFrame) -> pd.DataFrame:
    """The stellingen of every Roadmap version in use with their onderdeel, numbered (onderdeel_nr)."""
    frames = [
        store.ronde_roadmap(connection, ronde.ronde_id).stellingen.assign(versie=ronde.versie)
        for ronde in rondes.drop_duplicates("versie").itertuples()
    ]
    columns = ["versie", "stelling_id", "onderdeel_id", "onderdeel", "soort"]
    stellingen = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    stellingen["onderdeel_nr"] = pd.factorize(stellingen["onderdeel_id"])[0]
    return stellingen


def _per_deelnemer(deelnemers: pd.DataFrame, stellingen: pd.DataFrame) -> pd.DataFrame:
    """Per participant and onderdeel: the mean level (NaN without scores) and the numbers of answers."""
    width = stellingen["onderdeel_nr"].nunique()
    onderdeel, count = _onderdeel_per_antwoord(deelnemers, stellingen)
    keuze = np.frombuffer("".join(deelnemers["keuzes"].tolist()).encode("ascii"), dtype=np.uint8)
    known = onderdeel >= 0  # an answer on a stelling outside its round's Roadmap counts nowhere
    cell = (np.repeat(np.arange(len(deelnemers)), count) * width + onderdeel)[known]
    keuze = keuze[known]
    scored = (keuze >= ord("0")) & (keuze <= ord("9"))  # a level, of whatever scale its round uses
    size = len(deelnemers) * width
    antwoorden = np.bincount(cell, minlength=size)
    scores = np.bincount(cell, weights=scored, minlength=size)
    total = np.bincount(cell, weights=np.where(scored, keuze - ord("0"), 0), minlength=size)
    weet_niet = np.bincount(cell, weights=keuze == ord("w"), minlength=size)
    present = np.flatnonzero(antwoorden)
    with np.errstate(invalid="ignore"):
        niveau = total[present] / scores[present]  # 0 / 0 = NaN for a participant without scores
    return pd.DataFrame(
        {
            "ronde_id": deelnemers["ronde_id"].to_numpy()[present // width],
            "onderdeel_nr": present % width,
            "niveau": niveau,
            "antwoorden": antwoorden[present],
            "weet_niet": weet_niet[present],
        }
    )


def _onderdeel_per_antwoord(deelnemers: pd.DataFrame, stellingen: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The onderdeel_nr of every answer (-1 if unknown to its version), and each participant's answer count.

    Participants who answered the same stellingen under the same version share a pattern, and
    each pattern is split and looked up once: usually a handful of patterns for the whole store.
    """
    pattern = _patterns(deelnemers["versie"].to_numpy(), deelnemers["stellingen"].to_numpy())
    patterns = deelnemers.iloc[np.unique(pattern, return_index=True)[1]]
    size = patterns["stellingen"].str.count(" ").to_numpy(dtype=int) + 1
    tokens = pd.MultiIndex.from_arrays(
        [np.repeat(patterns["versie"].to_numpy(), size), " ".join(patterns["stellingen"].tolist()).split()]
    )
    numbers = stellingen.set_index(["versie", "stelling_id"])["onderdeel_nr"].reindex(tokens, fill_value=-1)
    # Answer i of a participant is token i of their pattern.
    count = size[pattern]
    offset = np.repeat((np.cumsum(size) - size)[pattern] - (np.cumsum(count) - count), count)
    return numbers.to_numpy()[offset + np.arange(count.sum())], count


def _patterns(versies: np.ndarray, stellingen: np.ndarray) -> np.ndarray:
    """A number per distinct (versie, stellingen), numbered in order of first appearance.

    Neighbours mostly share their pattern (a round's participants lie together), so only where a
    participant differs from the one before is their pair of strings hashed, not every participant's
    kilobytes of stelling names.
    """
    change = np.ones(len(stellingen), dtype=bool)
    change[1:] = (stellingen[1:] != stellingen[:-1]) | (versies[1:] != versies[:-1])
    numbers: dict[tuple[str, str], int] = {}
    heads = [numbers.setdefault(key, len(numbers)) for key in zip(versies[change], stellingen[change])]
    return np.array(heads, dtype=int)[np.cumsum(change) - 1]
