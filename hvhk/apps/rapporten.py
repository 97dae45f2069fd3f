"""The report launcher: render the reports of chosen Huizen on a click, with progress and an index."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from hvhk.apps.ui import message_line, safe_callback, show, style_sheet
from hvhk.base.errors import GebruikersFout, describe_os_error
from hvhk.base.paths import output_dir
from rapporten import batch, pipeline
from roadmap import store

START, BUSY = "Rapporten maken", "Bezig met rapporten…"
INTRO = (
    "<p class='hvhk-uitleg'>Kies de Huizen waarvan u een rapport wilt, de map waarin de rapporten komen en"
    " hoeveel rapporten tegelijk gemaakt worden (meer gaat sneller, maar vraagt meer van de computer)."
    " Een rapport maken duurt enkele seconden per Huis. In de map komt ook een overzichtspagina,"
    " index.html, met een link naar elk rapport.</p>"
)


def rapporten_app(database: Path) -> widgets.Widget:
    """Choose Huizen, a folder and how many reports run at once; make the reports and their index."""
    message, listing = message_line(), widgets.HTML()
    selection = widgets.SelectMultiple(description="Huizen", rows=12, layout=widgets.Layout(width="36rem"))
    all_button = widgets.Button(description="Alle Huizen")
    folder = widgets.Text(description="Map", value=str(output_dir() / "rapporten"))
    folder.layout.width = "48rem"
    cpus = os.cpu_count() or 1
    workers = widgets.BoundedIntText(description="Rapporten tegelijk", value=min(2, cpus), min=1, max=cpus)
    button = widgets.Button(description=START, button_style="primary")
    progress = widgets.IntProgress(description="Voortgang", layout=widgets.Layout(visibility="hidden"))
    for field in (selection, folder, workers, progress):
        field.style.description_width = "9rem"

    @safe_callback(message)
    def load() -> None:
        huizen = _huizen(database)
        selection.options = list(zip(huizen["naam"], huizen["id"]))
        if huizen.empty:
            show(message, "Er staan nog geen Huizen in de database.", fout=True)

    @safe_callback(message)
    def select_all(_button=None) -> None:
        selection.value = tuple(value for _label, value in selection.options)

    @safe_callback(message)
    def make(_button=None) -> None:
        listing.value = ""
        if not selection.value:
            raise GebruikersFout("Kies minstens één Huis, of klik op 'Alle Huizen'.")
        if not folder.value.strip():
            raise GebruikersFout("Geef de map op waarin de rapporten moeten komen.")
        target = Path(folder.value.strip()).expanduser().absolute()
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise GebruikersFout(f"Kan de map niet maken: {describe_os_error(error)}") from None
        simulatie = output_dir() / "simulatie" / "loket.csv"  # missing: the reports say there are no results
        progress.max, progress.value, progress.layout.visibility = len(selection.value), 0, "visible"
        show(message, f"Bezig met {len(selection.value)} rapporten…")
        button.disabled, button.description = True, BUSY

        def klaar(done: int, total: int) -> None:
            progress.max, progress.value = total, done

        try:
            results, index = pipeline.run(
                database, simulatie, target, huizen=selection.value, gemeenten=(), werkers=workers.value,
                voortgang=False, klaar=klaar,
            )
        finally:
            button.disabled, button.description = False, START
        listing.value = _listing(results, index)
        done = sum(result.gelukt for result in results)
        note = "" if simulatie.exists() else f" Zonder loketsimulatie: {simulatie} bestaat niet."
        show(message, f"Klaar: {done} van {len(results)} rapporten gelukt.{note}", fout=done < len(results))

    load()
    all_button.on_click(select_all)
    button.on_click(make)
    return widgets.VBox([
        style_sheet(), widgets.HTML(INTRO), widgets.HBox([selection, all_button]), folder, workers, button, progress, message,
        listing,
    ])


def _huizen(database: Path) -> pd.DataFrame:
    connection = store.connect(database)
    try:
        return store.huizen(connection)
    finally:
        connection.close()


def _listing(results: list[batch.Resultaat], index: Path) -> str:
    """The outcome per Huis and a link to the index page; names and errors are escaped."""
    items = "".join(
        f"<li>{escape(r.opdracht.naam)}: <span class='hvhk-ok'>klaar</span></li>" if r.gelukt
        else f"<li>{escape(r.opdracht.naam)}: <span class='hvhk-fout'>mislukt</span> – {escape(r.fout)}</li>"
        for r in results
    )
    link = f"<a href='{escape(index.as_uri())}' target='_blank'>{escape(str(index))}</a>"
    return f"<p>Overzicht van de rapporten: {link}</p><ul>{items}</ul>"
