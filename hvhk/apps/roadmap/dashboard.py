"""The results dashboard of a round, live during the workshop, and the results app around it."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from hvhk.apps import ui
from hvhk.apps.roadmap.actieplan import Actieplan
from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from hvhk.base.formatting import as_date, as_difference, as_number, as_percent
from hvhk.base.paths import partner_address
from roadmap import analysis, charts, store
from roadmap.definition import reeks
from roadmap.resultaten import RondeResultaten

INTERVAL = 5  # seconds between two looks at the store while "Automatisch vernieuwen" is on
SECTIES = [
    "Waar staan we?", "Verschillen tussen partners", "Blinde vlekken", "Prioriteiten", "Afgelegde weg", "Actieplan"
]

class Dashboard:
    """The results of one round in tabs, redrawn on demand or, when asked, whenever the store changes."""

    def __init__(self, database: Path):
        self.connection = store.connect(database)
        self.ronde_id: int | None = None
        self.handtekening: tuple | None = None
        self.message_line = ui.message_line()
        self.peiler = ui.Peiler(self._refresh_if_changed, INTERVAL, self.message_line)
        self.samenvatting = widgets.HTML()
        self.toegang = widgets.HTML()  # in projector mode during a networked workshop: how partners join
        self.vernieuwen = widgets.Button(description="Vernieuwen", icon="refresh")
        self.automatisch = widgets.Checkbox(description="Automatisch vernieuwen", indent=False)
        self.projectie = widgets.ToggleButton(description="Projectiemodus", icon="desktop")
        self.secties = [widgets.VBox() for _ in SECTIES[:-1]]
        self.actieplan = Actieplan(self.connection)
        self.tabs = widgets.Tab(children=[*self.secties, self.actieplan.widget], titles=SECTIES)
        safe_callback = ui.safe_callback(self.message_line)
        self.vernieuwen.on_click(safe_callback(lambda _: self.show(self.ronde_id)))
        self.automatisch.observe(safe_callback(self._automatisch), names="value")
        self.projectie.observe(safe_callback(self._projectie), names="value")
        knoppen = widgets.HBox([self.vernieuwen, self.automatisch, self.projectie])
        self.widget = widgets.VBox([knoppen, self.message_line, self.samenvatting, self.toegang, self.tabs])
        self.widget.add_class("hvhk-dashboard")
        self.show(None)

    def show(self, ronde_id: int | None) -> None:
        """Draw every section for round `ronde_id` from what the store holds now."""
        self.ronde_id = ronde_id
        self.handtekening = self._handtekening()
        self.message_line.value = ""  # an earlier problem is solved once the round draws
        self.actieplan.show(ronde_id)
        adres = partner_address()
        code = store.toegangscode(self.connection, ronde_id) if adres and ronde_id is not None else None
        self.toegang.value = ui.partner_toegang(adres, code) if code and self.projectie.value else ""
        if ronde_id is None:
            self.samenvatting.value = "<p>Nog geen ronde om te tonen.</p>"
            for sectie in self.secties:
                sectie.children = []
            return
        groot = self.projectie.value
        resultaten = RondeResultaten.load(self.connection, ronde_id)
        antwoorden = resultaten.antwoorden
        self.samenvatting.value = (
            f"<p><strong>Ronde {resultaten.nummer}</strong> van {as_date(resultaten.datum)}:"
            f" {_aantal(len(resultaten.deelnemers))}, van wie {antwoorden['deelnemer_id'].nunique()} al antwoordden;"
            f" {as_number(len(antwoorden), 0)} antwoorden in totaal.</p>"
        )
        sections = [
            _waar_staan_we(resultaten, groot),
            _verschillen(resultaten, groot),
            _blinde_vlekken(resultaten),
            _prioriteiten(resultaten, groot),
            _afgelegde_weg(resultaten, groot),
        ]
        for sectie, children in zip(self.secties, sections):
            sectie.children = children

    def _handtekening(self) -> tuple | None:
        """A fingerprint of everything the round's results are drawn from: polling redraws only when it changes."""
        if self.ronde_id is None:
            return None
        frames = [
            read(self.connection, self.ronde_id)
            for read in (store.antwoorden, store.deelnemers, store.belangen, store.acties)
        ]
        hashes = [pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes() for frame in frames]
        return *hashes, tuple(store.prioriteiten(self.connection, self.ronde_id))

    def _refresh_if_changed(self) -> None:
        if self._handtekening() != self.handtekening:
            self.show(self.ronde_id)

    def _automatisch(self, change) -> None:
        self.peiler.on(change["new"])

    def _projectie(self, change) -> None:
        if change["new"]:
            self.widget.add_class(ui.PROJECTOR)
        else:
            self.widget.remove_class(ui.PROJECTOR)
        self.show(self.ronde_id)


