"""Open JupyterLab on the notebooks, for analysts: on this computer only (127.0.0.1), with a token.

JupyterLab works in `notebooks/` of the working folder, next to `data/` and `uitvoer/`. The
notebooks that come with the toolkit are copied there when missing, so that an analyst edits their
own copies and a later `hvhk lab` never overwrites them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from hvhk.base.errors import GebruikersFout
from hvhk.base.paths import NOTEBOOKS, output_dir
from hvhk.workshop import HOST, free_port, wait_until_answering
from roadmap import store

OPTIONS = [
    # nothing reaches the internet: no news feed, no update check, no extension manager on PyPI
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    # Solara's server extension serves the workshop apps, not JupyterLab; importing it costs seconds
    "--ServerApp.jpserver_extensions=solara.server.jupyter.server_extension=False",
    # JupyterLab refuses root unless told; in a container the toolkit runs as root, like its app servers
    "--ServerApp.allow_root=True",
    "--KernelManager.transport=ipc",  # kernels reachable only through files of this user
    "--ServerApp.log_level=WARN",
]
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_TIME = 20  # seconds JupyterLab may take to shut its kernels down before it is killed


def copy_notebooks(folder: Path) -> list[str]:
    """Copy the toolkit's notebooks that `folder` does not have yet into it; the names copied."""
    shipped = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not shipped:
        raise GebruikersFout(f"de notebooks van de toolkit zijn niet gevonden in {NOTEBOOKS}")
    folder.mkdir(parents=True, exist_ok=True)
    missing = [notebook for notebook in shipped if not (folder / notebook.name).exists()]
    for notebook in missing:
        shutil.copyfile(notebook, folder / notebook.name)
    return [notebook.name for notebook in missing]


def lab_command(folder: Path, port: int, open_browser: bool) -> list[str]:
    """The JupyterLab command line: `folder` as its root, bound to 127.0.0.1 only."""
    command = [
        # -P: a file in the user's folder named like a library cannot stand in for it
        sys.executable, "-P", "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", *OPTIONS,
    ]
    return command if open_browser else [*command, "--no-browser"]


class _Stopped(Exception):
    """The user stopped `hvhk lab`: Ctrl+C, a stop signal, or the terminal closed."""


def _stopped(*_) -> None:
    raise _Stopped


def serve(database: Path, port: int, open_browser: bool = True) -> int:
    """Run JupyterLab until the user stops it (Ctrl+C); 0, or JupyterLab's exit code if it stopped by itself.

    The token is made here and handed over in the environment (never on a command line that other
    users of the computer can list), so the address can be printed once the server answers.
    JupyterLab runs in a session of its own: a stop signal reaches only this process, which then
    stops JupyterLab once, and JupyterLab shuts its kernels down.
    """
    store.connect(database).close()  # creates the file, or refuses a broken one before starting
    folder = Path("notebooks").absolute()
    copied = copy_notebooks(folder)
    if copied:
        print(f"Notebooks gekopieerd naar {folder}: {', '.join(copied)}", flush=True)
    port = port or free_port(HOST)
    token = secrets.token_urlsafe(32)
    environment = {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "HVHK_DATABASE": str(database.absolute()),  # the kernels run in notebooks/, not in the working folder
        "HVHK_UITVOER": str(output_dir()),
    }
    for signum in SIGNALS:
        signal.signal(signum, _stopped)
    lab = subprocess.Popen(lab_command(folder, port, open_browser), env=environment, start_new_session=True)
    try:
        wait_until_answering(f"http://{HOST}:{port}/api", lab, "JupyterLab")
        print(f"JupyterLab draait op http://{HOST}:{port}/lab?token={token}  (stoppen: Ctrl+C)", flush=True)
        return lab.wait()
    except _Stopped:
        return 0
    finally:
        for signum in SIGNALS:  # asked again while JupyterLab stops: stop it at once
            signal.signal(signum, lambda *_: lab.kill())
        lab.terminate()
        try:
            lab.wait(timeout=STOP_TIME)
        except subprocess.TimeoutExpired:  # it now and then hangs after its kernels stopped (a worker thread)
            lab.kill()
            lab.wait()
