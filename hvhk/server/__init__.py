"""What the workshop's servers serve; `hvhk.workshop` starts them.

`begeleider`: the coordinator's ipywidgets apps as Solara pages. Voilà started a Jupyter kernel
(some 200 MB and seconds of CPU) for every page visit; Solara runs the same screens for all
visitors in one process, each visitor with widgets of their own and callbacks on a thread of
their own, so that one slow screen never holds up another.

`partner`: the partner's screen, as plain web pages a phone opens at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import parse_qsl

import ipywidgets as widgets
import solara

from hvhk.base.processes import die_with_parent
from hvhk.workshop import WORKSHOP_PID

if os.environ.get(WORKSHOP_PID) == str(os.getppid()):
    # a server of `hvhk workshop` ends with it, also when it is killed outright (it stops its servers
    # itself on Ctrl+C): such a server held the port and the database for nobody
    die_with_parent()


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