def _waar_staan_we(resultaten: RondeResultaten, groot: bool) -> list[widgets.Widget]:
    domeinen, schaal = resultaten.levensdomeinen, resultaten.schaal
    rows = [
        [r.onderdeel, as_number(r.mediaan), f"{as_number(r.q1)} – {as_number(r.q3)}", r.n, as_percent(r.aandeel_weet_niet)]
        for r in domeinen.itertuples()
    ]
    return [
        _uitleg(f"Per levensdomein het mediane niveau ({reeks(schaal.niveau_waarden, ' tot ')}) dat de partners gaven,"
                " met de middelste helft van hun scores als band. Een levensdomein zonder scores staat op 0."),
        _grafiek(charts.spider(domeinen, schaal, groot=groot)),
        _tabel(["Levensdomein", "Mediaan", "Middelste helft", "Partners met score", "Weet niet"], rows),
    ]


def _verschillen(resultaten: RondeResultaten, groot: bool) -> list[widgets.Widget]:
    """Everyone's level per domain, and the stellingen where the partners split into two camps."""
    uitleg = _uitleg(
        "Elke rij is een partner, elke kolom een levensdomein, met het gemiddelde van de scores die die partner"
        " gaf. Een kolom met donkere én lichte vakjes toont een verschil van inzicht. Partners heten hier"
        " Partner A, B, ..., met het levensdomein waaruit ze komen; namen worden niet getoond."
    )
    if resultaten.deelnemers.empty:
        return [uitleg, widgets.HTML("<p>Nog geen deelnemers in deze ronde.</p>")]
    stellingen, schaal = resultaten.stellingen, resultaten.schaal
    domeinen = stellingen.loc[stellingen["soort"] == "levensdomein"]
    laag, hoog = f"niveau {reeks(schaal.laag)}", f"niveau {reeks(schaal.hoog)}"
    midden = f" Wie niveau {schaal.midden} gaf, staat in geen van beide kampen." if schaal.midden else ""
    parts = [
        uitleg,
        _grafiek(charts.heatmap(resultaten.antwoorden, resultaten.deelnemers, domeinen, schaal, groot=groot)),
        widgets.HTML("<h3>Stellingen met twee kampen</h3>"),
        _uitleg(f"Een deel van de partners ziet het nog niet gebeuren ({laag}), een deel wel ({hoog}):"
                f" een goed vertrekpunt voor het gesprek.{midden}"),
    ]
    split = resultaten.onenigheid.loc[resultaten.onenigheid["onenig"]]
    if split.empty:
        return [*parts, widgets.HTML("<p>Op geen enkele stelling vallen de partners in twee kampen uiteen.</p>")]
    rows = [[r.onderdeel, r.tekst, r.partners_laag, r.partners_hoog] for r in split.itertuples()]
    return [*parts, _tabel(["Onderdeel", "Stelling", f"Op {laag}", f"Op {hoog}"], rows)]


def _blinde_vlekken(resultaten: RondeResultaten) -> list:
    vlekken = resultaten.blinde_vlekken
    uitleg = _uitleg(
        "Levensdomeinen zonder partner uit dat domein (nodig er een uit), onderdelen waar minstens"
        f" {as_percent(analysis.DREMPEL_WEET_NIET)} van de antwoorden 'weet niet' was (zoek het samen uit), en"
        " stellingen waar niemand een score gaf (bespreek ze)."
    )
    if vlekken.empty:
        return [uitleg, widgets.HTML("<p>Geen blinde vlekken gevonden.</p>")]
    return [uitleg, _tabel(["Wat", "Waarom"], [[r.naam, r.reden] for r in vlekken.itertuples()])]


def _prioriteiten(resultaten: RondeResultaten, groot: bool) -> list[widgets.Widget]:
    ranking, schaal = resultaten.prioriteiten, resultaten.schaal
    uitleg = _uitleg(
        f"De levensdomeinen die de partners belangrijk vinden én die nog ver van niveau {schaal.hoogste} staan:"
        f" score = belang (mediaan, {reeks(schaal.belang_waarden)}) × afstand tot niveau {schaal.hoogste}. Dit is"
        " een voorstel voor het gesprek; de groep kiest zelf haar prioriteiten, in het tabblad 'Actieplan'."
    )
    if ranking["score"].isna().all():
        return [uitleg, widgets.HTML("<p>Nog geen scores en belang om een voorstel uit te maken.</p>")]
    rows = [[r.rang, r.onderdeel, as_number(r.belang), as_number(r.afstand), as_number(r.score)] for r in ranking.itertuples()]
    return [
        uitleg,
        _grafiek(charts.prioriteitenmatrix(ranking, schaal, groot=groot)),
        _tabel(["Rang", "Levensdomein", "Belang", "Afstand", "Score"], rows),
    ]


