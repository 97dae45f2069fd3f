"""The discussion round: the agreement rule on hand-made cases, the proposal, and the store's half."""

import sqlite3

import pandas as pd
import pytest

from hvhk.base.errors import GebruikersFout
from roadmap import bespreking, store


def _answers(*rows):
    """(deelnemer_id, stelling_id, answer) rows: a level, 'w' (weet niet) or 'n' (niet van toepassing)."""
    keuze = {"w": "weet_niet", "n": "niet_van_toepassing"}
    return pd.DataFrame(
        [(d, s, keuze.get(a, "niveau"), None if a in keuze else a) for d, s, a in rows],
        columns=["deelnemer_id", "stelling_id", "keuze", "niveau"],
    )


def _scores(stelling_id, *levels):
    return [(number, stelling_id, level) for number, level in enumerate(levels, start=1)]


@pytest.mark.parametrize(("levels", "band", "buiten", "eens"), [
    ((3, 3, 3, 3), "3", 0, True),  # shown as the levels scored inside the band
    ((1, 1, 1, 1), "1", 0, True),
    ((4, 4, 4), "4", 0, True),
    ((3, 3, 3, 4, 4), "3–4", 0, True),  # a median on a level: of the two bands, the one with fewer outside
    ((2, 2, 3, 3, 3, 4), "2–3", 1, True),
    ((2, 3, 3, 4), "2–3", 1, True),  # two as good: the lower
    ((2, 3, 3, 3, 4), "2–3", 1, True),  # one partner who sees it otherwise makes no split
    ((1, 2, 3), "1–2", 1, True),
    ((3, 3, 3, 2, 2, 4, 4), "2–3", 2, False),  # two outside either band: split
    ((1, 4), "2–3", 2, False),  # the median between the levels: the one band around it, holding no score
    ((1, 1, 4, 4, "w", "w", "w"), "2–3", 4, False),  # weet niet does not count
])
def test_the_agreement_rule_on_hand_made_cases(mini_roadmap, levels, band, buiten, eens):
    answers = _answers(*_scores("onderwijs.1", *levels))
    result = bespreking.overeenstemming(answers, mini_roadmap.stellingen, mini_roadmap.schaal).set_index("stelling_id")
    row = result.loc["onderwijs.1"]
    assert (row["band"], row["buiten"], row["eens"], row["n"]) == (band, buiten, eens, sum(x != "w" for x in levels))
    assert pd.isna(result.loc["onderwijs.2", "eens"]) and result.loc["onderwijs.2", "n"] == 0  # nobody scored it
    assert result.index.tolist() == mini_roadmap.stellingen["stelling_id"].tolist()


def test_more_may_lie_outside_when_the_rule_allows_it(mini_roadmap):
    answers = _answers(*_scores("onderwijs.1", 3, 3, 3, 2, 2, 4, 4))
    result = bespreking.overeenstemming(answers, mini_roadmap.stellingen, mini_roadmap.schaal, buiten_max=2)
    assert result.set_index("stelling_id").loc["onderwijs.1", "eens"]
    assert "op hoogstens 2 na" in bespreking.regel(2) and "op hoogstens één na" in bespreking.regel()


def test_the_proposal_puts_the_most_even_split_first_then_what_matters_most(mini_roadmap):
    answers = _answers(
        *_scores("onderwijs.1", 1, 1, 3, 3, 3, 3),   # split, camps 2 and 4: a third
        *_scores("onderwijs.2", 1, 1, 4, 4),         # split, camps 2 and 2: even
        *_scores("kinderopvang.1", 1, 1, 4, 4),      # as even, in a domain that matters more
        *_scores("gebruikersparticipatie.1", 2, 3, 3, 3),  # agreed: not proposed
    )
    belangen = pd.DataFrame({"deelnemer_id": [1, 2, 1, 2], "onderdeel_id": ["onderwijs", "onderwijs",
                             "kinderopvang", "kinderopvang"], "belang": [1, 2, 3, 3]})
    proposal = bespreking.voorstel(answers, mini_roadmap.stellingen, belangen, mini_roadmap.schaal)
    assert proposal["stelling_id"].tolist() == ["kinderopvang.1", "onderwijs.2", "onderwijs.1"]
    assert proposal[["laag", "hoog"]].values.tolist() == [[2, 2], [2, 2], [2, 4]]
    assert proposal["belang"].tolist() == [3.0, 1.5, 1.5]


