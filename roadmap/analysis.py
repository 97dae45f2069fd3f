"""Analysis of a round's answers: pure pandas functions from data frames to data frames.

Nothing here opens a file or a database, so every result can be checked against a hand-computed
case. "weet niet" and "niet van toepassing" are never averaged in: they are counted apart.
"""

import pandas as pd

SUMMARY_COLUMNS = ["mediaan", "gemiddelde", "q1", "q3", "minimum", "maximum", "n", "aandeel_weet_niet"]


def per_onderdeel(antwoorden: pd.DataFrame, stellingen: pd.DataFrame) -> pd.DataFrame:
    """Where the group stands per onderdeel, and how far apart its partners are.

    Each participant's level on an onderdeel is the mean of their scores on its stellingen; the
    summary runs over participants, so the spread shows disagreement between partners rather
    than between stellingen. `n` counts participants with at least one score;
    `aandeel_weet_niet` is the share of all answers on the onderdeel that were "weet niet".
    Onderdelen appear in the Roadmap's order, also those nobody answered (with n = 0).
    """
    answers = antwoorden.merge(stellingen[["stelling_id", "onderdeel_id"]], on="stelling_id", how="inner")
    scored = answers.loc[answers["keuze"] == "niveau"]
    per_participant = scored.groupby(["onderdeel_id", "deelnemer_id"])["niveau"].mean()
    grouped = per_participant.groupby(level="onderdeel_id")
    summary = pd.DataFrame(
        {
            "mediaan": grouped.median(),
            "gemiddelde": grouped.mean(),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
            "minimum": grouped.min(),
            "maximum": grouped.max(),
            "n": grouped.size(),
        }
    )
    weet_niet = (answers["keuze"] == "weet_niet").groupby(answers["onderdeel_id"]).mean()
    summary = summary.join(weet_niet.rename("aandeel_weet_niet"), how="outer")
    order = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id")[["onderdeel", "soort"]]
    result = order.join(summary.reindex(columns=SUMMARY_COLUMNS), how="left")
    result["n"] = result["n"].fillna(0).astype(int)
    return result.reset_index()
