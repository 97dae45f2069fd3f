"""The discussion round: which stellingen a group takes up again, and whether it agrees, before and after.

The agreement rule is stated once, here, and shown to users in these words (`regel`): a group agrees
on a stelling when all its scores but at most BUITEN_MAX lie in a band of two adjacent levels around
the median (on 1-4: 1-2, 2-3 or 3-4). One partner who sees it otherwise does not make a split; two
do. "Weet niet" and "niet van toepassing" never count.

Pure pandas, as `roadmap.analysis`: frames in, frames out, checked against hand-made cases.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

import pandas as pd

from roadmap.definition import Schaal

BUITEN_MAX = 1
"""Scores that may lie outside the band of a stelling the group agrees on."""


def regel(buiten_max: int = BUITEN_MAX) -> str:
    """The agreement rule as users read it."""
    buiten = "één" if buiten_max == 1 else str(buiten_max)
    return (f"Eens: alle scores op hoogstens {buiten} na liggen op twee naast elkaar liggende niveaus rond de"
            " mediaan (bijvoorbeeld 2 en 3). Anders: verdeeld. 'Weet niet' en 'niet van toepassing' tellen niet mee.")


def band(niveaus: Sequence[float], schaal: Schaal) -> tuple[int, int]:
    """The band of one stelling's scores: (its lower level, the scores outside it).

    The band is two adjacent levels of the scale holding the median; where two bands do (a median
    on a level), the one holding more scores, and the lower one on a tie.
    """
    median = statistics.median(map(float, niveaus))
    lowest, highest = schaal.niveau_waarden[0], schaal.niveau_waarden[-1]
    candidates = [low for low in range(lowest, highest) if low <= median <= low + 1]
    outside = {low: sum(not low <= level <= low + 1 for level in niveaus) for low in candidates}
    low = min(candidates, key=lambda candidate: (outside[candidate], candidate))
    return low, outside[low]


def overeenstemming(antwoorden: pd.DataFrame, stellingen: pd.DataFrame, schaal: Schaal,
                    buiten_max: int = BUITEN_MAX) -> pd.DataFrame:
    """Per stelling of `stellingen`, in their order: n (scores), mediaan, band (the levels scored
    inside the band of `band`: '3' when all scored 3, '2–3'; the band itself when nobody scored in
    it), buiten (scores outside the band) and eens (True or False by `regel`; NA without scores)."""
    scored = antwoorden.loc[antwoorden["keuze"] == "niveau"].astype({"niveau": float})
    levels = scored.groupby("stelling_id")["niveau"].agg(list)
    rows = []
    for stelling_id in stellingen["stelling_id"]:
        scores = levels.get(stelling_id, [])
        if not scores:
            rows.append({"stelling_id": stelling_id, "n": 0, "mediaan": math.nan, "band": "", "buiten": 0,
                         "eens": pd.NA})
            continue
        low, outside = band(scores, schaal)
        inside = [int(level) for level in scores if low <= level <= low + 1] or [low, low + 1]
        shown = f"{min(inside)}" if min(inside) == max(inside) else f"{min(inside)}–{max(inside)}"
        rows.append({"stelling_id": stelling_id, "n": len(scores), "mediaan": statistics.median(scores),
                     "band": shown, "buiten": outside, "eens": outside <= buiten_max})
    return pd.DataFrame(rows, columns=["stelling_id", "n", "mediaan", "band", "buiten", "eens"]).astype(
        {"eens": "boolean"})


def voorstel(antwoorden: pd.DataFrame, stellingen: pd.DataFrame, belangen: pd.DataFrame, schaal: Schaal,
             buiten_max: int = BUITEN_MAX) -> pd.DataFrame:
    """The stellingen to discuss, proposed: those the group is split on, the most even split first
    (the smaller of the camps of `Schaal.laag` and `Schaal.hoog`, as a share of the scores), then
    what the group finds most important (the median belang of the stelling's onderdeel), then the
    Roadmap's order. Columns: stelling_id, onderdeel, tekst, n, laag, hoog, band, buiten, belang."""
    agreement = overeenstemming(antwoorden, stellingen, schaal, buiten_max).set_index("stelling_id")
    scored = antwoorden.loc[antwoorden["keuze"] == "niveau"].astype({"niveau": float})
    camps = pd.DataFrame({
        "laag": (scored["niveau"] <= schaal.laag[-1]).groupby(scored["stelling_id"]).sum(),
        "hoog": (scored["niveau"] >= schaal.hoog[0]).groupby(scored["stelling_id"]).sum(),
    })
    belang = belangen.groupby("onderdeel_id")["belang"].median()
    result = stellingen.set_index("stelling_id")[["onderdeel_id", "onderdeel", "tekst"]].join(agreement)
    result = result.join(camps).fillna({"laag": 0, "hoog": 0}).astype({"laag": int, "hoog": int})
    result["belang"] = result["onderdeel_id"].map(belang)
    result = result.loc[result["eens"].eq(False)]
    result["gelijk"] = result[["laag", "hoog"]].min(axis=1) / result["n"]
    result["volgorde"] = range(len(result))
    result = result.sort_values(["gelijk", "belang", "volgorde"], ascending=[False, False, True], na_position="last")
    return result.reset_index()[["stelling_id", "onderdeel", "tekst", "n", "laag", "hoog", "band", "buiten", "belang"]]


def verdeling(antwoorden: pd.DataFrame, stelling_id: str, schaal: Schaal) -> pd.Series:
    """How the answers to one stelling are spread: the count per answer of the scale (`Schaal.antwoorden`,
    by its label: the levels, then weet niet and niet van toepassing); every answer appears, also with 0."""
    answers = antwoorden.loc[antwoorden["stelling_id"] == stelling_id]
    levels = answers["niveau"].astype(float)
    return pd.Series({label: int(((answers["keuze"] == keuze) & ((levels == niveau) if niveau else True)).sum())
                      for label, (keuze, niveau) in schaal.antwoorden.items()}, name="aantal")


def voor_en_na(antwoorden: pd.DataFrame, stemmen: pd.DataFrame, besprekingen: pd.DataFrame,
               stellingen: pd.DataFrame, schaal: Schaal, buiten_max: int = BUITEN_MAX) -> pd.DataFrame:
    """Per discussed stelling, in the order discussed: the group before (the first answers) and after
    (the votes cast again; a partner who did not vote again is not counted), how many partners
    changed their answer, and what the group recorded.

    Columns: stelling_id, onderdeel, tekst, n_voor, mediaan_voor, eens_voor, n_na, mediaan_na,
    eens_na, veranderd, niveau (agreed; NaN for none), notitie, vastgelegd (bool).
    """
    discussed = stellingen.set_index("stelling_id").loc[list(besprekingen["stelling_id"])].reset_index()
    before = overeenstemming(antwoorden, discussed, schaal, buiten_max).set_index("stelling_id")
    after = overeenstemming(stemmen, discussed, schaal, buiten_max).set_index("stelling_id")
    pairs = stemmen.merge(antwoorden, on=["deelnemer_id", "stelling_id"], how="left", suffixes=("", "_eerst"))
    changed = (pairs["keuze"] != pairs["keuze_eerst"]) | (
        (pairs["keuze"] == "niveau") & (pairs["niveau"].astype(float) != pairs["niveau_eerst"].astype(float)))
    result = discussed.set_index("stelling_id")[["onderdeel", "tekst"]].assign(
        n_voor=before["n"], mediaan_voor=before["mediaan"], eens_voor=before["eens"],
        n_na=after["n"], mediaan_na=after["mediaan"], eens_na=after["eens"],
        veranderd=changed.groupby(pairs["stelling_id"]).sum().reindex(discussed["stelling_id"], fill_value=0).astype(int),
    )
    recorded = besprekingen.set_index("stelling_id")
    result = result.assign(niveau=recorded["niveau"].astype(float), notitie=recorded["notitie"],
                           vastgelegd=recorded["vastgelegd"].notna())
    return result.reset_index()
