"""The results of a round, on a hand-made Huis with the mini Roadmap: rounds 1, 2 and 4, saved out of order."""

import pandas as pd
import pytest

from roadmap import analysis, store
from roadmap.resultaten import RondeResultaten


def _save(connection, ronde_id, naam, levensdomein_id, answers, belang=None) -> None:
    deelnemer_id = store.save_deelnemer(connection, ronde_id, naam, f"Organisatie van {naam}", levensdomein_id)
    rows = [(stelling_id, "niveau" if isinstance(keuze, int) else keuze, keuze if isinstance(keuze, int) else None)
            for stelling_id, keuze in answers.items()]
    store.save_antwoorden(connection, deelnemer_id, pd.DataFrame(rows, columns=["stelling_id", "keuze", "niveau"]))
    store.save_belang(connection, deelnemer_id, belang or {})


@pytest.fixture
def rondes(connection, mini_roadmap) -> dict[int, int]:
    """The round ids by nummer. Round 4 is saved first and round 3 never happened, so neither the ids nor
    the order of saving tell which round came before."""
    huis_id = store.save_huis(connection, "Huis van het Kind Proef", ["44021"])
    ids = {nummer: store.save_ronde(connection, huis_id, nummer, datum, mini_roadmap)
           for nummer, datum in [(4, "2027-03-01"), (1, "2025-03-01"), (2, "2026-03-01")]}
    for naam in ("Eva", "Fien"):
        _save(connection, ids[2], naam, None, {"onderwijs.1": 2, "onderwijs.2": 2})
    # onderwijs: An 1 (her "weet niet" is no score), Bert 2.5, Chris 4, Dina 3.5: median 3
    _save(connection, ids[4], "An", "onderwijs", {"onderwijs.1": 1, "onderwijs.2": "weet_niet",
                                                  "kinderopvang.1": "weet_niet", "gebruikersparticipatie.1": 2},
          {"onderwijs": 3, "kinderopvang": 1})
    _save(connection, ids[4], "Bert", "onderwijs", {"onderwijs.1": 2, "onderwijs.2": 3, "kinderopvang.1": "weet_niet"},
          {"onderwijs": 3})
    _save(connection, ids[4], "Chris", None, {"onderwijs.1": 4, "onderwijs.2": 4, "kinderopvang.1": "weet_niet"})
    _save(connection, ids[4], "Dina", None, {"onderwijs.1": 3, "onderwijs.2": 4})
    store.save_prioriteiten(connection, ids[4], ["onderwijs", "kinderopvang"])
    store.save_actie(connection, ids[4], "onderwijs", "Ouderavond met de scholen", trekker="CLB")
    return ids


def test_the_first_round_has_no_previous_round(connection, rondes):
    eerste = RondeResultaten.load(connection, rondes[1])
    assert (eerste.nummer, eerste.datum, eerste.roadmap_versie) == (1, "2025-03-01", "test.1")
    assert eerste.vorig_nummer is None and eerste.weg is None
    assert eerste.deelnemers.empty and (eerste.niveaus["n"] == 0).all()
    assert not eerste.onenigheid["onenig"].any() and eerste.gekozen == [] and eerste.acties.empty


def test_a_later_round_finds_the_one_before_by_number(connection, rondes, mini_roadmap):
    assert RondeResultaten.load(connection, rondes[2]).vorig_nummer == 1
    vierde = RondeResultaten.load(connection, rondes[4])
    assert vierde.vorig_nummer == 2, "round 3 never happened: round 2 came before round 4"
    weg = vierde.weg.set_index("onderdeel_id")
    assert weg.loc["onderwijs", ["vorige", "huidige", "verschil"]].tolist() == [2.0, 3.0, 1.0]
    expected, _ = analysis.afgelegde_weg(
        store.antwoorden(connection, rondes[2]), store.antwoorden(connection, rondes[4]), mini_roadmap.stellingen
    )
    pd.testing.assert_frame_equal(vierde.weg, expected)


def test_levels_blind_spots_and_priorities_are_the_analysis_of_the_round(connection, rondes, mini_roadmap):
    vierde = RondeResultaten.load(connection, rondes[4])
    antwoorden, deelnemers = store.antwoorden(connection, rondes[4]), store.deelnemers(connection, rondes[4])
    stellingen = mini_roadmap.stellingen
    pd.testing.assert_frame_equal(vierde.antwoorden, antwoorden)
    pd.testing.assert_frame_equal(vierde.deelnemers, deelnemers)
    pd.testing.assert_frame_equal(vierde.niveaus, analysis.per_onderdeel(antwoorden, stellingen))
    assert vierde.niveaus.set_index("onderdeel_id").loc["onderwijs", ["mediaan", "n"]].tolist() == [3.0, 4]
    assert vierde.levensdomeinen["onderdeel_id"].tolist() == ["onderwijs", "kinderopvang"]
    pd.testing.assert_frame_equal(vierde.blinde_vlekken, analysis.blinde_vlekken(antwoorden, stellingen, deelnemers))
    assert set(vierde.blinde_vlekken["reden"].loc[vierde.blinde_vlekken["id"] == "kinderopvang"]) == {
        "geen partner uit dit levensdomein", "veel 'weet niet'"
    }
    belangen = store.belangen(connection, rondes[4])
    pd.testing.assert_frame_equal(
        vierde.prioriteiten, analysis.prioriteiten(vierde.niveaus, belangen, mini_roadmap.schaal.hoogste)
    )
    # onderwijs: belang 3 × distance 1; kinderopvang has no score and comes last
    assert vierde.prioriteiten[["onderdeel_id", "score"]].iloc[0].tolist() == ["onderwijs", 3.0]
    assert vierde.prioriteiten["onderdeel_id"].tolist() == ["onderwijs", "kinderopvang"]


def test_two_camps_carry_the_text_and_who_sits_where(connection, rondes, mini_roadmap):
    vierde = RondeResultaten.load(connection, rondes[4])
    expected = analysis.onenigheid(store.antwoorden(connection, rondes[4]), mini_roadmap.stellingen, mini_roadmap.schaal)
    pd.testing.assert_frame_equal(vierde.onenigheid[expected.columns], expected)
    split = vierde.onenigheid.loc[vierde.onenigheid["onenig"]]
    assert split[["stelling_id", "tekst", "laag", "hoog"]].values.tolist() == [
        ["onderwijs.1", "Scholen kennen het Huis.", 2, 2]
    ]
    # pseudonyms in id order, with the levensdomein a partner comes from; never a name
    assert split[["partners_laag", "partners_hoog"]].values.tolist() == [
        ["Partner A (Onderwijs), Partner B (Onderwijs)", "Partner D, Partner C"]
    ]
    nobody = vierde.onenigheid.set_index("stelling_id").loc["kinderopvang.1"]
    assert (nobody["partners_laag"], nobody["partners_hoog"]) == ("", ""), "a stelling without scores has empty camps"


def test_chosen_priorities_and_actions_carry_the_names_of_their_onderdelen(connection, rondes):
    vierde = RondeResultaten.load(connection, rondes[4])
    assert vierde.gekozen == ["Kinderopvang", "Onderwijs"]
    assert vierde.acties[["omschrijving", "onderdeel", "trekker"]].values.tolist() == [
        ["Ouderavond met de scholen", "Onderwijs", "CLB"]
    ]