def test_the_spread_of_one_stelling_names_every_option(mini_roadmap):
    answers = _answers(*_scores("onderwijs.1", 2, 2, 4, "w", "n"), (9, "onderwijs.2", 1))
    spread = bespreking.verdeling(answers, "onderwijs.1", mini_roadmap.schaal)
    assert spread.tolist() == [0, 2, 0, 1, 1, 1]
    assert spread.index[-2:].tolist() == [mini_roadmap.schaal.weet_niet, mini_roadmap.schaal.niet_van_toepassing]
    assert spread.index[0] == "1 – Verkennen"


@pytest.fixture
def ronde(connection, mini_roadmap):
    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"])
    return store.save_ronde(connection, huis_id, 1, "2026-03-17", mini_roadmap)


def _partners(connection, ronde, first_levels):
    """One partner per level, each with that first answer to onderwijs.1."""
    ids = []
    for number, level in enumerate(first_levels):
        deelnemer = store.save_deelnemer(connection, ronde, f"Partner {number}")
        store.save_antwoorden(connection, deelnemer, pd.DataFrame(
            [("onderwijs.1", "niveau", level, "")], columns=["stelling_id", "keuze", "niveau", "toelichting"]))
        ids.append(deelnemer)
    return ids


def test_a_discussion_keeps_both_opinions_and_the_groups_decision(connection, mini_roadmap, ronde):
    an, bart, chris, dina = _partners(connection, ronde, [1, 1, 4, 4])
    store.plan_bespreking(connection, ronde, ["onderwijs.1", "kinderopvang.1"])
    store.plan_bespreking(connection, ronde, ["onderwijs.2", "onderwijs.1"])  # onderwijs.1 keeps its place
    assert store.besprekingen(connection, ronde)["stelling_id"].tolist() == ["onderwijs.1", "kinderopvang.1",
                                                                            "onderwijs.2"]
    with pytest.raises(GebruikersFout, match="gesloten"):  # no vote is open yet
        store.save_stem(connection, an, "onderwijs.1", "niveau", 3)
    store.open_stemming(connection, ronde, "onderwijs.1")
    assert store.stemming(connection, ronde) == "onderwijs.1"
    store.save_stem(connection, an, "onderwijs.1", "niveau", 2)
    store.save_stem(connection, an, "onderwijs.1", "niveau", 3)  # a second click replaces the first
    store.save_stem(connection, bart, "onderwijs.1", "niveau", 3)
    store.save_stem(connection, chris, "onderwijs.1", "weet_niet", None)
    with pytest.raises(GebruikersFout, match="gesloten"):  # a phone on another stelling's page
        store.save_stem(connection, dina, "kinderopvang.1", "niveau", 3)
    with pytest.raises(GebruikersFout, match="niveau 7"):
        store.save_stem(connection, dina, "onderwijs.1", "niveau", 7)
    store.save_uitkomst(connection, ronde, "onderwijs.1", 3, "  We zien het gebeuren in de scholen.  ")
    assert store.stemming(connection, ronde) is None  # recording closes the vote
    with pytest.raises(GebruikersFout, match="gesloten"):
        store.save_stem(connection, dina, "onderwijs.1", "niveau", 4)

    assert store.antwoorden(connection, ronde)["niveau"].tolist() == [1, 1, 4, 4]  # the first opinions stay
    votes = store.stemmen(connection, ronde)
    assert votes[["deelnemer_id", "keuze"]].values.tolist() == [[an, "niveau"], [bart, "niveau"], [chris, "weet_niet"]]
    assert votes["niveau"].tolist()[:2] == [3, 3]
    recorded = store.besprekingen(connection, ronde).set_index("stelling_id")
    assert recorded.loc["onderwijs.1", ["niveau", "notitie"]].tolist() == [3, "We zien het gebeuren in de scholen."]
    assert recorded["vastgelegd"].notna().tolist() == [True, False, False]

    table = bespreking.voor_en_na(store.antwoorden(connection, ronde), votes, store.besprekingen(connection, ronde),
                                  mini_roadmap.stellingen, mini_roadmap.schaal).set_index("stelling_id")
    row = table.loc["onderwijs.1"]
    assert (row["n_voor"], row["eens_voor"], row["n_na"], row["eens_na"], row["veranderd"]) == (4, False, 2, True, 3)
    assert (row["mediaan_voor"], row["mediaan_na"], row["niveau"], row["vastgelegd"]) == (2.5, 3.0, 3.0, True)
    assert table.loc["kinderopvang.1", "n_na"] == 0 and not table.loc["kinderopvang.1", "vastgelegd"]


