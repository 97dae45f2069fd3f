"""Analysis of a round's answers: pure pandas functions from data frames to data frames.

Nothing here opens a file or a database, so every result can be checked against a hand-computed
case. "weet niet" and "niet van toepassing" are never averaged in: they are counted apart.
"""

import pandas as pd
from pandas.core.groupby import SeriesGroupBy

from roadmap.definition import Schaal

DREMPEL_WEET_NIET = 0.3  # share of "weet niet" answers from which an onderdeel is a blind spot
SUMMARY_COLUMNS = ["mediaan", "gemiddelde", "q1", "q3", "minimum", "maximum", "n", "aandeel_weet_niet"]


def spreiding(grouped: SeriesGroupBy) -> pd.DataFrame:
    """Per group the median, mean, quartiles (linear interpolation), range and count of its levels."""
    return pd.DataFrame(
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


def per_onderdeel(antwoorden: pd.DataFrame, stellingen: pd.DataFrame) -> pd.DataFrame:
    """Where the group stands per onderdeel, and how far apart its partners are.

    Each participant's level on an onderdeel is the mean of their scores on its stellingen; the
    summary runs over participants, so the spread shows disagreement between partners rather
    than between stellingen. `n` counts participants with at least one score;
    `aandeel_weet_niet` is the share of all answers on the onderdeel that were "weet niet".
    Onderdelen appear in the Roadmap's order, also those nobody answered (with n = 0).
    """
    answers = antwoorden.merge(stellingen[["stelling_id", "onderdeel_id"]], on="stelling_id")
    grouped = niveau_per_deelnemer(antwoorden, stellingen).groupby(level="onderdeel_id")
    summary = spreiding(grouped)
    weet_niet = (answers["keuze"] == "weet_niet").groupby(answers["onderdeel_id"]).mean()
    summary = summary.join(weet_niet.rename("aandeel_weet_niet"), how="outer")
    order = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id")[["onderdeel", "soort"]]
    result = order.join(summary.reindex(columns=SUMMARY_COLUMNS), how="left")
    result["n"] = result["n"].fillna(0).astype(int)
    return result.reset_index()


def niveau_per_deelnemer(antwoorden: pd.DataFrame, stellingen: pd.DataFrame) -> pd.Series:
    """Each participant's level on each onderdeel: the mean of their scores on its stellingen.

    Indexed by (onderdeel_id, deelnemer_id); only pairs with at least one score appear.
    """
    # as floats: a round without answers comes from the store as an empty frame of plain objects
    answers = antwoorden.astype({"niveau": float}).merge(stellingen[["stelling_id", "onderdeel_id"]], on="stelling_id")
    return answers.loc[answers["keuze"] == "niveau"].groupby(["onderdeel_id", "deelnemer_id"])["niveau"].mean()


def per_stelling(antwoorden: pd.DataFrame, stellingen: pd.DataFrame) -> pd.DataFrame:
    """Where the group stands per stelling: the same summary as `per_onderdeel`, over the scores given.

    Stellingen appear in the Roadmap's order, also those nobody answered (with n = 0).
    """
    answers = antwoorden.astype({"niveau": float})
    scored = answers.loc[answers["keuze"] == "niveau"].groupby("stelling_id")["niveau"]
    weet_niet = (answers["keuze"] == "weet_niet").groupby(answers["stelling_id"]).mean()
    summary = spreiding(scored).join(weet_niet.rename("aandeel_weet_niet"), how="outer")
    result = stellingen.set_index("stelling_id")[["tekst", "onderdeel_id", "onderdeel", "soort"]]
    result = result.join(summary.reindex(columns=SUMMARY_COLUMNS), how="left")
    result["n"] = result["n"].fillna(0).astype(int)
    return result.reset_index()


def onenigheid(
    antwoorden: pd.DataFrame, stellingen: pd.DataFrame, schaal: Schaal, minimum_camp: int = 2
) -> pd.DataFrame:
    """Per stelling: do the partners split into two camps?

    The scale has a natural fault line between "not yet established" (its lower half, laag) and
    "established" (its upper half, hoog), as `Schaal.laag` and `Schaal.hoog` define them; on an
    odd scale the middle niveau counts in `n` but in neither camp. A stelling is flagged `onenig`
    when its scores span at least two levels and each camp holds at least `minimum_camp` partners
    and a quarter of the scorers: a real split, not one partner who sees it differently. Only
    scores count, never "weet niet".
    """
    scored = antwoorden.loc[antwoorden["keuze"] == "niveau", ["stelling_id", "niveau"]]
    grouped = scored.groupby("stelling_id")["niveau"]
    result = pd.DataFrame(
        {
            "n": grouped.size(),
            "minimum": grouped.min(),
            "maximum": grouped.max(),
            "laag": (scored["niveau"] <= schaal.laag[-1]).groupby(scored["stelling_id"]).sum(),
            "hoog": (scored["niveau"] >= schaal.hoog[0]).groupby(scored["stelling_id"]).sum(),
        }
    )
    result = stellingen.set_index("stelling_id")[["onderdeel_id", "onderdeel"]].join(result, how="left")
    result[["n", "laag", "hoog"]] = result[["n", "laag", "hoog"]].fillna(0).astype(int)
    camp = result[["laag", "hoog"]].min(axis=1)
    result["onenig"] = (
        (result["maximum"] - result["minimum"] >= 2)
        & (camp >= minimum_camp)
        & (camp >= 0.25 * result["n"])
    )
    return result.reset_index()


def blinde_vlekken(
    antwoorden: pd.DataFrame,
    stellingen: pd.DataFrame,
    deelnemers: pd.DataFrame,
    drempel_weet_niet: float = DREMPEL_WEET_NIET,
) -> pd.DataFrame:
    """What the group cannot see: one row per blind spot with its reason.

    Three kinds, because each asks for a different remedy: a levensdomein without any partner
    from that domain in the room (invite one), an onderdeel where at least `drempel_weet_niet` of
    the answers were "weet niet" (find out), and a stelling nobody scored (discuss it).
    """
    answers = antwoorden.merge(stellingen[["stelling_id", "onderdeel_id"]], on="stelling_id")
    weet_niet = (answers["keuze"] == "weet_niet").groupby(answers["onderdeel_id"]).mean()  # as in per_onderdeel
    onderdelen = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id").assign(aandeel_weet_niet=weet_niet)
    present = set(deelnemers["levensdomein_id"].dropna())
    rows = [
        {"soort": "onderdeel", "id": onderdeel_id, "naam": row.onderdeel, "reden": "geen partner uit dit levensdomein"}
        for onderdeel_id, row in onderdelen.iterrows()
        if row.soort == "levensdomein" and onderdeel_id not in present
    ]
    rows += [
        {"soort": "onderdeel", "id": onderdeel_id, "naam": row.onderdeel, "reden": "veel 'weet niet'"}
        for onderdeel_id, row in onderdelen.iterrows()
        if row.aandeel_weet_niet >= drempel_weet_niet
    ]
    scored = set(antwoorden.loc[antwoorden["keuze"] == "niveau", "stelling_id"])
    rows += [
        {"soort": "stelling", "id": row.stelling_id, "naam": row.tekst, "reden": "niemand gaf een score"}
        for row in stellingen.itertuples()
        if row.stelling_id not in scored
    ]
    return pd.DataFrame(rows, columns=["soort", "id", "naam", "reden"])


def prioriteiten(niveaus: pd.DataFrame, belangen: pd.DataFrame, doel: float) -> pd.DataFrame:
    """Levensdomeinen ranked by belang × distance to the target level `doel`.

    `niveaus` is `per_onderdeel`; `belangen` holds each participant's belang per onderdeel; `doel`
    is the top of the round's scale (`Schaal.hoogste`), given rather than assumed so that a
    Roadmap with more niveaus aims higher. The group's belang is the median over participants. A
    domain that matters much and stands far from `doel` comes first; a domain without scores has
    no distance and comes last.
    """
    domeinen = niveaus.loc[niveaus["soort"] == "levensdomein", ["onderdeel_id", "onderdeel", "mediaan"]]
    belang = belangen.groupby("onderdeel_id")["belang"].median().rename("belang")
    result = domeinen.join(belang, on="onderdeel_id")
    result["afstand"] = (doel - result["mediaan"]).clip(lower=0)
    result["score"] = result["belang"] * result["afstand"]
    result = result.sort_values("score", ascending=False, na_position="last", kind="stable", ignore_index=True)
    result["rang"] = range(1, len(result) + 1)
    return result


def afgelegde_weg(
    vorige: pd.DataFrame, huidige: pd.DataFrame, stellingen: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The road travelled between two rounds: change per onderdeel and per stelling.

    Per onderdeel the change of the median participant level (`per_onderdeel`); per stelling the
    change of the median score, sorted so that the stellingen that moved most (either way) come
    first. Both rounds are read against the same `stellingen`, so a stelling that is new in the
    later Roadmap version simply has no earlier value.
    """
    per_part = weg_per_onderdeel(per_onderdeel(vorige, stellingen), per_onderdeel(huidige, stellingen))

    def median_scores(answers: pd.DataFrame) -> pd.Series:
        return answers.loc[answers["keuze"] == "niveau"].groupby("stelling_id")["niveau"].median()

    per_statement = stellingen.set_index("stelling_id")[["onderdeel", "tekst"]].assign(
        vorige=median_scores(vorige), huidige=median_scores(huidige)
    )
    per_statement["verschil"] = per_statement["huidige"] - per_statement["vorige"]
    order = per_statement["verschil"].abs().sort_values(ascending=False, na_position="last", kind="stable").index
    return per_part, per_statement.loc[order].reset_index()


def weg_per_onderdeel(vorige: pd.DataFrame, huidige: pd.DataFrame) -> pd.DataFrame:
    """The per-onderdeel part of `afgelegde_weg`, from the `per_onderdeel` frames of both rounds:
    a caller that has the latest round's frame already need not compute it again."""
    before, after = vorige.set_index("onderdeel_id"), huidige.set_index("onderdeel_id")
    return after[["onderdeel", "soort"]].assign(
        vorige=before["mediaan"], huidige=after["mediaan"], verschil=after["mediaan"] - before["mediaan"]
    ).reset_index()


MINIMUM_HUIZEN = 5  # fewest other Huizen a comparison may show, so that no single Huis can be recognised


def pseudoniemen(deelnemer_ids: pd.Series) -> pd.Series:
    """'Partner A', 'Partner B', ... per participant id, in id order: positions without names."""
    ids = sorted(deelnemer_ids.unique())
    return pd.Series([f"Partner {_letters(i)}" for i in range(len(ids))], index=ids, name="partner")


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as spreadsheet columns, so there are always enough."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def partners(deelnemers: pd.DataFrame, stellingen: pd.DataFrame) -> pd.Series:
    """Per participant id the label shown instead of a name: 'Partner A (Onderwijs)', or 'Partner A'
    for someone from no levensdomein."""
    domains = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id")["onderdeel"]
    names = pseudoniemen(deelnemers["id"])
    domain = deelnemers.set_index("id")["levensdomein_id"].map(domains).reindex(names.index)
    return names.where(domain.isna(), names + " (" + domain + ")")


def posities(antwoorden: pd.DataFrame, deelnemers: pd.DataFrame, stellingen: pd.DataFrame) -> pd.DataFrame:
    """Who sits where on each stelling, by `partners` label, never by name.

    One row per score: stelling_id, partner and niveau, sorted by stelling and level.
    """
    scored = antwoorden.loc[antwoorden["keuze"] == "niveau", ["deelnemer_id", "stelling_id", "niveau"]]
    result = scored.assign(partner=scored["deelnemer_id"].map(partners(deelnemers, stellingen)))
    columns = ["stelling_id", "partner", "niveau"]
    return result.sort_values(["stelling_id", "niveau", "partner"], ignore_index=True)[columns]


def kampen(posities: pd.DataFrame, schaal: Schaal) -> pd.DataFrame:
    """Per stelling the partners in each camp of `onenigheid` as one text: laag and hoog.

    A partner on the middle niveau of an odd scale is in neither (see `Schaal.laag`).
    """
    niveau = posities["niveau"]
    camp = pd.Series(None, index=posities.index, dtype=object, name="kamp")
    camp = camp.mask(niveau <= schaal.laag[-1], "laag").mask(niveau >= schaal.hoog[0], "hoog")
    joined = posities["partner"].groupby([posities["stelling_id"], camp]).agg(", ".join)
    # as objects: with no scores at all the table is an empty one of floats, which "" cannot fill
    return joined.unstack().reindex(columns=["laag", "hoog"]).astype(object).fillna("")


def vergelijking(alle_rondes: pd.DataFrame, huis_id: int, minimum: int = MINIMUM_HUIZEN) -> pd.DataFrame:
    """A Huis's latest levels against the other Huizen's latest levels, per onderdeel.

    `alle_rondes` holds `per_onderdeel` for every round (`aggregate.per_onderdeel_alle_rondes`).
    The others are summarised by quartiles and the share of them that stands lower; where fewer
    than `minimum` other Huizen have a level, those columns stay empty so nobody is recognisable.
    """
    # as floats: no rounds at all read back from a CSV file is an empty frame of plain objects
    alle_rondes = alle_rondes.astype({"mediaan": float})
    latest = alle_rondes.loc[alle_rondes.groupby("huis_id")["nummer"].transform("max") == alle_rondes["nummer"]]
    eigen = latest.loc[latest["huis_id"] == huis_id].set_index("onderdeel_id")[["onderdeel", "soort", "mediaan"]]
    others = latest.loc[(latest["huis_id"] != huis_id) & latest["mediaan"].notna(), ["onderdeel_id", "mediaan"]]
    grouped = others.groupby("onderdeel_id")["mediaan"]
    lower = others["mediaan"] < others["onderdeel_id"].map(eigen["mediaan"]).astype(float)  # typed when empty
    stats = pd.DataFrame(
        {
            "andere_q1": grouped.quantile(0.25),
            "andere_mediaan": grouped.median(),
            "andere_q3": grouped.quantile(0.75),
            "aandeel_lager": lower.groupby(others["onderdeel_id"]).mean(),
        }
    )
    result = eigen.join(stats).join(grouped.size().rename("huizen"))
    result["huizen"] = result["huizen"].fillna(0).astype(int)
    result.loc[result["huizen"] < minimum, list(stats.columns)] = float("nan")
    result.loc[result["mediaan"].isna(), "aandeel_lager"] = float("nan")
    return result.reset_index()
