"""One participant fills in the Roadmap, onderdeel by onderdeel; every click is saved at once.

Saving on each change, not on a final button, means a closed tab or a crashed laptop loses at
most the click that was in flight; reopening the screen shows the stored answers again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Container
from html import escape

import ipywidgets as widgets
import pandas as pd

from hvhk.apps import ui
from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.definition import Onderdeel

SOORT_LABEL = {"levensdomein": "Levensdomein", "werkingsprincipe": "Werkingsprincipe", "groeithema": "Groeithema"}


def onderdeel_label(soort: str, onderdeel: Onderdeel, beantwoord: Container[str]) -> str:
    """How a list of onderdelen names one: its kind, its name, and how many of its stellingen are answered."""
    done = sum(s.id in beantwoord for s in onderdeel.stellingen)
    mark = " ✓" if done == len(onderdeel.stellingen) else f" ({done}/{len(onderdeel.stellingen)})"
    return f"{SOORT_LABEL[soort]}: {onderdeel.naam}{mark}"


class Invulscherm:
    """The answers of one participant in one round, with a progress bar and per-onderdeel pages."""

    def __init__(self, connection: sqlite3.Connection, deelnemer_id: int):
        self.connection = connection
        self.deelnemer_id = deelnemer_id
        self.roadmap = store.ronde_roadmap(connection, store.deelnemer_ronde(connection, deelnemer_id))
        self.onderdelen = [(soort, o) for soort, groep in self.roadmap.groepen for o in groep]
        self.totaal = len(self.roadmap.stellingen)
        answers = store.antwoorden(connection, store.deelnemer_ronde(connection, deelnemer_id))
        answers = answers.loc[answers["deelnemer_id"] == deelnemer_id]
        self.antwoorden: dict[str, tuple[tuple[str, int | None], str]] = {
            row.stelling_id: ((row.keuze, None if pd.isna(row.niveau) else int(row.niveau)), row.toelichting)
            for row in answers.itertuples()
        }
        belang = store.belangen(connection, store.deelnemer_ronde(connection, deelnemer_id))
        self.belang = dict(belang.loc[belang["deelnemer_id"] == deelnemer_id, ["onderdeel_id", "belang"]].values)

        self.message_line = ui.message_line()
        self.voortgang = widgets.IntProgress(min=0, max=self.totaal, description="Voortgang")
        self.teller = widgets.Label()
        self.kiezer = widgets.Dropdown(description="Onderdeel", layout=widgets.Layout(width="34rem"))
        self.kiezer.style.description_width = "6rem"
        self.vorige = widgets.Button(description="◀ Vorige", tooltip="Vorig onderdeel")
        self.volgende = widgets.Button(description="Volgende ▶", button_style="primary", tooltip="Volgend onderdeel")
        self.pagina = widgets.VBox()
        legend = "".join(
            f"<li><strong>{escape(n.label)}</strong> ({n.waarde}): {escape(n.beschrijving)}</li>"
            for n in self.roadmap.schaal.niveaus
        )
        uitleg = widgets.HTML(
            "<details><summary>Wat betekenen de niveaus?</summary>"
            f"<ul class='hvhk-uitleg'>{legend}</ul></details>"
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.voortgang, self.teller]),
                uitleg,
                widgets.HBox([self.vorige, self.kiezer, self.volgende]),
                self.message_line,
                self.pagina,
            ]
        )
        self.widget.add_class("hvhk-invullen")
        safe_callback = ui.safe_callback(self.message_line)
        self.kiezer.observe(safe_callback(lambda change: self._show(change["new"])), names="value")
        self.vorige.on_click(safe_callback(lambda _: self._stap(-1)))
        self.volgende.on_click(safe_callback(lambda _: self._stap(1)))
        self._refresh_picker()
        self._show(0)

    def _stap(self, richting: int) -> None:
        self.kiezer.value = min(max(self.kiezer.value + richting, 0), len(self.onderdelen) - 1)

    def _refresh_picker(self) -> None:
        """The onderdelen in the drop-down, each with how many of its stellingen are answered."""
        options = [(onderdeel_label(soort, o, self.antwoorden), index) for index, (soort, o) in enumerate(self.onderdelen)]
        value = self.kiezer.value
        self.kiezer.options = options
        self.kiezer.value = value if value is not None else 0
        self.voortgang.value = len(self.antwoorden)
        self.teller.value = f"{len(self.antwoorden)} van {self.totaal} stellingen beantwoord"

    def _show(self, index: int) -> None:
        soort, onderdeel = self.onderdelen[index]
        self.message_line.value = ""
        self.vorige.disabled = index == 0
        self.volgende.disabled = index == len(self.onderdelen) - 1
        intro = (f"<h3>{escape(SOORT_LABEL[soort])}: {escape(onderdeel.naam)}</h3>"
                 f"<p class='hvhk-uitleg'>{escape(onderdeel.beschrijving)}</p>")
        if soort == "levensdomein":
            intro += f"<p class='hvhk-uitleg'><em>Meerwaarde:</em> {escape(onderdeel.meerwaarde)}</p>"
        items: list[widgets.Widget] = [widgets.HTML(intro)]
        items += [self._stelling(nummer, stelling) for nummer, stelling in enumerate(onderdeel.stellingen, 1)]
        if soort == "levensdomein":
            items.append(self._belang(onderdeel))
        self.pagina.children = items

    def _stelling(self, nummer: int, stelling) -> widgets.Widget:
        (keuze, toelichting) = self.antwoorden.get(stelling.id, (None, ""))
        knoppen = widgets.ToggleButtons(
            options=list(self.roadmap.schaal.antwoorden.items()),
            value=keuze,
            tooltips=[n.beschrijving for n in self.roadmap.schaal.niveaus] + ["", ""],
            style={"button_width": "9.5rem"},
        )
        knoppen.add_class(f"stelling-{stelling.id.replace('.', '-')}")
        uitleg = widgets.Text(
            value=toelichting, placeholder="Toelichting (niet verplicht)", continuous_update=False,
            layout=widgets.Layout(width="40rem"),
        )
        safe_callback = ui.safe_callback(self.message_line)
        knoppen.observe(safe_callback(lambda change: self._save(stelling.id, change["new"], uitleg.value)), names="value")
        uitleg.observe(safe_callback(lambda change: self._save_toelichting(stelling.id, change["new"])), names="value")
        tekst = widgets.HTML(f"<p><strong>{nummer}.</strong> {escape(stelling.tekst)}</p>")
        return widgets.VBox([tekst, knoppen, uitleg], layout=widgets.Layout(margin="0 0 1rem 0"))

    def _belang(self, onderdeel: Onderdeel) -> widgets.Widget:
        knoppen = widgets.ToggleButtons(
            options=[(label, value) for label, value in self.roadmap.schaal.belangen.items()],
            value=self.belang.get(onderdeel.id),
            style={"button_width": "12rem"},
        )
        knoppen.add_class(f"belang-{onderdeel.id}")
        save = ui.safe_callback(self.message_line)(lambda change: self._save_belang(onderdeel.id, change["new"]))
        knoppen.observe(save, "value")
        vraag = f"<p><strong>Hoe belangrijk is {escape(onderdeel.naam)} voor ons Huis?</strong></p>"
        return widgets.VBox([widgets.HTML(vraag), knoppen])

    def _save(self, stelling_id: str, keuze: tuple[str, int | None] | None, toelichting: str) -> None:
        if keuze is None:
            return
        soort, niveau = keuze
        store.save_antwoorden(
            self.connection,
            self.deelnemer_id,
            pd.DataFrame([{"stelling_id": stelling_id, "keuze": soort, "niveau": niveau, "toelichting": toelichting}]),
        )
        self.antwoorden[stelling_id] = (keuze, toelichting)
        self._refresh_picker()

    def _save_toelichting(self, stelling_id: str, toelichting: str) -> None:
        if stelling_id not in self.antwoorden:
            raise GebruikersFout("kies eerst een antwoord: de toelichting wordt samen met het antwoord bewaard")
        self._save(stelling_id, self.antwoorden[stelling_id][0], toelichting.strip())

    def _save_belang(self, onderdeel_id: str, waarde: int | None) -> None:
        if waarde is not None:
            store.save_belang(self.connection, self.deelnemer_id, {onderdeel_id: waarde})
            self.belang[onderdeel_id] = waarde
