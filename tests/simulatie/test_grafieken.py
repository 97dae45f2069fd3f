import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from hvhk.base.figures import to_png
from simulatie import grafieken


def _row(scenario, maat, gemiddelde, laag, hoog):
    return {"scenario": scenario, "maat": maat, "gemiddelde": gemiddelde, "ci_laag": laag, "ci_hoog": hoog}


def test_differences_are_drawn_where_they_are_with_shares_in_percentage_points():
    table = pd.DataFrame([
        _row("meer plaatsen", "aandeel_tijdig_geplaatst", 0.25, 0.2, 0.3),
        _row("meer plaatsen", "opgegeven_per_jaar", -12.0, -15.0, -9.0),
        _row("kwetsbaar eerst", "aandeel_tijdig_geplaatst", -0.01, -0.03, 0.01),
        _row("kwetsbaar eerst", "opgegeven_per_jaar", 2.0, 1.0, 3.0),
        _row("meer plaatsen", "bezetting", -0.03, -0.04, -0.02),
        _row("kwetsbaar eerst", "bezetting", -0.01, -0.02, 0.0),
    ])
    figure = grafieken.verschillen(table, ["aandeel_tijdig_geplaatst", "opgegeven_per_jaar", "bezetting"])
    shown = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title().replace("\n", " ") for axes in shown] == [
        "Tijdig geplaatst, alle gezinnen (%-punt)", "Gezinnen die het opgaven, per jaar",
        "Bezetting van de plaatsen (%-punt)"]
    dots = [[(line.get_xdata()[0], line.get_ydata()[0]) for line in axes.lines if line.get_marker() == "o"]
            for axes in shown]
    assert dots == [[(25.0, 1), (-1.0, 0)], [(-12.0, 1), (2.0, 0)], [(-3.0, 1), (-1.0, 0)]]  # first scenario on top
    assert [tick.get_text() for tick in shown[0].get_yticklabels()] == ["meer plaatsen", "kwetsbaar eerst"]
    assert len(figure.axes) == 4  # two rows of two panels, the unused one hidden


def _inside_and_apart(figure):
    """Every panel, with its title and tick labels, lies inside the figure, clear of the others and of
    the figure's title."""
    to_png(figure)  # drawn as a report draws it
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [axes.get_tightbbox(renderer) for axes in figure.axes if axes.get_visible()]
    boxes += [text.get_window_extent(renderer) for text in figure.texts]
    whole = figure.bbox
    for index, box in enumerate(boxes):
        assert whole.x0 <= box.x0 and box.x1 <= whole.x1 and whole.y0 <= box.y0 and box.y1 <= whole.y1, box
        for other in boxes[index + 1:]:
            assert not box.overlaps(other), (box, other)


def test_differences_with_long_names_fit_their_figure_without_overlap():
    names = ["meer plaatsen", "twintig procent van de plaatsen inkomenstarief voorbehouden aan kwetsbare gezinnen",
             "een loketmedewerker meer"]
    maten = ["antwoordtijd_gemiddeld_dagen", "wachttijd_mediaan_dagen", "aandeel_tijdig_geplaatst",
             "kloof_tijdig_kwetsbaar", "opgegeven_per_jaar"]
    table = pd.DataFrame([_row(name, maat, 1000.0 * index - 20, 1000.0 * index - 40, 1000.0 * index + 10)
                          for index, name in enumerate(names) for maat in maten])
    _inside_and_apart(grafieken.verschillen(table, maten))


def test_situations_fit_their_figure_without_overlap():
    summary = pd.DataFrame([{"maat": maat, "gemiddelde": 12345.6, "ci_laag": 12000.0, "ci_hoog": 13000.0}
                            for maat in grafieken.LOKET_MATEN])
    _inside_and_apart(grafieken.situaties({"Huidige situatie": summary, "Scenario": summary}))


def test_bars_of_0_stand_on_an_axis_from_0_without_negative_days_or_shares():
    summary = pd.DataFrame([{"maat": maat, "gemiddelde": 0.0, "ci_laag": 0.0, "ci_hoog": 0.0}
                            for maat in grafieken.LOKET_MATEN])
    figure = grafieken.situaties({"Huidige situatie": summary, "Scenario": summary})
    to_png(figure)
    for axes in figure.axes:
        assert axes.get_ylim() == (0.0, 1.0)
        assert [text.get_text() for text in axes.texts] == ["0", "0"]  # told apart from "geen waarde"
        assert not [tick.get_text() for tick in axes.get_yticklabels() if tick.get_text().startswith(("-", "\u2212"))]
