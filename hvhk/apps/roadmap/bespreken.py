"""The coordinator's discussion step: the stellingen the partners split on, taken up one at a time,
voted on again from the phones, and the group's agreed level recorded.

The stelling under discussion is drawn as HTML bars (not a chart image): a projector shows them
sharp, and while a vote is open they are redrawn every POLL seconds from the store, cheaply, so the
room sees the votes arrive.
"""

from __future__ import annotations

import html
import sqlite3

import ipywidgets as widgets
import pandas as pd

from hvhk.apps import ui
from hvhk.base.formatting import as_number
from roadmap import bespreking, store
from roadmap.definition import Schaal

POLL = 1.0  # seconds between looks at the votes while a vote is open: the projector follows within 2 s
GEEN = -1  # the level choice for "no agreement": the group stays split
BALKEN = """<style>
.hvhk-balken { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr 3rem; gap: .25rem .6rem;
  align-items: center; margin: .3rem 0 1rem; }
.hvhk-balk { height: 1.3rem; background: #1f6f9f; border-radius: 2px; min-width: 2px; }
.hvhk-balk.na { background: #B35900; }
.hvhk-stelling-tekst { font-size: 1.25rem; font-weight: 600; margin: .3rem 0 .6rem; }
.hvhk-eens { color: #1B7A3A; font-weight: 600; } .hvhk-verdeeld { color: #B00020; font-weight: 600; }
</style>"""


