"""Property tests of the analysis on random answer sets of the real Roadmap: levels stay on the
scale, counts add up, a split always has its minimum in each camp, nothing depends on who is
who, and empty rounds or rounds of only 'weet niet' give empty results instead of errors.
"""

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roadmap.analysis import (
    afgelegde_weg,
    blinde_vlekken,
    kampen,
    onenigheid,
    per_onderdeel,
    per_stelling,
    posities,
    prioriteiten,
    vergelijking,
)
from roadmap.definition import load_roadmap

# What pandas announces to stop doing is an error here: an analysis that warns today crashes with the next pandas.
pytestmark = pytest.mark.filterwarnings("error::pandas.errors.PandasChangeWarning")
ROADMAP = load_roadmap()
STELLINGEN = ROADMAP.stellingen
SCHAAL = ROADMAP.schaal
DOMEINEN = [d.id for d in ROADMAP.levensdomeinen]
KEUZE = st.one_of(
    st.integers(1, 4).map(lambda niveau: ("niveau", niveau)),
    st.sampled_from([("weet_niet", None), ("niet_van_toepassing", None)]),
)
COLUMNS = ["deelnemer_id", "stelling_id", "keuze", "niveau", "toelichting"]


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A frame as the store gives it: rows of plain values (a level None where there is none)."""
    return pd.DataFrame(rows, columns=columns)


@st.composite
def rondes(draw, keuze=KEUZE) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(antwoorden, belangen, deelnemers) of 0-8 partners, each answering any part of the Roadmap."""
    ids = draw(st.lists(st.integers(1, 10_000), max_size=8, unique=True))
    stelling = st.sampled_from(list(STELLINGEN["stelling_id"]))
    answers, belangen, people = [], [], []
    for deelnemer in ids:
        for stelling_id, (choice, niveau) in draw(st.dictionaries(stelling, keuze, max_size=25)).items():
            answers.append((deelnemer, stelling_id, choice, niveau, ""))
        for onderdeel_id, belang in draw(st.dictionaries(st.sampled_from(DOMEINEN), st.integers(1, 3))).items():
            belangen.append((deelnemer, onderdeel_id, belang))
        people.append((deelnemer, f"naam {deelnemer}", "", draw(st.sampled_from([None, *DOMEINEN]))))
    return (
        frame(answers, COLUMNS),
        frame(belangen, ["deelnemer_id", "onderdeel_id", "belang"]),
        frame(people, ["id", "naam", "organisatie", "levensdomein_id"]),
    )


EMPTY = (frame([], COLUMNS), frame([], ["deelnemer_id", "onderdeel_id", "belang"]),
         frame([], ["id", "naam", "organisatie", "levensdomein_id"]))
ONLY_WEET_NIET = (frame([(1, "onderwijs.1", "weet_niet", None, ""), (2, "onderwijs.1", "weet_niet", None, "")], COLUMNS),
                  EMPTY[1], frame([(1, "An", "", None), (2, "Bart", "", "onderwijs")], EMPTY[2].columns))


def scores(antwoorden: pd.DataFrame) -> pd.DataFrame:
    return antwoorden.loc[antwoorden["keuze"] == "niveau"]


def assert_summary_on_the_scale(summary: pd.DataFrame) -> None:
    answered = summary.loc[summary["n"] > 0]
    for low, high in [("minimum", "q1"), ("q1", "mediaan"), ("mediaan", "q3"), ("q3", "maximum")]:
        assert (answered[low] <= answered[high] + 1e-12).all(), (low, high)
    assert answered["minimum"].ge(1).all() and answered["maximum"].le(4).all()
    assert answered["gemiddelde"].between(answered["minimum"] - 1e-12, answered["maximum"] + 1e-12).all()
    unanswered = summary.loc[summary["n"] == 0]
    assert unanswered[["mediaan", "gemiddelde", "q1", "q3", "minimum", "maximum"]].isna().all().all()
    shares = summary["aandeel_weet_niet"].dropna()
    assert shares.between(0, 1).all()


