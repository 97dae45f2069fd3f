"""`hvhk workshop` serves the coordinator's apps on 127.0.0.1 (the partner's screen on the network with
`--netwerk`) and prints an address only once it answers."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from hvhk.workshop import COORDINATOR_APP, HOST, server_command, server_environment


def test_the_coordinator_server_binds_loopback_and_reports_nothing_outside(tmp_path):
    command = server_command(COORDINATOR_APP, HOST, 8866)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    environment = server_environment(tmp_path / "hvhk.sqlite")
    assert environment["SOLARA_APP"] == "hvhk.server.begeleider"
    assert environment["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False", "Solara must not report usage to the web"
    assert environment["HVHK_DATABASE"] == str(tmp_path / "hvhk.sqlite")


def test_every_printed_address_answers_at_once(tmp_path, demo_database):
    # files a user may keep in the folder they start `hvhk` from, named like libraries the server imports
    for library in ("click", "uvicorn", "solara", "pandas"):
        (tmp_path / f"{library}.py").write_text("raise SystemExit('de map van de gebruiker verving een bibliotheek')\n")
    log = tmp_path / "workshop.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [Path(sys.executable).parent / "hvhk", "workshop", "--geen-browser", "--netwerk", "--database", str(demo_database)],
            stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + 120
        while "Partners openen" not in log.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        urls = re.findall(r"http://\S+", log.read_text())
        partner_port = urls[-1].split(":")[2]
        pages = [urllib.request.urlopen(url, timeout=10) for url in [*urls[:-1], f"http://127.0.0.1:{partner_port}"]]
        assert [page.status for page in pages] == [200] * 5, "no refused connection once an address is printed"
        texts = [page.read().decode() for page in pages]
        assert all("de app wordt geladen" in text for text in texts[:-1]), "Solara's loader, in Dutch"
        assert "Typ de code die de begeleider toont." in texts[-1], "the partner's screen needs no loader"
        lines = log.read_text().splitlines()
        assert lines[0] == f"De workshop-app draait op {urls[0]}  (stoppen: Ctrl+C)"
        assert [line.split(":")[0] for line in lines[1:4]] == ["  Resultaten", "  Loket-scenario's", "  Rapporten maken"]
        assert lines[4].startswith("Partners openen op hun eigen toestel (zelfde netwerk): http://")
        assert "Warning" not in log.read_text() and "Traceback" not in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
