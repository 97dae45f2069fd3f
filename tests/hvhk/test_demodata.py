import pandas as pd

from hvhk.demodata import generate, loket_cijfers
from roadmap.definition import load_roadmap


def test_same_seed_same_data_and_plausible_shape():
    roadmap = load_roadmap()
    first, second = generate(roadmap, seed=7), generate(roadmap, seed=7)
    pd.testing.assert_frame_equal(first.gemeenten, second.gemeenten)
    pd.testing.assert_frame_equal(
        first.rondes[3]["deelnemers"][0]["antwoorden"], second.rondes[3]["deelnemers"][0]["antwoorden"]
    )
    assert len(first.huizen) == 12
    assert len(first.gemeenten) == 20 and first.gemeenten["nis"].is_unique
    assert len(first.rondes) == 24
    assert all(6 <= len(r["deelnemers"]) <= 12 for r in first.rondes)
    assert all(d["naam"].endswith("(demo)") for r in first.rondes for d in r["deelnemers"])


def test_flemish_proportions():
    figures = generate(load_roadmap()).gemeenten
    births_per_1000 = figures["geboorten_per_jaar"] / figures["inwoners"] * 1000
    assert births_per_1000.between(7, 15).all()
    places_per_child_under_three = figures["plaatsen"] / (3 * figures["geboorten_per_jaar"])
    assert places_per_child_under_three.between(0.4, 0.7).all()


def test_every_stelling_answered_with_valid_choices():
    roadmap = load_roadmap()
    ronde = generate(roadmap).rondes[0]
    answers = ronde["deelnemers"][0]["antwoorden"]
    assert set(answers["stelling_id"]) == set(roadmap.stellingen["stelling_id"])
    assert set(answers["keuze"]) <= {"niveau", "weet_niet", "niet_van_toepassing"}
    assert answers.loc[answers["keuze"] == "niveau", "niveau"].between(1, 4).all()


def test_loket_cijfers_are_the_figures_of_generate_without_the_rondes():
    roadmap = load_roadmap()
    pd.testing.assert_frame_equal(loket_cijfers(seed=7), generate(roadmap, seed=7).gemeenten)
    pd.testing.assert_frame_equal(loket_cijfers(), generate(roadmap).gemeenten)
