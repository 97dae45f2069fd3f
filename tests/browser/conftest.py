"""A real browser against a real Voilà server: Debian's chromium driven by Playwright.

The browser comes from apt (installed here when missing), never from Playwright's own download.
Screenshots go to uitvoer/screenshots/ so that a person can look at what users see.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hvhk.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "uitvoer" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed with apt when this machine does not have it yet."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.fail("installeer chromium met: sudo apt-get install -y chromium")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of `page` as uitvoer/screenshots/NAME.png."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def start_server(tmp_path):
    """Start `hvhk workshop` on a database; every server started is stopped after the test."""
    servers = []

    def start(database: Path, *options: str) -> Server:
        servers.append(Server(database, tmp_path, *options))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class Server:
    """`hvhk workshop` in a subprocess; its printed lines give the addresses."""

    def __init__(self, database: Path, folder: Path, *options: str):
        self.log = folder / "workshop.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hvhk", "workshop", "--geen-browser", "--database", str(database), *options],
                stdout=output, stderr=subprocess.STDOUT, cwd=folder,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "HVHK_UITVOER": str(folder / "uitvoer")},
            )
        deadline = time.monotonic() + 60
        while not re.search(r"draait op (\S+)", self.log.read_text()) or (
            "--netwerk" in options and "Partners openen" not in self.log.read_text()
        ):
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)
        text = self.log.read_text()
        self.workshop = re.search(r"draait op (\S+)", text).group(1)
        self.urls = dict(re.findall(r"^  (.+?): (\S+)$", text, flags=re.M))
        partner = re.search(r"Partners openen .*: http://[^:]+:(\d+)/", text)
        self.partner = f"http://127.0.0.1:{partner.group(1)}/" if partner else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
