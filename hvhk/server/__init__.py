"""The apps as Solara pages: one server process, and every visitor a light virtual kernel in it.

Voilà started a Jupyter kernel (some 200 MB and seconds of CPU) for every page visit; Solara runs
the same ipywidgets screens for all visitors in one process, each visitor with widgets of their
own, and each visitor's callbacks on a thread of their own, so that one slow screen never holds
up another. `hvhk.workshop` starts the servers; `begeleider` and `partner` are what they serve.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import solara


def widget_page(build: Callable[[], widgets.Widget], titel: str):
    """A page that builds its app once per visitor and shows it; `build` gets nothing from others."""

    @solara.component
    def Page():
        solara.Title(titel)
        app = solara.use_memo(build, [])
        solara.display(app)

    return Page
