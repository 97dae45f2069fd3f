import pandas as pd
import pytest

from roadmap.analysis import per_onderdeel


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