@given(rondes())
@example(EMPTY)
@example(ONLY_WEET_NIET)
def test_levels_stay_on_the_scale_and_counts_add_up(ronde):
    antwoorden, _, _ = ronde
    onderdelen = per_onderdeel(antwoorden, STELLINGEN)
    assert list(onderdelen["onderdeel_id"]) == [o.id for o in ROADMAP.onderdelen]
    assert_summary_on_the_scale(onderdelen)
    scored = scores(antwoorden).merge(STELLINGEN[["stelling_id", "onderdeel_id"]], on="stelling_id")
    scorers = scored.groupby("onderdeel_id")["deelnemer_id"].nunique()
    assert onderdelen.set_index("onderdeel_id")["n"].to_dict() == scorers.reindex(onderdelen["onderdeel_id"],
                                                                                  fill_value=0).to_dict()

    stellingen = per_stelling(antwoorden, STELLINGEN)
    assert list(stellingen["stelling_id"]) == list(STELLINGEN["stelling_id"])
    assert_summary_on_the_scale(stellingen)
    assert stellingen["n"].sum() == len(scores(antwoorden))


def relabelled(ronde, order: np.random.Generator):
    """The same round with other participant ids, and its rows in another order."""
    antwoorden, belangen, deelnemers = ronde
    ids = list(deelnemers["id"])
    new = dict(zip(ids, order.permutation(np.arange(20_000, 20_000 + len(ids))).tolist()))

    def shuffled(table, column):
        return table.assign(**{column: table[column].map(new)}).sample(frac=1, random_state=order)

    return shuffled(antwoorden, "deelnemer_id"), shuffled(belangen, "deelnemer_id"), shuffled(deelnemers, "id")


def same(left: pd.DataFrame, right: pd.DataFrame, key: str | list[str]) -> None:
    pd.testing.assert_frame_equal(left.sort_values(key, ignore_index=True), right.sort_values(key, ignore_index=True),
                                  check_dtype=False)


@settings(max_examples=25)  # five analyses twice over per example
@given(rondes(), st.integers(0, 2**32 - 1))
def test_the_analysis_does_not_depend_on_who_is_who(ronde, seed):
    other = relabelled(ronde, np.random.default_rng(seed))
    (antwoorden, belangen, deelnemers), (antwoorden2, belangen2, deelnemers2) = ronde, other
    same(per_onderdeel(antwoorden, STELLINGEN), per_onderdeel(antwoorden2, STELLINGEN), "onderdeel_id")
    same(per_stelling(antwoorden, STELLINGEN), per_stelling(antwoorden2, STELLINGEN), "stelling_id")
    same(onenigheid(antwoorden, STELLINGEN, SCHAAL), onenigheid(antwoorden2, STELLINGEN, SCHAAL), "stelling_id")
    same(blinde_vlekken(antwoorden, STELLINGEN, deelnemers), blinde_vlekken(antwoorden2, STELLINGEN, deelnemers2),
         ["soort", "id", "reden"])
    same(prioriteiten(per_onderdeel(antwoorden, STELLINGEN), belangen, SCHAAL.hoogste),
         prioriteiten(per_onderdeel(antwoorden2, STELLINGEN), belangen2, SCHAAL.hoogste), "onderdeel_id")


@given(rondes(), st.integers(1, 6))
@example(EMPTY, 2)
@example(ONLY_WEET_NIET, 1)
def test_a_split_always_has_its_minimum_in_each_camp(ronde, minimum_camp):
    antwoorden, _, deelnemers = ronde
    result = onenigheid(antwoorden, STELLINGEN, SCHAAL, minimum_camp=minimum_camp).set_index("stelling_id")
    assert (result["laag"] + result["hoog"] == result["n"]).all()
    assert result["n"].sum() == len(scores(antwoorden))
    camp = result[["laag", "hoog"]].min(axis=1)
    real_split = (result["maximum"] - result["minimum"] >= 2) & (camp >= minimum_camp) & (camp >= result["n"] / 4)
    assert result["onenig"].equals(real_split)
    flagged = result.loc[result["onenig"]]
    assert (flagged[["laag", "hoog"]].min(axis=1) >= minimum_camp).all()
    stricter = onenigheid(antwoorden, STELLINGEN, SCHAAL, minimum_camp=minimum_camp + 1).set_index("stelling_id")
    assert not (stricter["onenig"] & ~result["onenig"]).any()

    seats = posities(antwoorden, deelnemers, STELLINGEN)
    laag = seats["niveau"].le(2).groupby(seats["stelling_id"]).sum()
    assert laag.to_dict() == result.loc[laag.index, "laag"].to_dict()
    camps = kampen(seats, SCHAAL)
    for row in seats.itertuples():
        assert row.partner in camps.loc[row.stelling_id, "laag" if row.niveau <= 2 else "hoog"]


