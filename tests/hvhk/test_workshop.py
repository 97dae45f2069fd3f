"""`hvhk workshop` serves the workshop notebook with Voilà on 127.0.0.1 and prints its address."""

import os
import re
import subprocess
import sys
import time
import urllib.request

from hvhk.workshop import HOST, WORKSHOP_NOTEBOOK, voila_command


def test_voila_command_binds_loopback_and_hides_code():
    command = voila_command(WORKSHOP_NOTEBOOK, 8866, open_browser=False)
    assert f"--Voila.ip={HOST}" in command and HOST == "127.0.0.1"
    assert "--strip_sources=True" in command and "--no-browser" in command


def _read_until(url: str, marker: str, deadline: float) -> str:
    """Read Voilà's streamed page until `marker` shows up (the stream itself may stay open)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        page = ""
        while marker not in page and time.monotonic() < deadline:
            chunk = response.read1(65536).decode(errors="replace")
            if not chunk:
                break
            page += chunk
    return page


def test_workshop_serves_the_app(tmp_path, demo_database):
    log = tmp_path / "workshop.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hvhk", "workshop", "--geen-browser", "--database", str(demo_database)],
            stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    marker = "application/vnd.jupyter.widget-view+json"
    try:
        deadline = time.monotonic() + 120
        page = ""
        while marker not in page:
            assert time.monotonic() < deadline, f"no app within 120 s; log:\n{log.read_text()}"
            time.sleep(0.5)
            match = re.search(r"http://127\.0\.0\.1:\d+/\S+", log.read_text())
            if match:
                try:  # Voilà sometimes never streams the outputs; a user reloads, so does this test
                    page = _read_until(match.group(0), marker, min(deadline, time.monotonic() + 20))
                except OSError:
                    pass
        assert "workshop_app" not in page, "code must not be shown"
        lines = log.read_text().splitlines()
        assert lines[0] == f"De workshop-app draait op {match.group(0)}  (stoppen: Ctrl+C)"
        assert [line.split(":")[0] for line in lines[1:]] == ["  Resultaten", "  Loket-scenario's", "  Rapporten maken"]
    finally:
        process.terminate()
        process.wait(timeout=30)
