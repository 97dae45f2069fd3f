"""Serve the workshop notebook as a web app with Voilà, on this computer only (127.0.0.1)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

from hvhk.errors import GebruikersFout
from hvhk.paths import NOTEBOOKS
from roadmap import store

WORKSHOP_NOTEBOOK = NOTEBOOKS / "workshop_zelfevaluatie.ipynb"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def voila_command(notebook: Path, port: int, open_browser: bool) -> list[str]:
    """The Voilà command line: code hidden, bound to 127.0.0.1 only."""
    command = [
        sys.executable, "-m", "voila", str(notebook),
        f"--port={port}", f"--Voila.ip={HOST}", "--strip_sources=True", "--Voila.log_level=ERROR",
        "--KernelManager.transport=ipc",  # kernels reachable only through files of this user
    ]
    return command if open_browser else [*command, "--no-browser"]


def serve(database: Path, port: int = 0, open_browser: bool = True) -> NoReturn:
    """Replace this process by Voilà serving the workshop app, until the user stops it (Ctrl+C).

    Replacing rather than starting a child means a stop signal reaches Voilà itself, so no server
    is left running behind a closed terminal or a stopped test.
    """
    if not WORKSHOP_NOTEBOOK.exists():
        raise GebruikersFout(f"workshop-notebook niet gevonden: {WORKSHOP_NOTEBOOK}")
    store.connect(database).close()  # creates the file, or refuses a broken one before serving
    port = port or free_port()
    environment = {**os.environ, "HVHK_DATABASE": str(database)}
    print(f"De workshop-app draait op http://{HOST}:{port}/  (stoppen: Ctrl+C)", flush=True)
    command = voila_command(WORKSHOP_NOTEBOOK, port, open_browser)
    os.execve(command[0], command, environment)