@given(rondes(), st.floats(0.05, 1))
@example(EMPTY, 0.3)
@example(ONLY_WEET_NIET, 0.3)
def test_blinde_vlekken_are_exactly_the_gaps(ronde, drempel):
    antwoorden, _, deelnemers = ronde
    spots = blinde_vlekken(antwoorden, STELLINGEN, deelnemers, drempel_weet_niet=drempel)
    by_reason = spots.groupby("reden")["id"].apply(set).to_dict()
    present = set(deelnemers["levensdomein_id"].dropna())
    assert by_reason.get("geen partner uit dit levensdomein", set()) == set(DOMEINEN) - present
    assert by_reason.get("niemand gaf een score", set()) == set(STELLINGEN["stelling_id"]) - set(
        scores(antwoorden)["stelling_id"])
    answered = antwoorden.merge(STELLINGEN[["stelling_id", "onderdeel_id"]], on="stelling_id")
    weet_niet = (answered["keuze"] == "weet_niet").groupby(answered["onderdeel_id"]).mean()
    assert by_reason.get("veel 'weet niet'", set()) == set(weet_niet.index[weet_niet >= drempel])


@given(rondes(), st.floats(1, 4))
@example(EMPTY, 4.0)
def test_prioriteiten_rank_every_levensdomein_by_belang_times_distance(ronde, doel):
    antwoorden, belangen, _ = ronde
    result = prioriteiten(per_onderdeel(antwoorden, STELLINGEN), belangen, doel=doel)
    assert sorted(result["onderdeel_id"]) == sorted(DOMEINEN)
    assert list(result["rang"]) == list(range(1, len(DOMEINEN) + 1))
    assert result["afstand"].dropna().between(0, doel - 1).all()
    assert result["belang"].dropna().between(1, 3).all()
    known = result["score"].dropna()
    assert list(known) == sorted(known, reverse=True) and result["score"].isna().sum() == len(result) - len(known)
    assert result["score"].iloc[: len(known)].notna().all()  # a domain without a score comes last


@given(rondes(), rondes())
def test_afgelegde_weg_is_the_difference_of_the_medians(vorige, huidige):
    per_part, per_statement = afgelegde_weg(vorige[0], huidige[0], STELLINGEN)
    for table in (per_part, per_statement):
        change = table[["vorige", "huidige", "verschil"]].astype(float)
        assert np.allclose(change["verschil"], change["huidige"] - change["vorige"], equal_nan=True)
    moved = per_statement["verschil"].astype(float).abs().dropna()
    assert list(moved) == sorted(moved, reverse=True)
    _, itself = afgelegde_weg(huidige[0], huidige[0], STELLINGEN)
    assert (itself["verschil"].dropna() == 0).all()


@given(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 3), st.sampled_from(DOMEINEN),
                          st.one_of(st.none(), st.floats(1, 4))), max_size=40),
       st.integers(1, 12), st.integers(1, 6), st.booleans())
@example([], 1, 5, True)  # no rounds anywhere, as the report batch reads them back from its CSV file
def test_vergelijking_stays_in_range_and_hides_small_groups(rows, huis_id, minimum, via_csv):
    alle_rondes = pd.DataFrame(
        [{"huis_id": h, "nummer": nummer, "onderdeel_id": o, "onderdeel": o, "soort": "levensdomein",
          "mediaan": math.nan if m is None else m} for h, nummer, o, m in rows],
        columns=["huis_id", "nummer", "onderdeel_id", "onderdeel", "soort", "mediaan"],
    ).drop_duplicates(["huis_id", "nummer", "onderdeel_id"])
    if via_csv:
        alle_rondes = pd.read_csv(io.StringIO(alle_rondes.to_csv(index=False)), dtype={"onderdeel_id": str})
    result = vergelijking(alle_rondes, huis_id, minimum=minimum)
    assert result["aandeel_lager"].dropna().between(0, 1).all()
    hidden = result.loc[result["huizen"] < minimum, ["andere_q1", "andere_mediaan", "andere_q3", "aandeel_lager"]]
    assert hidden.isna().all().all()
    shown = result.loc[result["huizen"] >= minimum]
    assert (shown["andere_q1"] <= shown["andere_mediaan"]).all() and (shown["andere_mediaan"] <= shown["andere_q3"]).all()
