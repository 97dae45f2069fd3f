"""What every app screen shares: Dutch messages instead of tracebacks, and the projector mode.

Workshop users are not programmers. A mistake they can fix (`GebruikersFout`) shows its Dutch
message next to the button they pressed; anything else shows a short Dutch apology while the
details go to a log file for whoever supports them, never a traceback on the screen.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from html import escape

import ipywidgets as widgets
import segno

from hvhk.base.errors import GebruikersFout
from hvhk.base.paths import output_dir

PROJECTOR = "hvhk-projector"  # CSS class of an app container shown in large print
STYLE = f"""<style>
.hvhk-fout {{ color: #B00020; font-weight: bold; }}
.hvhk-ok {{ color: #1B7A3A; }}
.hvhk-uitleg {{ color: #444; max-width: 60rem; }}
.widget-html-content p, .widget-html-content li {{ line-height: 1.4; }}
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
.hvhk-qr svg {{ width: 12rem; height: 12rem; }}
.{PROJECTOR} .hvhk-qr svg {{ width: 16rem; height: 16rem; }}
</style>"""


def style_sheet() -> widgets.HTML:
    """The shared CSS; put it once at the top of an app."""
    return widgets.HTML(STYLE)


def partner_toegang(adres: str, code: str) -> str:
    """The partner address with the round's code: as text to type, and as a QR code to scan.

    The QR code (made on this computer) opens the partner screen with the code filled in.
    """
    link = f"{adres}?code={code}"
    qr = segno.make(link, error="m").svg_inline(scale=4, border=2, omitsize=True)
    return (
        f"<p>Partners openen op hun eigen toestel <strong>{escape(adres)}</strong> en typen deze code:</p>"
        f"<p class='hvhk-code' style='font-size:3rem;letter-spacing:.4rem;font-weight:bold;margin:0'>{escape(code)}</p>"
        f"<p>Of ze scannen met de camera van hun telefoon:</p><div class='hvhk-qr' title='{escape(link)}'>{qr}</div>"
    )


def message_line() -> widgets.HTML:
    """An empty line where an action's result or a problem appears."""
    return widgets.HTML()


def show(widget: widgets.HTML, tekst: str, fout: bool = False) -> None:
    """Show `tekst` (escaped: it may hold a user's input) as a success or a problem."""
    css = "hvhk-fout" if fout else "hvhk-ok"
    tekst = tekst[:1].upper() + tekst[1:]  # store messages start in lower case, as CLI lines do
    widget.value = f"<p class='{css}'>{'⚠ ' if fout else ''}{escape(tekst)}</p>"


def safe_callback(uitvoer: widgets.HTML) -> Callable:
    """Decorate a widget callback so that no error ever reaches the user as a traceback."""

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*arguments, **keywords):
            try:
                return callback(*arguments, **keywords)
            except GebruikersFout as error:
                show(uitvoer, str(error), fout=True)
            except Exception:  # noqa: BLE001 - the user sees an apology, the log keeps the details
                log_error(callback.__qualname__)
                show(uitvoer, apology(), fout=True)

        return wrapper

    return decorate


def apology() -> str:
    """What a user reads when something unexpected failed: nothing saved is lost, and where the details are."""
    return ("Er ging iets mis; wat al bewaard was, blijft bewaard. Probeer het opnieuw of"
            f" meld het aan uw begeleider (details in {_log_path()}).")


def log_error(where: str) -> None:
    """Write the exception being handled, with its traceback, to the app's log file."""
    _logger().exception("fout in %s", where)


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


class Peiler:
    """Calls `callback` every `seconds` while on, on the kernel's event loop between other work, so a
    screen follows the store; a problem shows in `uitvoer`, as with `safe_callback`."""

    def __init__(self, callback: Callable[[], None], seconds: float, uitvoer: widgets.HTML) -> None:
        self.callback = safe_callback(uitvoer)(callback)
        self.seconds = seconds
        self.task: asyncio.Task | None = None

    def on(self, aan: bool = True) -> None:
        if aan and self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())
        elif not aan and self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)
            self.callback()
