"""The partner's screen in a networked workshop: access code, who you are, your own answers.

A partner sees only their own answers; the group's results appear only after the coordinator
releases them for the round. Coming back with the same name (after a reload, or on another
device; letter case and spaces do not count, see `store.deelnemer_key`) reopens the answers saved so far.
"""

from __future__ import annotations

import time
from pathlib import Path

import ipywidgets as widgets
from IPython.display import Image

from hvhk.apps import ui
from hvhk.apps.roadmap.deelnemers import domein_opties
from hvhk.apps.roadmap.invullen import Invulscherm
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from roadmap import analysis, charts, store

WACHT_NA_FOUTE_CODE = 1.0  # seconds: makes guessing codes slow without bothering a partner who mistyped


def deelnemen_app(database: Path, toegangscode: str = "") -> widgets.Widget:
    """The partner's screen; `toegangscode` is filled in (the QR code's link carries it)."""
    connection = store.connect(database)
    message_line = ui.message_line()
    safe_callback = ui.safe_callback(message_line)
    code = widgets.Text(value=toegangscode.strip()[:20], description="Toegangscode", placeholder="bv. K7P3QX")
    verder = widgets.Button(description="Verder", button_style="primary")
    naam = widgets.Text(description="Naam", placeholder="naam of schuilnaam")
    organisatie = widgets.Text(description="Organisatie")
    domein = widgets.Dropdown(description="Levensdomein")
    beginnen = widgets.Button(description="Beginnen", button_style="primary")
    for field in (code, naam, organisatie, domein):
        field.style.description_width = "7rem"
    stap_code = widgets.VBox([widgets.HTML("<p>Typ de code die de begeleider toont.</p>"), code, verder])
    stap_wie = widgets.VBox([widgets.HTML("<p>Wie bent u? Een schuilnaam mag.</p>"), naam, organisatie, domein, beginnen])
    stap_wie.layout.display = "none"
    invullen = widgets.VBox()
    groep = widgets.Output()
    groep_knop = widgets.Button(description="Groepsresultaat bekijken")
    groep_knop.layout.display = "none"
    ronde: dict[str, int] = {}

    @safe_callback
    def open_ronde(_=None) -> None:
        ronde_id = store.ronde_voor_code(connection, code.value)
        if ronde_id is None:
            time.sleep(WACHT_NA_FOUTE_CODE)
            raise GebruikersFout("deze toegangscode klopt niet; vraag de code aan de begeleider")
        ronde["id"] = ronde_id
        domein.options = domein_opties(connection, ronde_id)
        stap_code.layout.display, stap_wie.layout.display = "none", ""
        message_line.value = ""

    @safe_callback
    def begin(_=None) -> None:
        if not naam.value.strip():
            raise GebruikersFout("geef een naam of een schuilnaam op")
        eerder = store.find_deelnemer(connection, ronde["id"], naam.value)  # "an" finds the "An" of before
        deelnemer_id = store.save_deelnemer(
            connection, ronde["id"], naam.value, organisatie.value,
            eerder["levensdomein_id"] if eerder is not None and domein.value is None else domein.value,
        )
        invullen.children = [Invulscherm(connection, deelnemer_id).widget]
        stap_wie.layout.display, groep_knop.layout.display = "none", ""
        welkom = "Welkom terug: uw antwoorden staan er nog." if eerder is not None else "Elk antwoord wordt meteen bewaard."
        ui.show(message_line, welkom)

    @safe_callback
    def show_groep(_=None) -> None:
        groep.clear_output()
        if not store.groep_zichtbaar(connection, ronde["id"]):
            raise GebruikersFout("de begeleider heeft het groepsresultaat nog niet vrijgegeven")
        roadmap = store.ronde_roadmap(connection, ronde["id"])
        niveaus = analysis.per_onderdeel(store.antwoorden(connection, ronde["id"]), roadmap.stellingen)
        figure = charts.spider(niveaus.loc[niveaus["soort"] == "levensdomein"], roadmap.schaal, "Waar staan we samen?")
        groep.append_display_data(Image(to_png(figure)))

    verder.on_click(open_ronde)
    beginnen.on_click(begin)
    groep_knop.on_click(show_groep)
    app = widgets.VBox([ui.style_sheet(), stap_code, stap_wie, message_line, invullen, groep_knop, groep])
    app.add_class(ui.TELEFOON)
    return app
