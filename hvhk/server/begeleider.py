"""The coordinator's server: workshop, results, loket scenarios and reports, on this computer only."""

from __future__ import annotations

import solara

from hvhk.apps.rapporten import rapporten_app
from hvhk.apps.roadmap.dashboard import resultaten_app
from hvhk.apps.roadmap.workshop import workshop_app
from hvhk.apps.scenarios import scenario_app
from hvhk.base.paths import database_path
from hvhk.server import widget_page
from hvhk.workshop import APPS

BUILD = {  # path (as in hvhk.workshop.APPS) -> the app, which takes nothing from the address
    "": lambda _: workshop_app(database_path()),
    "resultaten": lambda _: resultaten_app(database_path()),
    "loket-scenarios": lambda _: scenario_app(),
    "rapporten-maken": lambda _: rapporten_app(database_path()),
}


MENU = {"text-transform": "none", "font-size": "1rem", "letter-spacing": "normal"}  # as the apps write them
MENU_OPEN = {**MENU, "font-weight": "bold", "border-bottom": "3px solid #1f6f9f", "border-radius": "0"}


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara passes the page as `children`
    """A menu of the apps above the page, the open one underlined; every link opens the app in this tab."""
    here = solara.use_router().path.strip("/")
    with solara.Column(style={"padding": "0 1rem"}) as main:
        with solara.Row(classes=["hvhk-menu"], style={"flex-wrap": "wrap"}):
            for path, label in APPS.items():
                solara.Button(label, text=True, href=f"/{path}", target="_self",
                              classes=["hvhk-menu-open"] if path == here else [],
                              style=MENU_OPEN if path == here else MENU)
        solara.Column(children=children)
    return main


routes = [  # Solara wraps every page in the layout of the route at "/"
    solara.Route(
        path=path or "/", component=widget_page(BUILD[path], f"{label} — Huis van het Kind"), label=label,
        layout=Layout if not path else None,
    )
    for path, label in APPS.items()
]
