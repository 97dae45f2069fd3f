import pandas as pd
import pytest

from roadmap import store
from roadmap.analysis import (
    afgelegde_weg,
    blinde_vlekken,
    kampen,
    onenigheid,
    per_onderdeel,
    per_stelling,
    posities,
    prioriteiten,
    pseudoniemen,
    vergelijking,
)


def _answers(rows):
    return pd.DataFrame(rows, columns=["deelnemer_id", "stelling_id", "keuze", "niveau"])


def test_per_onderdeel_by_hand(mini_roadmap):
    answers = _answers(
        [
            # participant 1: onderwijs scores 2 and 4 -> level 3
            (1, "onderwijs.1", "niveau", 2),
            (1, "onderwijs.2", "niveau", 4),
            # participant 2: onderwijs 1, and one "weet niet" that must not count as a score
            (2, "onderwijs.1", "niveau", 1),
            (2, "onderwijs.2", "weet_niet", None),
            # participant 3: onderwijs 4, "niet van toepassing" on the other stelling
            (3, "onderwijs.1", "niveau", 4),
            (3, "onderwijs.2", "niet_van_toepassing", None),
            # kinderopvang: only "weet niet"
            (1, "kinderopvang.1", "weet_niet", None),
        ]
    )
    result = per_onderdeel(answers, mini_roadmap.stellingen).set_index("onderdeel_id")
    onderwijs = result.loc["onderwijs"]
    # participant levels 3, 1, 4
    assert onderwijs["mediaan"] == 3
    assert onderwijs["gemiddelde"] == pytest.approx(8 / 3)
    assert (onderwijs["q1"], onderwijs["q3"]) == (2.0, 3.5)
    assert (onderwijs["minimum"], onderwijs["maximum"], onderwijs["n"]) == (1, 4, 3)
    assert onderwijs["aandeel_weet_niet"] == pytest.approx(1 / 6)

    kinderopvang = result.loc["kinderopvang"]
    assert kinderopvang["n"] == 0 and pd.isna(kinderopvang["mediaan"])
    assert kinderopvang["aandeel_weet_niet"] == 1.0

    # nobody answered this onderdeel, but it still shows, as a blind spot
    assert result.loc["gebruikersparticipatie", "n"] == 0
    assert list(result.index) == ["onderwijs", "kinderopvang", "gebruikersparticipatie"]
    assert result.loc["gebruikersparticipatie", "soort"] == "werkingsprincipe"


def test_per_stelling_by_hand(mini_roadmap):
    answers = _answers(
        [
            (1, "onderwijs.1", "niveau", 1),
            (2, "onderwijs.1", "niveau", 2),
            (3, "onderwijs.1", "niveau", 4),
            (4, "onderwijs.1", "weet_niet", None),
            (5, "onderwijs.1", "niet_van_toepassing", None),
            (1, "kinderopvang.1", "weet_niet", None),
        ]
    )
    result = per_stelling(answers, mini_roadmap.stellingen).set_index("stelling_id")
    row = result.loc["onderwijs.1"]
    # scores 1, 2, 4: median 2, mean 7/3, quartiles 1.5 and 3 (linear interpolation)
    assert (row["mediaan"], row["q1"], row["q3"], row["minimum"], row["maximum"], row["n"]) == (2, 1.5, 3, 1, 4, 3)
    assert row["gemiddelde"] == pytest.approx(7 / 3) and row["aandeel_weet_niet"] == pytest.approx(1 / 5)
    assert result.loc["kinderopvang.1", "n"] == 0 and result.loc["kinderopvang.1", "aandeel_weet_niet"] == 1.0
    assert result.loc["onderwijs.2", "n"] == 0 and pd.isna(result.loc["onderwijs.2", "aandeel_weet_niet"])
    assert list(result.index) == list(mini_roadmap.stellingen["stelling_id"])


def test_per_onderdeel_of_a_round_without_answers(connection, mini_roadmap):
    huis = store.save_huis(connection, "Huis", ["44021"])
    ronde = store.save_ronde(connection, huis, 1, "2026-01-01", mini_roadmap)
    store.save_deelnemer(connection, ronde, "An")
    result = per_onderdeel(store.antwoorden(connection, ronde), mini_roadmap.stellingen)
    assert result["n"].tolist() == [0, 0, 0] and result["mediaan"].isna().all()


