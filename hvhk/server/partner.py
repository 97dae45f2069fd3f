"""The partners' server: only the partner's screen, reachable from the local network.

The QR code on the coordinator's screen opens this page with `?code=...`, so a partner who scans it
finds the access code already filled in.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import solara

from hvhk.paths import database_path
from roadmap.app.deelnemen import deelnemen_app


@solara.component
def Page():  # the module's one page, at "/"
    solara.Title("Roadmap — Huis van het Kind")
    code = parse_qs(solara.use_router().search or "").get("code", [""])[0]
    app = solara.use_memo(lambda: deelnemen_app(database_path(), code), [])
    solara.display(app)


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara passes the page as `children`
    return solara.Column(children=children, style={"padding": "0 .5rem"})
