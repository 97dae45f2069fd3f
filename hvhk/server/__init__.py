"""The apps as Solara pages: one server process, and every visitor a light virtual kernel in it.

Voilà started a Jupyter kernel (some 200 MB and seconds of CPU) for every page visit; Solara runs
the same ipywidgets screens for all visitors in one process, each visitor with widgets of their
own, and each visitor's callbacks on a thread of their own, so that one slow screen never holds
up another. `hvhk.workshop` starts the servers; `begeleider` and `partner` are what they serve.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

import ipywidgets as widgets
import solara


def widget_page(build: Callable[[dict[str, str]], widgets.Widget], titel: str):
    """A page that builds its app once per visitor and shows it.

    `build` gets the query of the visitor's address (e.g. the code in the QR code's link) and
    nothing from other visitors.
    """

    @solara.component
    def Page():
        solara.Title(titel)
        query = dict(parse_qsl(solara.use_router().search or ""))
        app = solara.use_memo(lambda: build(query), [])
        solara.display(app)

    return Page