def test_a_discussed_stelling_stays_on_the_list_and_an_unknown_one_never_gets_there(connection, ronde):
    an, = _partners(connection, ronde, [2])
    with pytest.raises(GebruikersFout, match="onbekende stelling 'onderwijs.9'"):
        store.plan_bespreking(connection, ronde, ["onderwijs.1", "onderwijs.9"])
    assert store.besprekingen(connection, ronde).empty  # all or nothing
    with pytest.raises(GebruikersFout, match="niet bij de te bespreken"):
        store.open_stemming(connection, ronde, "onderwijs.1")
    store.plan_bespreking(connection, ronde, ["onderwijs.1", "onderwijs.2"])
    store.open_stemming(connection, ronde, "onderwijs.2")
    store.drop_bespreking(connection, ronde, "onderwijs.2")  # nobody voted yet: off the list, the vote closed
    assert store.stemming(connection, ronde) is None
    store.open_stemming(connection, ronde, "onderwijs.1")
    store.save_stem(connection, an, "onderwijs.1", "niveau", 3)
    with pytest.raises(GebruikersFout, match="al besproken"):
        store.drop_bespreking(connection, ronde, "onderwijs.1")
    with pytest.raises(GebruikersFout, match="niveau 0"):
        store.save_uitkomst(connection, ronde, "onderwijs.1", 0)
    store.save_uitkomst(connection, ronde, "onderwijs.1", None, "We blijven verdeeld.")  # split is an outcome too
    assert store.besprekingen(connection, ronde)["stelling_id"].tolist() == ["onderwijs.1"]
    assert pd.isna(store.besprekingen(connection, ronde)["niveau"].iloc[0])


def test_a_store_of_the_fourth_schema_migrates_and_holds_a_discussion(tmp_path, mini_roadmap):
    path = tmp_path / "vierde.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(";".join(store.MIGRATIONS[:4]))
        raw.execute("PRAGMA user_version = 4")
        raw.execute("INSERT INTO huis (id, naam) VALUES (1, 'Huis van het Kind Oud')")
        raw.execute("INSERT INTO roadmap_versie VALUES (?, ?)", (mini_roadmap.versie, mini_roadmap.yaml))
        raw.execute("INSERT INTO ronde (id, huis_id, nummer, datum, roadmap_versie) VALUES (1, 1, 1, '2025-01-01', ?)",
                    (mini_roadmap.versie,))
        raw.execute("INSERT INTO deelnemer (id, ronde_id, naam) VALUES (1, 1, 'An')")
        raw.execute("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau) VALUES (1, 'onderwijs.1', 'niveau', 2)")
    raw.close()
    connection = store.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.stemming(connection, 1) is None and store.besprekingen(connection, 1).empty
    store.plan_bespreking(connection, 1, ["onderwijs.1"])
    store.open_stemming(connection, 1, "onderwijs.1")
    store.save_stem(connection, 1, "onderwijs.1", "niveau", 3)
    assert store.antwoorden(connection, 1)["niveau"].tolist() == [2]
    assert store.stemmen(connection, 1)["niveau"].tolist() == [3]
    connection.close()
