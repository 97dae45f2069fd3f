"""Who takes part in a round: add participants and follow how far each one got."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from html import escape

import ipywidgets as widgets

from hvhk.apps import ui
from hvhk.base.errors import GebruikersFout
from roadmap import store

CONSENSUS = "Groep (consensus)"  # one participant for a group that agrees its answers together


def domein_opties(connection: sqlite3.Connection, ronde_id: int) -> list[tuple[str, str | None]]:
    """The levensdomeinen a partner can come from, plus 'none of them'."""
    roadmap = store.ronde_roadmap(connection, ronde_id)
    return [("(geen of ander domein)", None), *[(d.naam, d.id) for d in roadmap.levensdomeinen]]


def nieuwe_deelnemer(
    connection: sqlite3.Connection, ronde_id: int, naam: str, organisatie: str, levensdomein_id: str | None
) -> int:
    """Add a participant to a round, refusing a name that is taken (`store.deelnemer_key`): a second
    "An" would otherwise silently become the first one."""
    naam = naam.strip()
    if not naam:
        raise GebruikersFout("geef een naam of een schuilnaam op")
    if store.find_deelnemer(connection, ronde_id, naam) is not None:
        raise GebruikersFout(f"er is al een deelnemer '{naam}' in deze ronde; kies een andere naam of schuilnaam")
    return store.save_deelnemer(connection, ronde_id, naam, organisatie, levensdomein_id)


class Deelnemers:
    """The participant form and a table with each participant's progress."""

    def __init__(self, connection: sqlite3.Connection, bij_wijziging: Callable[[], None]):
        self.connection = connection
        self.bij_wijziging = bij_wijziging
        self.ronde_id: int | None = None
        self.message_line = ui.message_line()
        self.naam = widgets.Text(description="Naam", placeholder="naam of schuilnaam")
        self.organisatie = widgets.Text(description="Organisatie")
        self.domein = widgets.Dropdown(description="Levensdomein")
        for field in (self.naam, self.organisatie, self.domein):
            field.style.description_width = "7rem"
            field.layout.width = "30rem"
        self.toevoegen = widgets.Button(description="Deelnemer toevoegen", button_style="primary")
        self.consensus = widgets.Button(description="Groepsconsensus toevoegen", tooltip=f"Eén deelnemer '{CONSENSUS}'")
        self.vernieuwen = widgets.Button(description="Vernieuwen", icon="refresh")
        self.tabel = widgets.HTML()
        safe_callback = ui.safe_callback(self.message_line)
        self.toevoegen.on_click(safe_callback(self._add))
        self.consensus.on_click(safe_callback(self._add_consensus))
        self.vernieuwen.on_click(safe_callback(lambda _: self._fill_table()))
        self.widget = widgets.VBox(
            [
                widgets.HTML("<p class='hvhk-uitleg'>Voeg elke partner toe die meedoet. Een schuilnaam mag; de"
                             " rapporten en exports tonen nooit namen.</p>"),
                self.naam, self.organisatie, self.domein,
                widgets.HBox([self.toevoegen, self.consensus]),
                self.message_line,
                widgets.HBox([widgets.HTML("<h4>Wie doet mee?</h4>"), self.vernieuwen],
                             layout=widgets.Layout(align_items="center")),
                self.tabel,
            ]
        )

    def show(self, ronde_id: int | None) -> None:
        self.ronde_id = ronde_id
        self.message_line.value = ""
        self.widget.layout.display = "none" if ronde_id is None else ""
        if ronde_id is not None:
            self.domein.options = domein_opties(self.connection, ronde_id)
            self._fill_table()

    def _add(self, _=None) -> None:
        naam = self.naam.value.strip()
        nieuwe_deelnemer(self.connection, self.ronde_id, naam, self.organisatie.value, self.domein.value)
        self.naam.value = self.organisatie.value = ""
        self.domein.value = None
        ui.show(self.message_line, f"{naam} is toegevoegd.")
        self._fill_table()
        self.bij_wijziging()

    def _add_consensus(self, _=None) -> None:
        nieuwe_deelnemer(self.connection, self.ronde_id, CONSENSUS, "", None)
        ui.show(self.message_line, f"'{CONSENSUS}' is toegevoegd: kies die bij 'Invullen'.")
        self._fill_table()
        self.bij_wijziging()

    def _fill_table(self) -> None:
        people = store.deelnemers(self.connection, self.ronde_id).merge(
            store.voortgang(self.connection, self.ronde_id)[["id", "beantwoord"]], on="id"
        )
        totaal = len(store.ronde_roadmap(self.connection, self.ronde_id).stellingen)
        names = {domein_id: naam for naam, domein_id in domein_opties(self.connection, self.ronde_id)}
        if people.empty:
            self.tabel.value = "<p>Nog geen deelnemers.</p>"
            return
        rows = "".join(
            f"<tr><td>{escape(p.naam)}</td><td>{escape(p.organisatie)}</td>"
            f"<td>{escape(names.get(p.levensdomein_id, '–'))}</td>"
            f"<td><progress max='{totaal}' value='{p.beantwoord}'></progress> {p.beantwoord} van {totaal}</td></tr>"
            for p in people.itertuples()
        )
        self.tabel.value = (
            "<table class='hvhk-tabel hvhk-deelnemers'><thead><tr><th>Naam</th><th>Organisatie</th><th>Levensdomein</th>"
            f"<th>Beantwoord</th></tr></thead><tbody>{rows}</tbody></table>"
        )
