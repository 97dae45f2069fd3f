"""What every app screen shares: Dutch messages instead of tracebacks, and the projector mode.

Workshop users are not programmers. A mistake they can fix (`GebruikersFout`) shows its Dutch
message next to the button they pressed; anything else shows a short Dutch apology while the
details go to a log file for whoever supports them, never a traceback on the screen.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape

import ipywidgets as widgets

from hvhk.errors import GebruikersFout
from hvhk.paths import output_dir

PROJECTOR = "hvhk-projector"  # CSS class of an app container shown in large print
STYLE = f"""<style>
.hvhk-fout {{ color: #B00020; font-weight: bold; }}
.hvhk-ok {{ color: #1B7A3A; }}
.hvhk-uitleg {{ color: #444; max-width: 60rem; }}
.hvhk-tabel {{ border-collapse: collapse; margin: .5rem 0; }}
.hvhk-tabel th, .hvhk-tabel td {{ padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }}
.widget-tab > .lm-TabBar .lm-TabBar-tab {{ max-width: none !important; flex: 0 0 auto !important; padding: 0 1rem; }}
.widget-button {{ width: auto; min-width: var(--jp-widgets-inline-width-short); }}
.{PROJECTOR} .widget-tab > .lm-TabBar .lm-TabBar-tab, .{PROJECTOR} .widget-checkbox label {{ font-size: 1.2rem !important; }}
.{PROJECTOR} .widget-tab > .lm-TabBar {{ min-height: 2.4rem; }}
.{PROJECTOR} .widget-tab > .lm-TabBar .lm-TabBar-tab {{ height: 2.4rem !important; line-height: 2.4rem; }}
.{PROJECTOR}, .{PROJECTOR} .widget-label, .{PROJECTOR} .widget-html-content, .{PROJECTOR} button,
.{PROJECTOR} select, .{PROJECTOR} input, .{PROJECTOR} td, .{PROJECTOR} th {{ font-size: 1.45rem !important; }}
.{PROJECTOR} img {{ max-width: 100%; }}
.{PROJECTOR} button {{ width: auto !important; min-width: 9rem; height: auto !important; padding: .3rem 1rem; }}
</style>"""


def stijl() -> widgets.HTML:
    """The shared CSS; put it once at the top of an app."""
    return widgets.HTML(STYLE)


def melding() -> widgets.HTML:
    """An empty line where an action's result or a problem appears."""
    return widgets.HTML()


def toon(widget: widgets.HTML, tekst: str, fout: bool = False) -> None:
    """Show `tekst` (escaped: it may hold a user's input) as a success or a problem."""
    css = "hvhk-fout" if fout else "hvhk-ok"
    tekst = tekst[:1].upper() + tekst[1:]  # store messages start in lower case, as CLI lines do
    widget.value = f"<p class='{css}'>{'⚠ ' if fout else ''}{escape(tekst)}</p>"


def veilig(uitvoer: widgets.HTML) -> Callable:
    """Decorate a widget callback so that no error ever reaches the user as a traceback."""

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*arguments, **keywords):
            try:
                return callback(*arguments, **keywords)
            except GebruikersFout as error:
                toon(uitvoer, str(error), fout=True)
            except Exception:  # noqa: BLE001 - the user sees an apology, the log keeps the details
                _logger().exception("fout in %s", callback.__qualname__)
                toon(uitvoer, "Er ging iets mis; wat al bewaard was, blijft bewaard. Probeer het opnieuw of"
                     f" meld het aan uw begeleider (details in {_log_path()}).", fout=True)

        return wrapper

    return decorate


def _log_path():
    return output_dir() / "logboek" / "app.log"


@functools.cache
def _logger() -> logging.Logger:
    path = _log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("hvhk.app")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False  # never to the kernel's stderr, which a notebook would show
    return logger
