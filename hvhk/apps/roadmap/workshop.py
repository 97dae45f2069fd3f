"""The coordinator's workshop app: Huis and round, participants, filling in, results, the discussion,
partner access."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import ipywidgets as widgets

from hvhk.apps import ui
from hvhk.apps.roadmap.bespreken import Bespreken
from hvhk.apps.roadmap.dashboard import Dashboard
from hvhk.apps.roadmap.deelnemers import Deelnemers
from hvhk.apps.roadmap.invullen import Invulscherm
from hvhk.apps.roadmap.kiezen import HuisRondeKiezer
from hvhk.base.paths import partner_address
from roadmap import store


class InvulTab:
    """Pick who fills in (a participant, or the group's consensus), then their Invulscherm."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.ronde_id: int | None = None
        self.message_line = ui.message_line()
        self.wie = widgets.Dropdown(description="Wie vult in?", layout=widgets.Layout(width="30rem"))
        self.wie.style.description_width = "7rem"
        self.scherm = widgets.VBox()
        self.wie.observe(ui.safe_callback(self.message_line)(self._show_screen), names="value")
        self.widget = widgets.VBox([self.wie, self.message_line, self.scherm])

    def show(self, ronde_id: int | None) -> None:
        self.ronde_id = ronde_id
        self.fill()

    def fill(self) -> None:
        people = store.deelnemers(self.connection, self.ronde_id) if self.ronde_id is not None else None
        if people is None or people.empty:
            self.wie.options = []
            self.scherm.children = [widgets.HTML("<p>Voeg eerst deelnemers toe bij 'Deelnemers'.</p>")]
            return
        current = self.wie.value
        self.wie.options = [(naam, int(deelnemer_id)) for naam, deelnemer_id in zip(people["naam"], people["id"])]
        if current in {value for _, value in self.wie.options}:
            self.wie.value = current

    def _show_screen(self, change) -> None:
        self.scherm.children = [] if change["new"] is None else [Invulscherm(self.connection, change["new"]).widget]


class Toegang:
    """The networked mode: the round's access code for the partners, and revealing the group view."""

    def __init__(self, connection: sqlite3.Connection, adres: str):
        self.connection = connection
        self.adres = adres
        self.ronde_id: int | None = None
        self.message_line = ui.message_line()
        self.code = widgets.HTML()
        self.nieuwe_code = widgets.Button(description="Nieuwe toegangscode", layout=widgets.Layout(width="auto"))
        self.tonen = widgets.Checkbox(description="Partners mogen het groepsresultaat zien", indent=False)
        safe_callback = ui.safe_callback(self.message_line)
        self.nieuwe_code.on_click(safe_callback(self._nieuwe_code))
        self.tonen.observe(safe_callback(self._zichtbaar), names="value")
        self.widget = widgets.VBox([self.code, self.nieuwe_code, self.tonen, self.message_line])

    def show(self, ronde_id: int | None) -> None:
        self.ronde_id = ronde_id
        self.widget.layout.display = "none" if ronde_id is None else ""
        if ronde_id is None:
            return
        code = store.toegangscode(self.connection, ronde_id) or store.new_toegangscode(self.connection, ronde_id)
        self._show_code(code)
        self.tonen.value = store.groep_zichtbaar(self.connection, ronde_id)

    def _show_code(self, code: str) -> None:
        self.code.value = ui.partner_toegang(self.adres, code) + (
            "<p class='hvhk-uitleg'>Elke partner ziet alleen de eigen antwoorden, tot u hieronder het"
            " groepsresultaat vrijgeeft.</p>"
        )

    def _nieuwe_code(self, _=None) -> None:
        self._show_code(store.new_toegangscode(self.connection, self.ronde_id))
        ui.show(self.message_line, "Nieuwe code gemaakt; de vorige werkt niet meer.")

    def _zichtbaar(self, change) -> None:
        if self.ronde_id is not None:
            store.set_groep_zichtbaar(self.connection, self.ronde_id, change["new"])


def workshop_app(database: Path) -> widgets.Widget:
    """The whole workshop on one screen, in tabs, for the coordinator."""
    connection = store.connect(database)
    dashboard = Dashboard(database)
    invullen = InvulTab(connection)
    deelnemers = Deelnemers(connection, bij_wijziging=invullen.fill)
    adres = partner_address()
    toegang = Toegang(connection, adres) if adres else None
    parts = [("Deelnemers", deelnemers), ("Invullen", invullen), ("Resultaten", dashboard),
             ("Bespreken", Bespreken(connection))]
    if toegang:
        parts.append(("Partners op hun toestel", toegang))
    tabs = widgets.Tab(children=[part.widget for _, part in parts], titles=[title for title, _ in parts])
    gekozen: dict[str, int | None] = {"ronde": None}

    def bij_ronde(ronde_id: int | None) -> None:
        gekozen["ronde"] = ronde_id
        tabs.layout.display = "none" if ronde_id is None else ""
        for title, part in parts:
            if title != "Resultaten" or tabs.selected_index == 2:  # charts only when looked at
                part.show(ronde_id)

    kiezer = HuisRondeKiezer(connection, bij_ronde)

    @ui.safe_callback(kiezer.message_line)
    def tab_gekozen(change) -> None:
        if parts[change["new"]][0] in ("Resultaten", "Bespreken"):  # drawn from the answers of this moment
            parts[change["new"]][1].show(gekozen["ronde"])

    tabs.observe(tab_gekozen, names="selected_index")
    return widgets.VBox([ui.style_sheet(), kiezer.widget, tabs])
