import pandas as pd

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
