"""The action plan editor of the results dashboard: the group's priorities and its actions."""

from __future__ import annotations

import sqlite3
import textwrap
from html import escape

import ipywidgets as widgets
import pandas as pd

from hvhk.apps import ui
from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_date
from roadmap import store

STATUS_KEUZES = [(status.capitalize(), status) for status in store.STATUSSEN]


class Actieplan:
    """Choose the round's priorities, add actions and follow them up, saved at once in the store.

    A redraw of the dashboard refreshes what is saved, but never empties a form the coordinator
    is still filling in: the form is reset only when another round is shown or after saving.
    """

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.ronde_id: int | None = None
        self.message_line = ui.message_line()
        self.prioriteiten = widgets.SelectMultiple(description="Prioriteiten", rows=10)
        self.bewaard = widgets.HTML()
        self.prioriteiten_bewaren = widgets.Button(description="Prioriteiten bewaren", button_style="primary")
        self.tabel = widgets.HTML()
        self.omschrijving = widgets.Textarea(description="Actie", placeholder="Wat gaan we doen?")
        self.onderdeel = widgets.Dropdown(description="Onderdeel")
        self.trekker = widgets.Text(description="Trekker", placeholder="wie trekt de actie?")
        self.partners = widgets.Text(description="Partners", placeholder="wie doet mee?")
        self.termijn = widgets.DatePicker(description="Termijn")
        self.status = widgets.Dropdown(description="Status", options=STATUS_KEUZES)
        self.toevoegen = widgets.Button(description="Actie toevoegen", button_style="primary")
        self.actie = widgets.Dropdown(description="Actie")
        self.nieuwe_status = widgets.Dropdown(description="Nieuwe status", options=STATUS_KEUZES)
        self.status_wijzigen = widgets.Button(description="Status wijzigen")
        for field in (self.prioriteiten, self.omschrijving, self.onderdeel, self.trekker, self.partners, self.termijn,
                      self.status, self.actie, self.nieuwe_status):
            field.style.description_width = "7rem"
            field.layout.width = "36rem"
        safe_callback = ui.safe_callback(self.message_line)
        self.prioriteiten_bewaren.on_click(safe_callback(self._save_prioriteiten))
        self.toevoegen.on_click(safe_callback(self._add))
        self.status_wijzigen.on_click(safe_callback(self._wijzig_status))
        self.actie.observe(safe_callback(self._actie_gekozen), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h3>Prioriteiten van de groep</h3><p class='hvhk-uitleg'>Kies de levensdomeinen waar"
                             " de groep de komende tijd op inzet. Houd Ctrl (Cmd op een Mac) ingedrukt om er meer"
                             " dan één te kiezen.</p>"),
                self.prioriteiten, self.bewaard, self.prioriteiten_bewaren,
                widgets.HTML("<h3>Acties</h3>"), self.tabel,
                widgets.HTML("<h3>Nieuwe actie</h3>"),
                self.omschrijving, self.onderdeel, self.trekker, self.partners, self.termijn, self.status,
                self.toevoegen,
                widgets.HTML("<h3>Status van een actie wijzigen</h3>"),
                self.actie, self.nieuwe_status, self.status_wijzigen,
                self.message_line,
            ]
        )

    def show(self, ronde_id: int | None) -> None:
        """Show what is saved for `ronde_id`; a new round also resets the choices and the form."""
        if ronde_id != self.ronde_id:
            self.ronde_id = ronde_id
            self.message_line.value = ""
            roadmap = store.ronde_roadmap(self.connection, ronde_id) if ronde_id is not None else None
            self.prioriteiten.options = [(d.naam, d.id) for d in roadmap.levensdomeinen] if roadmap else []
            self.onderdeel.options = [(o.naam, o.id) for o in roadmap.onderdelen] if roadmap else []
            self._select_saved_prioriteiten()
            self._leeg_formulier()
        self._show_saved()

    def _namen(self) -> dict[str, str]:
        return {onderdeel_id: naam for naam, onderdeel_id in self.onderdeel.options}

    def _select_saved_prioriteiten(self) -> None:
        chosen = store.prioriteiten(self.connection, self.ronde_id) if self.ronde_id is not None else []
        self.prioriteiten.value = tuple(o for _, o in self.prioriteiten.options if o in chosen)

    def _leeg_formulier(self) -> None:
        self.omschrijving.value = self.trekker.value = self.partners.value = ""
        self.onderdeel.value = self.termijn.value = None
        self.status.value = "gepland"

    def _show_saved(self) -> None:
        """The saved priorities and the action table, and the actions to choose from for a new status."""
        if self.ronde_id is None:
            self.bewaard.value = self.tabel.value = ""
            self.actie.options = []
            return
        names = self._namen()
        chosen = [names.get(o, o) for o in store.prioriteiten(self.connection, self.ronde_id)]
        self.bewaard.value = (
            f"<p>Bewaard: {escape(', '.join(chosen))}.</p>" if chosen else "<p>Nog geen prioriteiten bewaard.</p>"
        )
        acties = store.acties(self.connection, self.ronde_id)
        if acties.empty:
            self.tabel.value = "<p>Nog geen acties.</p>"
        else:
            rows = [
                [a.omschrijving, names.get(a.onderdeel_id, a.onderdeel_id), a.trekker, a.partners,
                 as_date(a.termijn) if a.termijn else "–", a.status.capitalize()]
                for a in acties.itertuples()
            ]
            frame = pd.DataFrame(rows, columns=["Actie", "Onderdeel", "Trekker", "Partners", "Termijn", "Status"])
            self.tabel.value = frame.to_html(index=False, border=0, classes="hvhk-tabel")  # escapes every cell
        self.actie.options = [  # the chosen action stays chosen while it is in the list
            (f"{textwrap.shorten(a.omschrijving, 60, placeholder=' …')} ({names.get(a.onderdeel_id, '')})", int(a.id))
            for a in acties.itertuples()
        ]

    def _ronde(self) -> int:
        if self.ronde_id is None:
            raise GebruikersFout("kies eerst een Huis en een ronde")
        return self.ronde_id

    def _save_prioriteiten(self, _=None) -> None:
        ronde_id = self._ronde()
        if not self.prioriteiten.value:
            raise GebruikersFout("kies minstens één levensdomein als prioriteit")
        store.save_prioriteiten(self.connection, ronde_id, list(self.prioriteiten.value))
        self._show_saved()
        ui.show(self.message_line, "Prioriteiten bewaard.")

    def _add(self, _=None) -> None:
        ronde_id = self._ronde()
        if not self.omschrijving.value.strip():
            raise GebruikersFout("beschrijf eerst wat de actie inhoudt (het veld 'Actie' is leeg)")
        if self.onderdeel.value is None:
            raise GebruikersFout("kies bij welk onderdeel de actie hoort")
        store.save_actie(
            self.connection, ronde_id, self.onderdeel.value, self.omschrijving.value, self.trekker.value,
            self.partners.value, self.termijn.value.isoformat() if self.termijn.value else None, self.status.value,
        )
        self._leeg_formulier()
        self._show_saved()
        ui.show(self.message_line, "Actie toegevoegd.")

    def _actie_gekozen(self, change) -> None:
        if change["new"] is not None:
            self.nieuwe_status.value = self._gekozen_actie().status

    def _gekozen_actie(self) -> pd.Series:
        if self.actie.value is None:
            raise GebruikersFout("kies eerst de actie waarvan de status verandert")
        return store.acties(self.connection, self._ronde()).set_index("id").loc[self.actie.value]

    def _wijzig_status(self, _=None) -> None:
        actie = self._gekozen_actie()
        store.save_actie(
            self.connection, self._ronde(), actie.onderdeel_id, actie.omschrijving, actie.trekker, actie.partners,
            actie.termijn, self.nieuwe_status.value, actie_id=self.actie.value,
        )
        self._show_saved()
        ui.show(self.message_line, f"Status gewijzigd in '{self.nieuwe_status.value}'.")