class Bespreken:
    """Choose the stellingen to discuss, then show one at a time with its spread before and after."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.ronde_id: int | None = None
        self.schaal: Schaal | None = None
        self.getoond: str | None = None  # the HTML of the stelling drawn last: polling redraws only on a change
        self.message_line = ui.message_line()
        self.peiler = ui.Peiler(self._refresh, POLL, self.message_line)  # while a vote is open
        self.voorstel = widgets.VBox()
        self.toevoegen = widgets.Button(description="Deze stellingen bespreken", button_style="primary",
                                        layout=widgets.Layout(width="auto"))
        self.stelling = widgets.Dropdown(description="Stelling", layout=widgets.Layout(width="44rem"))
        self.stelling.style.description_width = "5rem"
        self.vorige = widgets.Button(description="◀ Vorige", layout=widgets.Layout(width="auto"))
        self.volgende = widgets.Button(description="Volgende ▶", layout=widgets.Layout(width="auto"))
        self.stemming = widgets.ToggleButton(description="Stemming openen", icon="mobile",
                                             layout=widgets.Layout(width="auto"))
        self.projectie = widgets.ToggleButton(description="Projectiemodus", icon="desktop")
        self.kaart = widgets.HTML()
        self.niveau = widgets.ToggleButtons(description="Besluit", style={"button_width": "auto"})
        self.notitie = widgets.Textarea(placeholder="Korte notitie: waarom dit niveau, wat de groep afspreekt",
                                        layout=widgets.Layout(width="44rem", height="4.5rem"))
        self.vastleggen = widgets.Button(description="Besluit vastleggen", button_style="success",
                                         layout=widgets.Layout(width="auto"))
        safe_callback = ui.safe_callback(self.message_line)
        self.toevoegen.on_click(safe_callback(self._add))
        self.stelling.observe(safe_callback(lambda _: self._draw()), names="value")
        self.vorige.on_click(safe_callback(lambda _: self._step(-1)))
        self.volgende.on_click(safe_callback(lambda _: self._step(1)))
        self.stemming.observe(safe_callback(self._toggle_stemming), names="value")
        self.projectie.observe(safe_callback(self._projectie), names="value")
        self.vastleggen.on_click(safe_callback(self._record))
        self.kiezen = widgets.VBox([
            widgets.HTML("<h3>Welke stellingen bespreken we?</h3>"),
            widgets.HTML(f"<p class='hvhk-uitleg'>Voorgesteld: de stellingen waarop de partners verdeeld zijn, de meest"
                         f" gelijk verdeelde eerst, dan wat de groep het belangrijkst vindt. {bespreking.regel()}</p>"),
            self.voorstel, self.toevoegen,
        ])
        self.bespreken = widgets.VBox([
            widgets.HBox([self.vorige, self.stelling, self.volgende]),
            widgets.HBox([self.stemming, self.projectie]),
            self.kaart,
            self.niveau, self.notitie, self.vastleggen,
        ])
        self.widget = widgets.VBox([widgets.HTML(BALKEN), self.message_line, self.bespreken, self.kiezen])
        self.widget.add_class("hvhk-bespreken")

    def show(self, ronde_id: int | None) -> None:
        self.ronde_id = ronde_id
        self.widget.layout.display = "none" if ronde_id is None else ""
        if ronde_id is None:
            self.peiler.on(False)
            return
        self.schaal = store.ronde_roadmap(self.connection, ronde_id).schaal
        self.niveau.options = [(label, niveau) for label, (keuze, niveau) in self.schaal.antwoorden.items()
                               if keuze == "niveau"] + [("Geen overeenstemming", GEEN)]
        self._fill_voorstel()
        self._fill_lijst(store.stemming(self.connection, ronde_id) or self.stelling.value)

    # --- choosing -------------------------------------------------------------------------------

    def _fill_voorstel(self) -> None:
        roadmap = store.ronde_roadmap(self.connection, self.ronde_id)
        planned = set(store.besprekingen(self.connection, self.ronde_id)["stelling_id"])
        proposal = bespreking.voorstel(store.antwoorden(self.connection, self.ronde_id), roadmap.stellingen,
                                       store.belangen(self.connection, self.ronde_id), roadmap.schaal)
        proposal = proposal.loc[~proposal["stelling_id"].isin(planned)]
        boxes = [widgets.Checkbox(value=False, indent=False, description=_voorstel_label(row),
                                  layout=widgets.Layout(width="60rem")) for row in proposal.itertuples()]
        for box, stelling_id in zip(boxes, proposal["stelling_id"]):
            box.stelling_id = stelling_id
        self.voorstel.children = boxes or [widgets.HTML(
            "<p>Geen (andere) stellingen waarop de partners verdeeld zijn.</p>")]
        self.toevoegen.layout.display = "" if boxes else "none"

    def _add(self, _=None) -> None:
        chosen = [box.stelling_id for box in self.voorstel.children if getattr(box, "value", False) is True]
        if not chosen:
            ui.show(self.message_line, "Vink eerst de stellingen aan die de groep wil bespreken.", fout=True)
            return
        store.plan_bespreking(self.connection, self.ronde_id, chosen)
        ui.show(self.message_line, f"{_stellingen(len(chosen))} toegevoegd aan de bespreking.")
        self._fill_voorstel()
        self._fill_lijst(self.stelling.value or chosen[0])

    # --- one stelling at a time -----------------------------------------------------------------

    def _fill_lijst(self, kies: str | None) -> None:
        planned = store.besprekingen(self.connection, self.ronde_id)
        teksten = store.ronde_roadmap(self.connection, self.ronde_id).stellingen.set_index("stelling_id")["tekst"]
        options = [(f"{number}. {_kort(teksten[row.stelling_id])}" + (" ✓" if row.vastgelegd else ""),
                    row.stelling_id) for number, row in enumerate(planned.itertuples(), start=1)]
        self.bespreken.layout.display = "" if options else "none"
        self.stelling.options = options  # draws the first one ...
        if kies in dict(options).values():
            self.stelling.value = kies  # ... or the one asked for
        self._draw()

    def _step(self, richting: int) -> None:
        values = [value for _, value in self.stelling.options]
        if self.stelling.value in values:
            index = min(max(values.index(self.stelling.value) + richting, 0), len(values) - 1)
            self.stelling.value = values[index]

    def _draw(self) -> None:
        """Draw the chosen stelling from what the store holds now."""
        stelling_id = self.stelling.value
        if self.ronde_id is None or stelling_id is None:
            self.kaart.value, self.getoond = "", None
            return
        open_nu = store.stemming(self.connection, self.ronde_id) == stelling_id
        self.stemming.unobserve_all("value")  # showing the state of the store is no click
        self.stemming.value = open_nu
        self.stemming.observe(ui.safe_callback(self.message_line)(self._toggle_stemming), names="value")
        self.stemming.description = "Stemming sluiten" if open_nu else "Stemming openen"
        self.peiler.on(open_nu)
        recorded = store.besprekingen(self.connection, self.ronde_id).set_index("stelling_id").loc[stelling_id]
        if pd.notna(recorded["vastgelegd"]):
            self.niveau.value = GEEN if pd.isna(recorded["niveau"]) else int(recorded["niveau"])
            self.notitie.value = recorded["notitie"]
        else:
            self.niveau.value, self.notitie.value = None, ""
        self._refresh()

    def _refresh(self) -> None:
        if self.ronde_id is None or self.stelling.value is None:
            return
        kaart = self._kaart(self.stelling.value)
        if kaart != self.getoond:
            self.kaart.value = self.getoond = kaart

    def _kaart(self, stelling_id: str) -> str:
        roadmap = store.ronde_roadmap(self.connection, self.ronde_id)
        stelling = roadmap.stellingen.set_index("stelling_id").loc[stelling_id]
        eerst = store.antwoorden(self.connection, self.ronde_id)
        eerst = eerst.loc[eerst["stelling_id"] == stelling_id]
        na = store.stemmen(self.connection, self.ronde_id)
        na = na.loc[na["stelling_id"] == stelling_id]
        partners = len(store.deelnemers(self.connection, self.ronde_id))
        voor_regel = _oordeel(eerst, roadmap)
        delen = [
            f"<p class='hvhk-uitleg'>{html.escape(stelling['onderdeel'])}</p>",
            f"<p class='hvhk-stelling-tekst'>{html.escape(stelling['tekst'])}</p>",
            f"<h4>Eerste ronde: {len(eerst)} antwoorden · {voor_regel}</h4>",
            _balken(bespreking.verdeling(eerst, stelling_id, roadmap.schaal), ""),
        ]
        if len(na) or self.stemming.value:
            delen += [f"<h4>Na de bespreking: {len(na)} van {partners} partners stemden opnieuw · {_oordeel(na, roadmap)}"
                      "</h4>", _balken(bespreking.verdeling(na, stelling_id, roadmap.schaal), "na")]
        toelichtingen = [t for t in eerst["toelichting"] if t]
        if toelichtingen:
            items = "".join(f"<li>{html.escape(t)}</li>" for t in toelichtingen)
            delen.append(f"<h4>Toelichtingen (zonder namen)</h4><ul>{items}</ul>")
        return "".join(delen)

    # --- voting and recording -------------------------------------------------------------------

    def _toggle_stemming(self, change) -> None:
        if self.ronde_id is None or self.stelling.value is None:
            return
        if change["new"]:
            store.open_stemming(self.connection, self.ronde_id, self.stelling.value)
            ui.show(self.message_line, "De stemming is open: de partners zien de stelling op hun toestel.")
        elif store.stemming(self.connection, self.ronde_id) == self.stelling.value:
            store.close_stemming(self.connection, self.ronde_id)
            ui.show(self.message_line, "De stemming is gesloten.")
        self.stemming.description = "Stemming sluiten" if change["new"] else "Stemming openen"
        self.peiler.on(change["new"])
        self._refresh()

    def _record(self, _=None) -> None:
        if self.niveau.value is None:
            ui.show(self.message_line, "Kies eerst het niveau waarover de groep het eens is, of 'Geen overeenstemming'.",
                    fout=True)
            return
        niveau = None if self.niveau.value == GEEN else self.niveau.value
        store.save_uitkomst(self.connection, self.ronde_id, self.stelling.value, niveau, self.notitie.value)
        ui.show(self.message_line, "Besluit vastgelegd; de stemming over deze stelling is gesloten.")
        self._fill_lijst(self.stelling.value)

    def _projectie(self, change) -> None:
        if change["new"]:
            self.widget.add_class(ui.PROJECTOR)
        else:
            self.widget.remove_class(ui.PROJECTOR)
        self.kiezen.layout.display = "none" if change["new"] else ""


def _voorstel_label(row) -> str:
    return (f"{row.onderdeel}: {_kort(row.tekst, 90)} ({row.laag} laag, {row.hoog} hoog"
            + (f", belang {as_number(row.belang)}" if pd.notna(row.belang) else "") + ")")


def _stellingen(aantal: int) -> str:
    return "1 stelling" if aantal == 1 else f"{aantal} stellingen"


def _kort(tekst: str, lengte: int = 70) -> str:
    return tekst if len(tekst) <= lengte else tekst[:lengte - 1].rstrip() + "…"


def _oordeel(antwoorden: pd.DataFrame, roadmap) -> str:
    """'eens' or 'verdeeld' by the rule, for the answers to one stelling."""
    stelling_ids = antwoorden["stelling_id"].unique()
    if not len(stelling_ids):
        return "nog geen scores"
    result = bespreking.overeenstemming(antwoorden, roadmap.stellingen.loc[
        roadmap.stellingen["stelling_id"].isin(stelling_ids)], roadmap.schaal).iloc[0]
    if pd.isna(result["eens"]):
        return "nog geen scores"
    if result["eens"]:
        return f"<span class='hvhk-eens'>eens</span> (op {result['band']})"
    return f"<span class='hvhk-verdeeld'>verdeeld</span> ({result['buiten']} buiten {result['band']})"


def _balken(verdeling: pd.Series, soort: str) -> str:
    """One horizontal bar per answer option, as wide as its share of the largest count."""
    grootste = max(int(verdeling.max()), 1)
    rijen = "".join(
        f"<span>{html.escape(label)}</span><div><div class='hvhk-balk {soort}' style='width:{100 * aantal / grootste:.0f}%'>"
        f"</div></div><span class='getal'>{aantal}</span>"
        for label, aantal in verdeling.items()
    )
    return f"<div class='hvhk-balken'>{rijen}</div>"