def test_onenigheid_flags_two_camps_not_one_outlier(mini_roadmap):
    answers = _answers(
        # onderwijs.1: two camps (1, 1, 4, 4) -> flagged
        [(d, "onderwijs.1", "niveau", level) for d, level in zip(range(1, 5), [1, 1, 4, 4])]
        # onderwijs.2: one outlier (1, 3, 3, 3, 4): camp sizes 1 and 4 -> not flagged
        + [(d, "onderwijs.2", "niveau", level) for d, level in zip(range(1, 6), [1, 3, 3, 3, 4])]
        # kinderopvang.1: 2 and 3 split evenly but span only one level -> not flagged
        + [(d, "kinderopvang.1", "niveau", level) for d, level in zip(range(1, 5), [2, 2, 3, 3])]
        # "weet niet" never counts as a camp
        + [(5, "kinderopvang.1", "weet_niet", None), (6, "kinderopvang.1", "weet_niet", None)]
    )
    result = onenigheid(answers, mini_roadmap.stellingen, mini_roadmap.schaal).set_index("stelling_id")
    assert result["onenig"].to_dict() == {
        "onderwijs.1": True,
        "onderwijs.2": False,
        "kinderopvang.1": False,
        "gebruikersparticipatie.1": False,
    }
    assert result.loc["onderwijs.1", ["n", "laag", "hoog", "minimum", "maximum"]].tolist() == [4, 2, 2, 1, 4]
    assert result.loc["kinderopvang.1", "n"] == 4
    assert result.loc["gebruikersparticipatie.1", "n"] == 0


def test_onenigheid_needs_a_quarter_of_the_scorers_in_each_camp(mini_roadmap):
    # 2 low against 7 high: two partners, but less than a quarter of nine
    levels = [1, 1, 4, 4, 4, 4, 4, 4, 4]
    answers = _answers([(d, "onderwijs.1", "niveau", level) for d, level in enumerate(levels, start=1)])
    result = onenigheid(answers, mini_roadmap.stellingen, mini_roadmap.schaal)
    assert not result.set_index("stelling_id").at["onderwijs.1", "onenig"]


def test_blinde_vlekken_by_hand(mini_roadmap):
    answers = _answers(
        [
            (1, "onderwijs.1", "niveau", 3),
            (1, "onderwijs.2", "niveau", 2),
            (2, "onderwijs.1", "weet_niet", None),
            (2, "kinderopvang.1", "weet_niet", None),
            (1, "kinderopvang.1", "weet_niet", None),
        ]
    )
    deelnemers = pd.DataFrame({"id": [1, 2], "levensdomein_id": ["onderwijs", None]})
    result = blinde_vlekken(answers, mini_roadmap.stellingen, deelnemers)
    assert result[["soort", "id", "reden"]].values.tolist() == [
        ["onderdeel", "kinderopvang", "geen partner uit dit levensdomein"],
        ["onderdeel", "onderwijs", "veel 'weet niet'"],  # 1 of 3 answers: 33 %
        ["onderdeel", "kinderopvang", "veel 'weet niet'"],  # 2 of 2 answers
        ["stelling", "kinderopvang.1", "niemand gaf een score"],
        ["stelling", "gebruikersparticipatie.1", "niemand gaf een score"],
    ]
    lenient = blinde_vlekken(answers, mini_roadmap.stellingen, deelnemers, drempel_weet_niet=0.4)
    assert lenient.loc[lenient["reden"] == "veel 'weet niet'", "id"].tolist() == ["kinderopvang"]


def test_prioriteiten_by_hand(mini_roadmap):
    answers = _answers(
        [
            (1, "onderwijs.1", "niveau", 1),  # onderwijs level 1 for both -> distance 3
            (2, "onderwijs.1", "niveau", 1),
            (1, "kinderopvang.1", "niveau", 3),  # kinderopvang level 3 -> distance 1
            (2, "kinderopvang.1", "niveau", 3),
        ]
    )
    belangen = pd.DataFrame(
        {"deelnemer_id": [1, 2, 1, 2], "onderdeel_id": ["onderwijs", "onderwijs", "kinderopvang", "kinderopvang"],
         "belang": [1, 2, 3, 3]}
    )
    result = prioriteiten(per_onderdeel(answers, mini_roadmap.stellingen), belangen, mini_roadmap.schaal.hoogste)
    # onderwijs: belang 1.5 × distance 3 = 4.5; kinderopvang: 3 × 1 = 3
    assert result[["onderdeel_id", "belang", "afstand", "score", "rang"]].values.tolist() == [
        ["onderwijs", 1.5, 3.0, 4.5, 1],
        ["kinderopvang", 3.0, 1.0, 3.0, 2],
    ]


