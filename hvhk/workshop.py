"""Serve the app notebooks with Voilà: on this computer only (127.0.0.1), unless asked otherwise.

`--netwerk` adds a second server, reachable from the local network, that serves only the
partner's screen: partners never reach the coordinator's screens, and the coordinator's server
stays bound to 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from hvhk.errors import GebruikersFout
from hvhk.paths import NOTEBOOKS, PARTNER_ADDRESS
from roadmap import store

HOST = "127.0.0.1"
NETWERK_HOST = "0.0.0.0"
WORKSHOP_NOTEBOOK = NOTEBOOKS / "workshop_zelfevaluatie.ipynb"
PARTNER_NOTEBOOK = NOTEBOOKS / "deelnemen.ipynb"
APPS = {  # notebook -> what the printed line calls it
    "workshop_zelfevaluatie.ipynb": "Workshop",
    "resultaten.ipynb": "Resultaten",
    "loket_scenarios.ipynb": "Loket-scenario's",
    "rapporten_maken.ipynb": "Rapporten maken",
}


def free_port(host: str = HOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def voila_command(target: Path, port: int, open_browser: bool, host: str = HOST) -> list[str]:
    """The Voilà command line for a notebook or a folder of notebooks: code hidden, bound to `host`."""
    command = [
        sys.executable, "-m", "voila", str(target),
        f"--port={port}", f"--Voila.ip={host}", "--strip_sources=True", "--Voila.log_level=ERROR",
        "--KernelManager.transport=ipc",  # kernels reachable only through files of this user
    ]
    return command if open_browser else [*command, "--no-browser"]


def app_urls(port: int) -> dict[str, str]:
    return {label: f"http://{HOST}:{port}/voila/render/{name}" for name, label in APPS.items() if (NOTEBOOKS / name).exists()}


def lan_address() -> str:
    """This computer's address on the local network, as partners type it.

    Connecting a UDP socket only picks the outgoing interface; no packet is sent, and the address
    is a documentation address (TEST-NET-1) that nobody answers anyway.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return "het-adres-van-deze-computer"


def serve(database: Path, port: int = 0, open_browser: bool = True, netwerk: bool = False) -> NoReturn:
    """Run the app server(s) until the user stops them (Ctrl+C).

    Without `netwerk` this process becomes Voilà itself, so a stop signal reaches it directly and
    no server is left behind a closed terminal. With `netwerk` it runs both servers as children
    and stops both when either stops or when it is told to stop.
    """
    for notebook in (WORKSHOP_NOTEBOOK, PARTNER_NOTEBOOK):
        if not notebook.exists():
            raise GebruikersFout(f"app-notebook niet gevonden: {notebook}")
    store.connect(database).close()  # creates the file, or refuses a broken one before serving
    port = port or free_port()
    environment = {**os.environ, "HVHK_DATABASE": str(database)}
    coordinator = voila_command(NOTEBOOKS, port, open_browser)
    if not netwerk:
        _print_urls(port)
        os.execve(coordinator[0], coordinator, environment)
    partner_port = free_port(NETWERK_HOST)
    partner_url = f"http://{lan_address()}:{partner_port}/"
    environment[PARTNER_ADDRESS] = partner_url
    _print_urls(port)
    print(f"Partners openen op hun eigen toestel (zelfde netwerk): {partner_url}", flush=True)
    children = [
        subprocess.Popen(voila_command(PARTNER_NOTEBOOK, partner_port, False, NETWERK_HOST), env=environment),
        subprocess.Popen(coordinator, env=environment),
    ]

    def stop(*_) -> None:
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    os.wait()  # the first server that stops ends the session
    stop()
    for child in children:
        child.wait()
    sys.exit(0)


def _print_urls(port: int) -> None:
    urls = app_urls(port)
    print(f"De workshop-app draait op {urls.pop('Workshop')}  (stoppen: Ctrl+C)", flush=True)
    for label, url in urls.items():
        print(f"  {label}: {url}", flush=True)
