"""A real browser against a real `hvhk workshop` (Solara) server: Debian's chromium driven by Playwright.

The browser comes from apt (installed here when missing), never from Playwright's own download.
Screenshots go to uitvoer/screenshots/ so that a person can look at what users see. With
HVHK_GIDS_SCREENSHOTS=1 the shots named in GIDS_BEELDEN also become the images of the user guide
(docs/img/), so the guide shows the screens as they are today.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hvhk.base.paths import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "uitvoer" / "screenshots"
GIDS = PROJECT_ROOT / "docs" / "img"
GIDS_BEELDEN = {  # screenshot -> element scrolled to the top of the window first (None: the top of the page)
    "workshop-start": None,
    "workshop-deelnemers": None,
    "workshop-invullen": None,
    "workshop-toegangscode": None,
    "deelnemen-telefoon-invullen": "header",
    "resultaten-waar-staan-we": ".hvhk-dashboard",
    "resultaten-verschillen": ".hvhk-dashboard",
    "resultaten-prioriteiten": ".hvhk-dashboard",
    "bespreken-projectie": ".hvhk-bespreken",
    "app-loket-scenarios": None,
    "rapport-huis": None,
}


@pytest.fixture(scope="module")  # not longer: Playwright's loop would stay running for other tests
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        yield browser
        browser.close()


APP_TIMEOUT = 30_000  # ms: a page that does not show its app by then has failed; nobody reloads it


class Pagina:
    """A browser tab on one of the apps, with the few gestures the tests need."""

    def __init__(self, page):
        self.page = page

    def open(self, url: str, ready: str) -> float:
        """Open `url` and wait for the element `ready`; the seconds that took.

        The server prints an address only once it answers, so the first try must work: a refused
        connection or a page that needs a reload fails the test.
        """
        start = time.monotonic()
        self.page.goto(url)
        self.page.locator(ready).first.wait_for(timeout=APP_TIMEOUT)
        return time.monotonic() - start

    def tekstveld(self, label: str):
        return self.page.locator(f".widget-text:has(label:text-is('{label}')) input >> visible=true")

    def keuzelijst(self, label: str):
        return self.page.locator(f".widget-dropdown:has(label:text-is('{label}')) select >> visible=true")

    def knop(self, naam: str):
        return self.page.get_by_role("button", name=naam)

    def antwoord(self, stelling: str, label: str) -> None:
        self.page.locator(f".stelling-{stelling.replace('.', '-')} button", has_text=label).click()

    def tab(self, titel: str) -> None:
        """Open a tab and wait until it shows, with its images drawn: what a person looks at next."""
        self.page.locator(".lm-TabBar-tab", has_text=titel).first.click()
        self.page.locator(".lm-TabBar-tab.lm-mod-current", has_text=titel).first.wait_for()
        self.page.wait_for_function("[...document.images].every(image => image.complete)")

    def controleer_schoon(self) -> None:
        """What a user must never see: a traceback, a warning on stderr, or code."""
        body = self.page.locator("body").inner_text()
        assert "Traceback" not in body and "Error" not in body, body[:2000]
        assert not self.page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert "import " not in body, "code must not be shown"

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        if os.environ.get("HVHK_GIDS_SCREENSHOTS") == "1" and name in GIDS_BEELDEN:
            if GIDS_BEELDEN[name]:
                self.page.locator(GIDS_BEELDEN[name]).first.evaluate("element => element.scrollIntoView()")
            GIDS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=GIDS / f"{name}.png")  # one window, not the whole page: small images
        return path


@pytest.fixture
def pagina(browser):
    """Open a new tab, in its own browser context (as another device would), set to Belgian Dutch."""
    contexts = []

    def new(width: int = 1280, height: int = 900) -> Pagina:
        contexts.append(browser.new_context(viewport={"width": width, "height": height}, locale="nl-BE"))
        return Pagina(contexts[-1].new_page())

    yield new
    for context in contexts:
        context.close()


@pytest.fixture
def start_server(tmp_path):
    """Start `hvhk workshop` on a database; every server started is stopped after the test."""
    servers = []

    def start(database: Path, *options: str, **environment: str) -> Server:
        servers.append(Server(database, tmp_path, *options, **environment))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class Server:
    """`hvhk workshop` in a subprocess; its printed lines give the addresses."""

    def __init__(self, database: Path, folder: Path, *options: str, **environment: str):
        self.log = folder / "workshop.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hvhk", "workshop", "--geen-browser", "--database", str(database), *options],
                stdout=output, stderr=subprocess.STDOUT, cwd=folder,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "HVHK_UITVOER": str(folder / "uitvoer"), **environment},
            )
        deadline = time.monotonic() + 120
        while not re.search(r"draait op (\S+)", self.log.read_text()) or (
            "--netwerk" in options and "Partners openen" not in self.log.read_text()
        ):
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)
        text = self.log.read_text()
        self.workshop = re.search(r"draait op (\S+)", text).group(1)
        self.urls = dict(re.findall(r"^  (.+?): (\S+)$", text, flags=re.MULTILINE))
        partner = re.search(r"Partners openen .*: http://[^:]+:(\d+)/", text)
        self.partner = f"http://127.0.0.1:{partner.group(1)}/" if partner else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def meting(record_property):
    """Record a figure (e.g. seconds until the page is interactive) for the summary of the run.

    Kept in the test's report, so that it reaches the summary from a parallel test worker too.
    """
    return lambda text: record_property("meting", text)


def pytest_terminal_summary(terminalreporter):
    reports = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
    lines = [value for report in reports for name, value in report.user_properties if name == "meting"]
    if lines:
        terminalreporter.section("metingen in de browser")
        for line in lines:
            terminalreporter.write_line(line)