def _afgelegde_weg(resultaten: RondeResultaten, groot: bool) -> list[widgets.Widget]:
    if resultaten.weg is None:
        return [widgets.HTML("<p>Dit is de eerste ronde van dit Huis: de vergelijking volgt na de volgende ronde.</p>")]
    vorig, nummer = resultaten.vorig_nummer, resultaten.nummer
    domeinen = resultaten.weg.loc[resultaten.weg["soort"] == "levensdomein"]
    labels = [f"Ronde {vorig}", f"Ronde {nummer}"]
    rows = [[r.onderdeel, as_number(r.vorige), as_number(r.huidige), as_difference(r.verschil)] for r in domeinen.itertuples()]
    return [
        _uitleg(f"Mediaan niveau per levensdomein in ronde {vorig} (open bolletje) en ronde {nummer}"
                " (gevuld bolletje)."),
        _grafiek(charts.afgelegde_weg(domeinen, resultaten.schaal, *labels, groot=groot)),
        _tabel(["Levensdomein", *labels, "Verschil"], rows),
    ]


def _aantal(deelnemers: int) -> str:
    return "1 deelnemer" if deelnemers == 1 else f"{deelnemers} deelnemers"


def _uitleg(tekst: str) -> widgets.HTML:
    return widgets.HTML(f"<p class='hvhk-uitleg'>{tekst}</p>")


def _grafiek(figure: Figure) -> widgets.Image:
    return widgets.Image(value=to_png(figure), format="png", layout=widgets.Layout(max_width="100%"))


def _tabel(kolommen: list[str], rows: list[list]) -> widgets.HTML:
    """A table of formatted cells; pandas escapes each cell, as some hold what users typed."""
    return widgets.HTML(pd.DataFrame(rows, columns=kolommen).to_html(index=False, border=0, classes="hvhk-tabel"))


def resultaten_app(database: Path) -> widgets.Widget:
    """Pick a Huis and a round, and see its results: the dashboard on a page of its own."""
    message_line = ui.message_line()
    try:
        dashboard = Dashboard(database)
    except GebruikersFout as error:
        ui.show(message_line, str(error), fout=True)
        return widgets.VBox([ui.style_sheet(), message_line])
    huizen = store.huizen(dashboard.connection)
    demo = widgets.HTML()
    huis = widgets.Dropdown(description="Huis", options=list(zip(huizen["naam"], huizen["id"])))
    ronde = widgets.Dropdown(description="Ronde")
    for keuze in (huis, ronde):
        keuze.layout.width = "34rem"
        keuze.style.description_width = "5rem"

    def huis_gekozen(_=None) -> None:
        is_demo = huis.value is not None and bool(huizen.set_index("id").at[huis.value, "demo"])
        demo.value = f"<p class='hvhk-fout'>Let op: dit Huis bevat {DEMO_LABEL}.</p>" if is_demo else ""
        rondes = store.rondes(dashboard.connection, huis.value) if huis.value is not None else None
        # newest first and chosen: a new list may itself select its first entry, so the latest round is drawn once
        ronde.options = [] if rondes is None else [
            (f"Ronde {r.nummer} – {as_date(r.datum)}", int(r.id)) for r in rondes.iloc[::-1].itertuples()
        ]
        ronde.value = ronde.options[0][1] if ronde.options else None

    safe_callback = ui.safe_callback(message_line)
    huis.observe(safe_callback(huis_gekozen), names="value")
    ronde.observe(safe_callback(lambda change: dashboard.show(change["new"])), names="value")
    safe_callback(huis_gekozen)()
    if huizen.empty:
        message_line.value = (
            "<p>Er staan nog geen Huizen in de database. Start een workshop (<code>hvhk workshop</code>) of laad"
            " de demogegevens (<code>hvhk demo</code>).</p>"
        )
    title = widgets.HTML("<h2>Resultaten van de zelfevaluatie</h2>")
    return widgets.VBox([ui.style_sheet(), title, huis, ronde, demo, message_line, dashboard.widget])