def test_afgelegde_weg_by_hand(mini_roadmap):
    vorige = _answers([(1, "onderwijs.1", "niveau", 1), (1, "onderwijs.2", "niveau", 3), (1, "kinderopvang.1", "niveau", 2)])
    huidige = _answers([(2, "onderwijs.1", "niveau", 4), (2, "onderwijs.2", "niveau", 2), (2, "kinderopvang.1", "niveau", 2)])
    per_part, per_statement = afgelegde_weg(vorige, huidige, mini_roadmap.stellingen)
    changes = per_part.set_index("onderdeel_id")["verschil"]
    assert changes["onderwijs"] == 1.0  # level 2 -> 3
    assert changes["kinderopvang"] == 0.0
    assert pd.isna(changes["gebruikersparticipatie"])
    assert per_statement["stelling_id"].tolist()[:3] == ["onderwijs.1", "onderwijs.2", "kinderopvang.1"]
    assert per_statement.set_index("stelling_id")["verschil"].loc[["onderwijs.1", "onderwijs.2"]].tolist() == [3.0, -1.0]


def test_pseudoniemen_follow_id_order_and_never_run_out():
    names = pseudoniemen(pd.Series([30, 10, 20, 10]))
    assert names.to_dict() == {10: "Partner A", 20: "Partner B", 30: "Partner C"}
    many = pseudoniemen(pd.Series(range(28)))
    assert many.iloc[[25, 26, 27]].tolist() == ["Partner Z", "Partner AA", "Partner AB"]


def test_posities_and_kampen_show_camps_by_pseudonym_and_domain(mini_roadmap):
    answers = _answers(
        [(1, "onderwijs.1", "niveau", 4), (2, "onderwijs.1", "niveau", 1), (3, "onderwijs.1", "weet_niet", None),
         (3, "onderwijs.2", "niveau", 2), (4, "onderwijs.1", "niveau", 2)]
    )
    deelnemers = pd.DataFrame(
        {"id": [1, 2, 3, 4], "naam": ["An", "Bart", "Chloé", "Dirk"],
         "levensdomein_id": ["kinderopvang", None, "onderwijs", None]}
    )
    result = posities(answers, deelnemers, mini_roadmap.stellingen)
    assert result.values.tolist() == [
        ["onderwijs.1", "Partner B", 1],
        ["onderwijs.1", "Partner D", 2],
        ["onderwijs.1", "Partner A (Kinderopvang)", 4],
        ["onderwijs.2", "Partner C (Onderwijs)", 2],
    ]
    assert not set(result.astype(str).values.ravel()) & {"An", "Bart", "Chloé", "Dirk"}
    camps = kampen(result, mini_roadmap.schaal)
    assert camps.loc["onderwijs.1"].tolist() == ["Partner B, Partner D", "Partner A (Kinderopvang)"]
    assert camps.loc["onderwijs.2"].tolist() == ["Partner C (Onderwijs)", ""]


def _latest_levels(levels: dict[int, float], nummer: int = 1) -> pd.DataFrame:
    return pd.DataFrame(
        {"huis_id": list(levels), "nummer": nummer, "onderdeel_id": "onderwijs", "onderdeel": "Onderwijs",
         "soort": "levensdomein", "mediaan": list(levels.values())}
    )


def test_vergelijking_by_hand():
    # Huis 1 stands at 2.5; five other Huizen at 1, 2, 3, 3, 4; an older round of Huis 2 is ignored
    alle = pd.concat(
        [_latest_levels({1: 2.5, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4}, nummer=2), _latest_levels({2: 4.0}, nummer=1)]
    )
    row = vergelijking(alle, huis_id=1).set_index("onderdeel_id").loc["onderwijs"]
    assert (row["mediaan"], row["huizen"]) == (2.5, 5)
    assert (row["andere_q1"], row["andere_mediaan"], row["andere_q3"]) == (2.0, 3.0, 3.0)
    assert row["aandeel_lager"] == pytest.approx(2 / 5)


def test_vergelijking_hides_the_others_below_five_huizen():
    alle = _latest_levels({1: 2.5, 2: 1, 3: 2, 4: 3, 5: 3})  # only four others
    row = vergelijking(alle, huis_id=1).iloc[0]
    assert row["huizen"] == 4
    assert row[["andere_q1", "andere_mediaan", "andere_q3", "aandeel_lager"]].isna().all()
