"""Serve the apps: on this computer only (127.0.0.1), unless asked otherwise.

The coordinator's apps are ipywidgets screens served by Solara. `--netwerk` adds a second server,
reachable from the local network, that serves only the partner's screen, as plain web pages
(`hvhk.server.partner`): partners never reach the coordinator's screens, and the coordinator's server
stays bound to 127.0.0.1. An address is printed only once its server answers, so the first
visitor never meets a refused connection.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path
from typing import NoReturn

from hvhk.base.errors import GebruikersFout
from hvhk.base.paths import PARTNER_ADDRESS

PACKAGES = Path(__file__).resolve().parent.parent  # holds hvhk/, roadmap/, simulatie/, rapporten/
HOST = "127.0.0.1"
NETWERK_HOST = "0.0.0.0"
STARTTIJD = 120  # seconds a server may take to answer before the workshop gives up
# A coordinator's screen (a Solara virtual kernel) is freed this long after its tab was closed; the
# partner's server keeps nothing per phone, so it has nothing to free.
OPRUIMEN_NA = "3m"
COORDINATOR_APP = "solara.server.starlette:app"  # serves hvhk.server.begeleider (SOLARA_APP)
PARTNER_APP = "hvhk.server.partner:app"  # plain pages: a phone loads a few kilobytes, not Solara's 3 MB
WORKSHOP_PID = "HVHK_WORKSHOP_PID"  # tells an app server which program started it
APPS = {  # the coordinator's apps (hvhk.server.begeleider): path -> what the printed lines and the menu call it
    "": "Workshop",
    "resultaten": "Resultaten",
    "loket-scenarios": "Loket-scenario's",
    "rapporten-maken": "Rapporten maken",
}


def free_port(host: str = HOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def app_urls(port: int) -> dict[str, str]:
    """The coordinator's apps by the name the printed lines give them."""
    return {label: f"http://{HOST}:{port}/{path}" for path, label in APPS.items()}


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


def server_command(app: str, host: str, port: int) -> list[str]:
    """The command line of one server of `app`, an ASGI application ("module:name").

    uvicorn puts `--app-dir` (by default the working folder) first on the import path; here it is
    the folder that holds the toolkit's packages. A user's folder named `rapporten` (the reports'
    default output) would otherwise hide the package of that name from the report workers that
    the server spawns. `-P` keeps the working folder itself off the path too, so that a user's
    `click.py` or `pandas.py` next to the database cannot stand in for a library.
    """
    return [
        sys.executable, "-P", "-m", "uvicorn", app, "--app-dir", str(PACKAGES),
        "--host", host, "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "2",
    ]


def server_environment(database: Path) -> dict[str, str]:
    """The coordinator's Solara server: nothing leaves this computer, no branding."""
    return {
        **os.environ,
        "HVHK_DATABASE": str(database),
        "SOLARA_APP": "hvhk.server.begeleider",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # Solara would report usage to a web service
        "SOLARA_THEME_SHOW_BANNER": "False",
        "SOLARA_THEME_LOADER": "hvhk",  # hvhk/templates/loader-hvhk.*: Solara's plain loader, in Dutch
        "SOLARA_KERNEL_CULL_TIMEOUT": os.environ.get("SOLARA_KERNEL_CULL_TIMEOUT", OPRUIMEN_NA),
        # plain http on the local network is the workshop's setting, not a problem to print for the user
        "PYTHONWARNINGS": "ignore:Cookies with samesite=none:UserWarning",
    }


def serve(database: Path, port: int = 0, open_browser: bool = True, netwerk: bool = False) -> NoReturn:
    """Run the app server(s) until the user stops them (Ctrl+C) or one of them stops."""
    from roadmap import store

    store.connect(database).close()  # creates the file, or refuses a broken one before serving
    port = port or free_port()
    coordinator = server_environment(database)
    commands = {port: (server_command(COORDINATOR_APP, HOST, port), coordinator)}
    partner_url = None
    if netwerk:
        partner_port = free_port(NETWERK_HOST)
        partner_url = f"http://{lan_address()}:{partner_port}/"
        coordinator[PARTNER_ADDRESS] = partner_url  # the coordinator's screens show it, with a QR code
        partner = {**os.environ, "HVHK_DATABASE": str(database)}
        commands[partner_port] = (server_command(PARTNER_APP, NETWERK_HOST, partner_port), partner)
    for _, environment in commands.values():
        environment[WORKSHOP_PID] = str(os.getpid())  # its servers end with it (hvhk.server)
    servers = [subprocess.Popen(command, env=environment) for command, environment in commands.values()]

    def stop(*_) -> None:
        for child in servers:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for server_port, child in zip(commands, servers):
            wait_until_answering(f"http://{HOST}:{server_port}/readyz", child, f"de app-server op poort {server_port}")
    except GebruikersFout:
        stop()
        raise
    urls = app_urls(port)
    print(f"De workshop-app draait op {urls.pop('Workshop')}  (stoppen: Ctrl+C)", flush=True)
    for label, url in urls.items():
        print(f"  {label}: {url}", flush=True)
    if partner_url:
        print(f"Partners openen op hun eigen toestel (zelfde netwerk): {partner_url}", flush=True)
    if open_browser:
        webbrowser.open(f"http://{HOST}:{port}/")
    os.wait()  # the first server that stops ends the session
    stop()
    for child in servers:
        child.wait()
    sys.exit(0)


def wait_until_answering(url: str, child: subprocess.Popen, naam: str) -> None:
    """Return once `url` answers; refuse in Dutch if `child` (the server, `naam`) died or hangs."""
    deadline = time.monotonic() + STARTTIJD
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if child.poll() is not None:
            raise GebruikersFout(f"{naam} stopte bij het starten (code {child.returncode})")
        if time.monotonic() > deadline:
            raise GebruikersFout(f"{naam} antwoordde niet binnen {STARTTIJD} s")
        time.sleep(0.1)
