"""Step one of a workshop: pick or create the Huis, then pick or start the round."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from hvhk.apps import ui
from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_date
from hvhk.base.gemeenten import find_gemeente, gemeenten
from roadmap import store
from roadmap.definition import load_roadmap

NIEUW = -1  # the "new Huis" entry of the Huis drop-down


class HuisRondeKiezer:
    """Huis and round drop-downs, with forms for a new Huis and a new round.

    `bij_ronde` is called with the chosen round's id (or None) whenever the choice changes.
    """

    def __init__(self, connection: sqlite3.Connection, bij_ronde: Callable[[int | None], None]):
        self.connection = connection
        self.bij_ronde = bij_ronde
        self.message_line = ui.message_line()
        self.demo = widgets.HTML()
        self.huis = widgets.Dropdown(description="Huis", layout=widgets.Layout(width="34rem"))
        self.ronde = widgets.Dropdown(description="Ronde", layout=widgets.Layout(width="34rem"))
        for keuze in (self.huis, self.ronde):
            keuze.style.description_width = "5rem"
        self.naam = widgets.Text(description="Naam", placeholder="Huis van het Kind ...")
        self.gemeenten = widgets.TagsInput(allowed_tags=sorted(gemeenten()["naam"]), allow_duplicates=False)
        self.huis_opslaan = widgets.Button(description="Huis opslaan", button_style="primary")
        self.nieuw_huis = widgets.VBox(
            [self.naam, widgets.HTML("<p>Gemeenten (typ de naam en kies):</p>"), self.gemeenten, self.huis_opslaan]
        )
        self.datum = widgets.DatePicker(description="Datum", value=date.today())
        self.ronde_starten = widgets.Button(description="Nieuwe ronde starten")
        safe_callback = ui.safe_callback(self.message_line)
        self.huis.observe(safe_callback(self._huis_gekozen), names="value")
        self.ronde.observe(safe_callback(lambda change: self.bij_ronde(change["new"])), names="value")
        self.huis_opslaan.on_click(safe_callback(self._save_huis))
        self.ronde_starten.on_click(safe_callback(self._start_ronde))
        self.widget = widgets.VBox(
            [self.huis, self.nieuw_huis, self.demo, widgets.HBox([self.ronde, self.datum, self.ronde_starten]), self.message_line]
        )
        self._fill_huizen()

    def _fill_huizen(self, kies: int | None = None) -> None:
        huizen = store.huizen(self.connection)
        self.demo_huizen = set(huizen.loc[huizen["demo"], "id"])
        options = [(naam, huis_id) for naam, huis_id in zip(huizen["naam"], huizen["id"])]
        self.huis.options = [*options, ("➕ Nieuw Huis ...", NIEUW)]
        self.huis.value = kies if kies is not None else (options[0][1] if options else NIEUW)

    def _huis_gekozen(self, change=None) -> None:
        huis_id = self.huis.value
        self.nieuw_huis.layout.display = "" if huis_id == NIEUW else "none"
        self.demo.value = f"<p class='hvhk-fout'>Let op: dit Huis bevat {DEMO_LABEL}.</p>" if huis_id in self.demo_huizen else ""
        self.ronde.disabled = self.ronde_starten.disabled = self.datum.disabled = huis_id == NIEUW
        self._fill_rondes()

    def _fill_rondes(self, kies: int | None = None) -> None:
        rondes = store.rondes(self.connection, self.huis.value) if self.huis.value != NIEUW else None
        if rondes is None or rondes.empty:
            self.ronde.options = [("(nog geen ronde: start er een)", None)] if rondes is not None else []
            self.ronde.value = None
            self.bij_ronde(None)
            return
        self.ronde.options = [(f"Ronde {r.nummer} – {as_date(r.datum)}", r.id) for r in rondes.itertuples()]
        self.ronde.value = kies if kies is not None else int(rondes["id"].iloc[-1])

    def _save_huis(self, _=None) -> None:
        naam = self.naam.value.strip()
        if naam in set(store.huizen(self.connection)["naam"]):
            raise GebruikersFout(f"er bestaat al een Huis met de naam '{naam}': kies het in de lijst")
        huis_id = store.save_huis(self.connection, naam, [find_gemeente(g) for g in self.gemeenten.value])
        self.naam.value, self.gemeenten.value = "", []
        self._fill_huizen(kies=huis_id)
        ui.show(self.message_line, f"Huis '{naam}' opgeslagen. Start nu een ronde.")

    def _start_ronde(self, _=None) -> None:
        if self.datum.value is None:
            raise GebruikersFout("kies de datum van de ronde")
        rondes = store.rondes(self.connection, self.huis.value)
        nummer = int(rondes["nummer"].max()) + 1 if len(rondes) else 1
        ronde_id = store.save_ronde(self.connection, self.huis.value, nummer, self.datum.value.isoformat(), load_roadmap())
        self._fill_rondes(kies=ronde_id)
        ui.show(self.message_line, f"Ronde {nummer} gestart.")
