"""The partners' server: only the partner's screen, reachable from the local network.

The QR code on the coordinator's screen opens this page with `?code=...`, so a partner who scans it
finds the access code already filled in.
"""

from __future__ import annotations

import solara

from hvhk.apps.roadmap.deelnemen import deelnemen_app
from hvhk.base.paths import database_path
from hvhk.server import widget_page

Page = widget_page(lambda query: deelnemen_app(database_path(), query.get("code", "")), "Roadmap — Huis van het Kind")


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara passes the page as `children`
    return solara.Column(children=children, style={"padding": "0 .5rem"})
