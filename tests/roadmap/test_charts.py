import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from hvhk.base.figures import to_png
from roadmap import analysis, charts

pytestmark = pytest.mark.filterwarnings("error")  # in the app a warning would reach the user's screen

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def deelnemers():
    return pd.DataFrame(
        {
            "id": [12, 11, 13],
            "naam": ["Bram Janssens", "Anna Peeters", "Carla De Smet"],
            "organisatie": ["CLB", "School", "Kinderopvang Rups"],
            "levensdomein_id": [None, "onderwijs", "kinderopvang"],
        }
    )


@pytest.fixture
def antwoorden():
    return pd.DataFrame(
        [
            # Anna (11): onderwijs 2 and 4 -> 3,0; kinderopvang only "weet niet" -> no score
            (11, "onderwijs.1", "niveau", 2),
            (11, "onderwijs.2", "niveau", 4),
            (11, "kinderopvang.1", "weet_niet", None),
            # Bram (12): onderwijs 1, kinderopvang 4
            (12, "onderwijs.1", "niveau", 1),
            (12, "kinderopvang.1", "niveau", 4),
            # Carla (13): no score at all
            (13, "onderwijs.1", "weet_niet", None),
        ],
        columns=["deelnemer_id", "stelling_id", "keuze", "niveau"],
    )


def _domeinen(mini_roadmap):
    stellingen = mini_roadmap.stellingen
    return stellingen.loc[stellingen["soort"] == "levensdomein"]


def _texts(figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(Text)]


def test_heatmap_rows_are_pseudonyms_with_their_domain_never_names(antwoorden, deelnemers, mini_roadmap):
    figure = charts.heatmap(antwoorden, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal)
    axes = figure.axes[0]
    # in id order, as `analysis.posities` names them, so the heatmap and the camps table agree
    assert [label.get_text() for label in axes.get_yticklabels()] == [
        "Partner A (Onderwijs)",
        "Partner B",
        "Partner C (Kinderopvang)",
    ]
    assert [label.get_text() for label in axes.get_xticklabels()] == ["Onderwijs", "Kinderopvang"]
    texts = " ".join(_texts(figure))
    for naam in deelnemers["naam"]:
        assert naam.split()[0] not in texts


def test_heatmap_shows_each_level_and_marks_cells_without_scores(antwoorden, deelnemers, mini_roadmap):
    axes = charts.heatmap(antwoorden, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal).axes[0]
    cells = [text.get_text() for text in axes.texts]
    assert cells == ["3,0", "–", "1,0", "4,0", "–", "–"]  # row by row: Partner A, B, C
    shown = axes.images[0].get_array()
    assert shown.mask.tolist() == [[False, True], [False, False], [True, True]]


def test_heatmap_uses_names_only_when_the_caller_passes_them(antwoorden, deelnemers, mini_roadmap):
    namen = dict(zip(deelnemers["id"], deelnemers["naam"]))
    axes = charts.heatmap(antwoorden, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal, namen=namen).axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["Anna Peeters", "Bram Janssens", "Carla De Smet"]


def test_heatmap_of_a_round_without_answers_is_all_marked_missing(deelnemers, mini_roadmap):
    nothing = pd.DataFrame(columns=["deelnemer_id", "stelling_id", "keuze", "niveau"])
    figure = charts.heatmap(nothing, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal)
    assert {text.get_text() for text in figure.axes[0].texts} == {"–"}
    assert to_png(figure).startswith(PNG)


def _ranking(mini_roadmap, antwoorden):
    niveaus = analysis.per_onderdeel(antwoorden, mini_roadmap.stellingen)
    belangen = pd.DataFrame({"deelnemer_id": [11, 12], "onderdeel_id": ["onderwijs", "onderwijs"], "belang": [3, 3]})
    return analysis.prioriteiten(niveaus, belangen, mini_roadmap.schaal.hoogste)


def test_priority_matrix_places_each_domain_by_distance_and_belang(mini_roadmap, antwoorden):
    ranking = _ranking(mini_roadmap, antwoorden)
    # onderwijs: participant levels 3 and 1 -> median 2, distance 2, belang 3; kinderopvang has no belang
    figure = charts.prioriteitenmatrix(ranking, mini_roadmap.schaal)
    axes = figure.axes[0]
    points = axes.collections[-1].get_offsets()
    assert np.asarray(points).tolist() == [[2.0, 3.0]]
    texts = _texts(figure)
    assert "1. Onderwijs\n2. Kinderopvang (geen score)" in texts
    assert "1" in [annotation.get_text() for annotation in axes.texts]
    assert axes.get_xlabel().startswith("Afstand tot niveau 4") and axes.get_ylabel().startswith("Belang")
    assert to_png(figure).startswith(PNG)


def test_road_travelled_has_a_dot_per_round_where_there_are_scores(mini_roadmap, antwoorden):
    vorige = antwoorden.loc[antwoorden["stelling_id"] != "kinderopvang.1"]
    weg, _ = analysis.afgelegde_weg(vorige, antwoorden, mini_roadmap.stellingen)
    weg = weg.loc[weg["soort"] == "levensdomein"]
    figure = charts.afgelegde_weg(weg, mini_roadmap.schaal, "Ronde 1", "Ronde 2")
    axes = figure.axes[0]
    before, after = axes.collections[-2], axes.collections[-1]
    # kinderopvang had no score in round 1: no open circle there, a filled one in round 2
    assert np.ma.getmaskarray(before.get_offsets()).any(axis=1).tolist() == [False, True]
    assert np.ma.getmaskarray(after.get_offsets()).any(axis=1).tolist() == [False, False]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["Ronde 1", "Ronde 2"]
    labels = {label.get_text(): label.get_position()[1] for label in axes.get_yticklabels()}
    assert labels["Onderwijs"] > labels["Kinderopvang"], "the Roadmap's first domain at the top"
    assert to_png(figure).startswith(PNG)


def test_projector_size_has_larger_text(antwoorden, deelnemers, mini_roadmap):
    def largest_font(figure) -> float:
        return max(text.get_fontsize() for text in figure.findobj(Text))

    niveaus = analysis.per_onderdeel(antwoorden, mini_roadmap.stellingen)
    pairs = [
        (charts.spider(niveaus, mini_roadmap.schaal), charts.spider(niveaus, mini_roadmap.schaal, groot=True)),
        (
            charts.heatmap(antwoorden, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal),
            charts.heatmap(antwoorden, deelnemers, _domeinen(mini_roadmap), mini_roadmap.schaal, groot=True),
        ),
        (charts.prioriteitenmatrix(_ranking(mini_roadmap, antwoorden), mini_roadmap.schaal),
         charts.prioriteitenmatrix(_ranking(mini_roadmap, antwoorden), mini_roadmap.schaal, groot=True)),
    ]
    for normal, large in pairs:
        assert largest_font(large) > largest_font(normal)
        assert large.get_size_inches()[0] > normal.get_size_inches()[0]
    assert tuple(pairs[0][0].get_size_inches()) == (7.5, 6.5), "the report's spider keeps its size"
