"""ipywidgets screens of the workshop app; the notebooks only call these functions."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML, Image, display

from hvhk.demodata import LABEL
from hvhk.formatting import datum
from roadmap import analysis, charts, store


def ronde_overzicht(database: Path) -> widgets.VBox:
    """Pick a Huis and a round; see who took part and where the group stands per levensdomein."""
    connection = store.connect(database)
    huizen = store.huizen(connection)
    message = widgets.HTML()
    output = widgets.Output()
    huis_keuze = widgets.Dropdown(description="Huis", options=list(zip(huizen["naam"], huizen["id"])))
    ronde_keuze = widgets.Dropdown(description="Ronde")
    for keuze in (huis_keuze, ronde_keuze):
        keuze.layout.width = "32rem"
        keuze.style.description_width = "5rem"

    def show_rondes(_=None) -> None:
        demo = huis_keuze.value is not None and bool(huizen.set_index("id").at[huis_keuze.value, "demo"])
        message.value = f"<p><strong>Let op: {LABEL}.</strong></p>" if demo else ""
        if huis_keuze.value is None:
            ronde_keuze.options = []
            return
        rondes = store.rondes(connection, huis_keuze.value)
        ronde_keuze.options = [
            (f"Ronde {r.nummer} – {datum(r.datum)}", r.id) for r in rondes.itertuples()
        ]
        ronde_keuze.value = rondes["id"].iloc[-1] if len(rondes) else None

    def show_ronde(_=None) -> None:
        output.clear_output()
        if ronde_keuze.value is None:
            return
        roadmap = store.ronde_roadmap(connection, ronde_keuze.value)
        niveaus = analysis.per_onderdeel(store.antwoorden(connection, ronde_keuze.value), roadmap.stellingen)
        deelnemers = store.deelnemers(connection, ronde_keuze.value)
        with output:
            display(HTML(f"<p>{len(deelnemers)} deelnemers</p>"))
            figure = charts.spider(niveaus.loc[niveaus["soort"] == "levensdomein"], "Waar staan we?")
            display(Image(charts.to_png(figure)))

    huis_keuze.observe(show_rondes, names="value")
    show_rondes()
    if huizen.empty:
        message.value = "<p>Er staan nog geen Huizen in de database.</p>"
    ronde_keuze.observe(show_ronde, names="value")
    show_ronde()
    return widgets.VBox([message, huis_keuze, ronde_keuze, output])
