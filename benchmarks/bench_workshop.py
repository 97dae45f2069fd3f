"""Benchmark: a room of partners joining a networked workshop on their phones at once (issue 13), and
voting again in the discussion (issue 16).

Starts `hvhk workshop --netwerk` on a fresh store, opens a round through the store API (no
coordinator browser) and lets N partners join the partner screen as separate Playwright contexts of
Debian's chromium (phone-sized, 360x740), each answering 10 stellingen, in two waves: arriving
spread over 60 s, and all in the same second. Every wave gets its own fresh server and store, so the
waves do not disturb each other's figures. The baseline, measured in the same run on the same
server just before each wave, is one partner alone: the ratios say how much a full room slows a
partner down. Only 127.0.0.1 is contacted: chromium cannot resolve any other host.

A third wave is the discussion: the coordinator's Bespreken tab on the projector (a desktop context
of the Solara app) with a vote open, and N partners who answered before vote again from their phones,
spread over STEMMEN_OVER seconds. It measures the votes saved, each vote's time from click to the
phone's confirmation, and how far the projector's count lags behind the confirmed votes.
Run:  python benchmarks/bench_workshop.py [--partners 30] [--spreiding 60] [--denktijd 1] [--golf alle]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from roadmap import store
from roadmap.definition import load_roadmap

HUIS = "Huis van het Kind Teststad"
CHROMIUM = Path("/usr/bin/chromium")
TELEFOON = {"width": 360, "height": 740}
BRUIKBAAR_BINNEN = 60.0  # s: a Toegangscode field that has not appeared by then is a blank page
NOG_WACHTEN = 60.0  # s: how much longer a blank page is watched (no reload) to tell slow from stuck
STAP = 60.0  # s: every later step (a click, the next screen) of a partner
OPSTARTEN = 180.0  # s: a server that printed no address or does not listen by then has failed
BEWAREN = 20.0  # s: how long clicked answers may take to reach the store after the last click
STOPPEN = 30.0  # s: a server that did not stop after SIGTERM by then is killed
STELLINGEN = 10
LABELS = ["3 – Uitbouwen", "2 – Opstarten", "4 – Verankerd", "1 – Verkennen", "Weet niet", "Niet van toepassing"]
TOEGANGSCODE, NAAM, LEVENSDOMEIN = "#code", "#naam", "#levensdomein"
# Every context of headless chromium 15x also starts a renderer for the omnibox popup (WebUI, about
# 150 MB and a few % of a core each, idle); 30 of them took more than a core a phone would not spend.
# A --disable-features of ours replaces Playwright's own list, so that list (Playwright 1.5x) comes too.
PLAYWRIGHT_DISABLED = (
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,"
    "LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,"
    "TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch"
)
# Chromium resolves no host name except 127.0.0.1 and uses no proxy: nothing leaves this computer.
CHROMIUM_ARGS = [
    "--no-sandbox", "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    f"--disable-features={PLAYWRIGHT_DISABLED},WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]


# --- processes ---------------------------------------------------------------------------------

def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process from /proc/<pid>/stat, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """`pid` and all processes below it, each with its start time (to recognise a reused pid)."""
    parents: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            parents.setdefault(stat[0], []).append(int(entry.name))
            started[int(entry.name)] = stat[1]
    tree, todo = {}, [pid]
    while todo:
        current = todo.pop()
        if current in started:
            tree[current] = started[current]
            todo.extend(parents.get(current, []))
    return tree


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a process used so far, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all cores of this machine spent busy since boot (not idle, not waiting for the disk)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent during a wave by the server, by this benchmark's own processes (mostly the
    browsers) and by the rest of the machine: on a shared machine the figures need that context."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.first: dict[tuple[int, int], float] = {}
        self.last: dict[tuple[int, int], float] = {}
        self.server: set[tuple[int, int]] = set()
        self.machine = machine_busy_seconds()
        self.sample(initial=True)

    def sample(self, initial: bool = False) -> None:
        server = descendants(self.server_pid)
        for pid, start in descendants(os.getpid()).items():
            if (cpu := cpu_seconds(pid)) is not None:
                key = (pid, start)
                self.first.setdefault(key, cpu if initial else 0.0)  # a process started during the wave counts whole
                self.last[key] = cpu
                if pid in server:
                    self.server.add(key)

    def totals(self) -> tuple[float, float, float]:
        """(server, this benchmark, everything else) in CPU seconds since the meter started."""
        self.sample()
        used = {key: self.last[key] - self.first[key] for key in self.last}
        server = sum(v for key, v in used.items() if key in self.server)
        own = sum(used.values()) - server
        return server, own, max(machine_busy_seconds() - self.machine - server - own, 0.0)


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants (VmRSS summed, as `ps` would show them)."""
    total = 0
    for child in descendants(pid):
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def listens(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """A server in its own session, its output in a log; stop() ends it and everything it started."""

    def __init__(self, command: list[str], environment: dict[str, str], folder: Path, naam: str):
        self.log = folder / f"{naam}.log"
        self.started = time.monotonic()
        self.known: dict[int, int] = {}  # every process of this server seen so far, with its start time
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder,
                env={**os.environ, **environment, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
            )

    def wait_for(self, *patterns: str) -> list[re.Match]:
        """The first match of every pattern in the log, waiting until all of them are there."""
        deadline = time.monotonic() + OPSTARTEN
        while True:
            text = self.log.read_text(errors="replace")
            found = [re.search(p, text, flags=re.MULTILINE) for p in patterns]
            if all(found):
                return found
            if self.process.poll() is not None:
                raise RuntimeError(f"de server stopte (code {self.process.returncode}):\n{self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"de server toonde zijn adres niet binnen {OPSTARTEN:.0f} s:\n{self.tail()}")
            time.sleep(0.1)

    def wait_until_listening(self, port: int) -> bool:
        """Wait until the server accepts connections on `port`; whether it did at the first try."""
        deadline = time.monotonic() + OPSTARTEN
        first = True
        while not listens(port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"de server antwoordt niet op poort {port}:\n{self.tail()}")
            first = False
            time.sleep(0.1)
        return first

    def memory(self) -> int:
        if self.process.poll() is not None:
            return 0
        self.known.update(descendants(self.process.pid))  # so that stop() finds children that outlive it
        return rss_bytes(self.process.pid)

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        left = {**self.known, **descendants(self.process.pid)}
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOPPEN)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOPPEN)
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:  # children that outlive the server get a moment
            left = {pid: start for pid, start in left.items() if (_stat(pid) or (0, None))[1] == start}
            time.sleep(0.1)
        for pid in left:  # still the same process (same start time): ours, so it may be killed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


# --- the store ---------------------------------------------------------------------------------

def new_store(path: Path) -> str:
    """A fresh store with one Huis and one round, as the coordinator would start it; its access code."""
    connection = store.connect(path)
    try:
        huis_id = store.save_huis(connection, HUIS, ["44021"])
        ronde_id = store.save_ronde(connection, huis_id, 1, time.strftime("%Y-%m-%d"), load_roadmap())
        return store.new_toegangscode(connection, ronde_id)
    finally:
        connection.close()


def saved_answers(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute("SELECT count(*) FROM antwoord").fetchone()[0]
    finally:
        connection.close()


def wait_for_answers(path: Path, expected: int) -> int:
    deadline = time.monotonic() + BEWAREN
    while (count := saved_answers(path)) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def answer_plan() -> list[list[str]]:
    """The first STELLINGEN stellingen as the partner screen shows them, grouped per onderdeel (one page each)."""
    roadmap = load_roadmap()
    pages, left = [], STELLINGEN
    for _, groep in roadmap.groepen:
        for onderdeel in groep:
            if left:
                pages.append([s.id for s in onderdeel.stellingen][:left])
                left -= len(pages[-1])
    return pages


# --- partners ----------------------------------------------------------------------------------

@dataclass
class Partner:
    nummer: int
    bruikbaar: float | None = None  # s from goto until the Toegangscode field shows
    alsnog: float | None = None  # s until the field of a blank page showed after all (it counts as blank)
    foutpagina: bool = False
    geklikt: int = 0
    probleem: str = ""
    meldingen: list[str] = field(default_factory=list)  # the page's console errors, for the report
    scherm: Path | None = None  # where a screenshot of a partner who got stuck goes (None: no screenshot)


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


async def join(page, url: str, code: str, naam: str, domein: str, plan: list[list[str]],
               antwoorden: list[str], denktijd: float, partner: Partner) -> None:
    """One partner: open the screen, type the code, say who they are, answer the stellingen."""
    from playwright.async_api import Error as PlaywrightError

    start = time.monotonic()
    try:
        response = await page.goto(url, wait_until="commit", timeout=BRUIKBAAR_BINNEN * 1000)
        if response is not None and response.status >= 400:
            partner.foutpagina, partner.probleem = True, f"foutpagina: HTTP {response.status}"
            return
        left = BRUIKBAAR_BINNEN - (time.monotonic() - start)
        await page.locator(TOEGANGSCODE).wait_for(timeout=max(left, 0.1) * 1000)
    except PlaywrightError as error:
        if "Timeout" in type(error).__name__ or "Timeout" in str(error):
            partner.probleem = f"lege pagina: geen Toegangscode na {BRUIKBAAR_BINNEN:.0f} s"
            await evidence(page, partner)
            try:  # slow or stuck? the partner waits a while longer, without reloading, and goes no further
                await page.locator(TOEGANGSCODE).wait_for(timeout=NOG_WACHTEN * 1000)
                partner.alsnog = time.monotonic() - start
                partner.probleem += f"; verscheen alsnog na {partner.alsnog:.0f} s"
            except PlaywrightError:
                partner.probleem += f"; ook na {BRUIKBAAR_BINNEN + NOG_WACHTEN:.0f} s niet"
        else:
            partner.foutpagina, partner.probleem = True, f"foutpagina: {first_line(error)}"
            await evidence(page, partner)
        return
    partner.bruikbaar = time.monotonic() - start
    stap = "toegangscode"
    try:
        await page.locator(TOEGANGSCODE).fill(code)
        await page.get_by_role("button", name="Verder").click()
        stap = "naam"
        await page.locator(NAAM).fill(naam)
        await page.locator(LEVENSDOMEIN).select_option(label=domein)
        await page.get_by_role("button", name="Beginnen").click()
        for index, stellingen in enumerate(plan):
            if index:
                stap = "volgend onderdeel"
                await page.get_by_role("button", name="Volgende").click()
            stap = f"stelling {stellingen[0]}"
            await page.locator(f".stelling-{stellingen[0].replace('.', '-')}").first.wait_for()
            for stelling in stellingen:
                stap = f"stelling {stelling}"
                await asyncio.sleep(denktijd)
                label = antwoorden[partner.geklikt % len(antwoorden)]
                await page.locator(f".stelling-{stelling.replace('.', '-')} button", has_text=label).click()
                partner.geklikt += 1
    except PlaywrightError as error:
        partner.probleem = f"vast bij {stap}: {first_line(error)}"
        await evidence(page, partner)


async def evidence(page, partner: Partner) -> None:
    """What the stuck partner's page shows: the start of its text, and a screenshot when asked for."""
    try:
        text = " ".join((await page.locator("body").inner_text(timeout=5000)).split())
        partner.probleem += f"; de pagina toont: '{text[:150]}'" if text else "; de pagina is leeg"
        if partner.scherm:
            partner.scherm.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=partner.scherm, full_page=True, timeout=15000)
    except Exception as error:  # noqa: BLE001 - a page that cannot even show this is reported as such
        partner.probleem += f"; pagina niet te lezen ({first_line(error)})"


# --- a wave ------------------------------------------------------------------------------------

@dataclass
class Uitslag:
    """The figures of one wave on one server."""

    partners: list[Partner]
    bewaard: int
    geheugen: int  # bytes at the end of the wave
    piek: int  # bytes, highest sample during the wave
    opstart: float | None  # s from starting the server until the partner address answered
    te_vroeg: bool | None  # the address was printed before the server accepted connections (None: it did not start)
    duur: float
    buiten: set[str]
    gestopt: bool = False  # the server stopped during the wave
    belasting: tuple[float, float] = (0.0, 0.0)  # this machine's load average (1 min) at the start and the end
    cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)  # CPU seconds: server, browsers (this benchmark), other processes
    alleen: float | None = None  # the baseline: s until usable for one partner alone on the same server, just before

    @property
    def tijden(self) -> list[float]:
        return sorted(p.bruikbaar for p in self.partners if p.bruikbaar is not None)

    @property
    def leeg(self) -> int:
        return sum(p.bruikbaar is None for p in self.partners)

    @property
    def geklikt(self) -> int:
        return sum(p.geklikt for p in self.partners)

    def mediaan(self) -> float | None:
        return statistics.median(self.tijden) if self.tijden else None

    def p90(self) -> float | None:
        return self.tijden[math.ceil(0.9 * len(self.tijden)) - 1] if self.tijden else None

    def max(self) -> float | None:
        return self.tijden[-1] if self.tijden else None


async def run_wave(browser, server: Server, url: str, database: Path, code: str, partners: int,
                   spreiding: float, denktijd: float, golf: str, opstart: float, te_vroeg: bool | None,
                   schermen: Path | None) -> Uitslag:
    roadmap = load_roadmap()
    domeinen = [d.naam for d in roadmap.levensdomeinen]
    plan = answer_plan()
    buiten: set[str] = set()
    results = [Partner(n, scherm=schermen / f"partner-{n:02d}.png" if schermen else None) for n in range(1, partners + 1)]
    contexts, pages = [], []
    try:
        for partner in results:  # the phones are on before the partners arrive
            context = await browser.new_context(viewport=TELEFOON, locale="nl-BE", is_mobile=True, has_touch=True)
            context.set_default_timeout(STAP * 1000)
            page = await context.new_page()

            def note(request) -> None:
                host = re.sub(r"^\w+://([^/:]*).*$", r"\1", request.url)
                if host and host != "127.0.0.1" and not request.url.startswith(("data:", "blob:")):
                    buiten.add(host)

            page.on("request", note)
            page.on("console", lambda m, p=partner: p.meldingen.append(m.text[:200]) if m.type == "error" else None)
            page.on("pageerror", lambda e, p=partner: p.meldingen.append(first_line(e)))
            contexts.append(context)
            pages.append(page)
        piek = 0
        sampling = True
        cpu = CpuMeter(server.process.pid)

        async def sample() -> None:
            nonlocal piek
            while sampling:
                piek = max(piek, await asyncio.to_thread(server.memory))
                await asyncio.to_thread(cpu.sample)
                await asyncio.sleep(1)

        sampler = asyncio.create_task(sample())
        loop = asyncio.get_running_loop()
        begin, belasting = loop.time(), os.getloadavg()[0]

        async def arrive(index: int, page) -> None:
            await asyncio.sleep(index * spreiding / partners)
            await join(page, url, code, f"Partner {golf}{index + 1:02d}", domeinen[index % len(domeinen)], plan,
                       LABELS[index % len(LABELS):] + LABELS[:index % len(LABELS)], denktijd, results[index])

        budget = spreiding + BRUIKBAAR_BINNEN + NOG_WACHTEN + STAP * (STELLINGEN + 4) + STELLINGEN * denktijd
        try:
            await asyncio.wait_for(asyncio.gather(*(arrive(i, p) for i, p in enumerate(pages))), timeout=budget)
        except TimeoutError:
            for partner in results:
                partner.probleem = partner.probleem or f"niet klaar na {budget:.0f} s"
        duur = loop.time() - begin
        bewaard = await asyncio.to_thread(wait_for_answers, database, sum(p.geklikt for p in results))
        geheugen = await asyncio.to_thread(server.memory)
        sampling = False
        await sampler
        return Uitslag(results, bewaard, geheugen, max(piek, geheugen), opstart, te_vroeg, duur, buiten,
                       belasting=(belasting, os.getloadavg()[0]), cpu=await asyncio.to_thread(cpu.totals))
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):  # a context that does not close must not keep the servers running
                await asyncio.wait_for(context.close(), timeout=STOPPEN)


def start_hvhk(folder: Path, database: Path, servers: list[Server]) -> str:
    """Start `hvhk workshop --netwerk`; the partner address it printed, on 127.0.0.1."""
    server = Server(
        [sys.executable, "-m", "hvhk", "workshop", "--netwerk", "--geen-browser", "--database", str(database)],
        {"HVHK_UITVOER": str(folder / "uitvoer")}, folder, "hvhk-workshop",
    )
    servers.append(server)
    _, partner = server.wait_for(r"De workshop-app draait op (\S+)", r"Partners openen .*: http://[^/\s]+:(\d+)/(\S*)")
    return f"http://127.0.0.1:{partner.group(1)}/{partner.group(2)}"


async def alone(browser, url: str) -> float | None:
    """The baseline: seconds until the screen is usable for one partner alone on the same server."""
    from playwright.async_api import Error as PlaywrightError

    context = await browser.new_context(viewport=TELEFOON, locale="nl-BE", is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        start = time.monotonic()
        await page.goto(url, wait_until="commit", timeout=BRUIKBAAR_BINNEN * 1000)
        await page.locator(TOEGANGSCODE).wait_for(timeout=BRUIKBAAR_BINNEN * 1000)
        return time.monotonic() - start
    except PlaywrightError:
        return None
    finally:
        await context.close()


async def measure(browser, golf: str, partners: int, spreiding: float, denktijd: float,
                  servers: list[Server], schermen: Path | None) -> Uitslag:
    """Start a fresh server on a fresh store, run one wave against it, stop it."""
    with tempfile.TemporaryDirectory(prefix="bench-workshop-") as temporary:
        folder = Path(temporary)
        database = folder / "hvhk.sqlite"
        code = new_store(database)
        started = len(servers)
        try:
            try:
                url = await asyncio.to_thread(start_hvhk, folder, database, servers)
                server = servers[-1]
                at_once = await asyncio.to_thread(server.wait_until_listening, int(url.split(":")[2].split("/")[0]))
            except RuntimeError as error:  # a server that does not start fails this wave, not the benchmark
                print(f"  {error}", flush=True)
                failed = [Partner(n, probleem="de server startte niet") for n in range(1, partners + 1)]
                return Uitslag(failed, 0, 0, 0, None, None, 0.0, set(), gestopt=True)
            opstart = time.monotonic() - server.started
            basislijn = await alone(browser, url)
            print(f"  luistert na {opstart:.1f} s; één partner alleen: bruikbaar na {seconds(basislijn)};"
                  f" {partners} partners komen binnen"
                  f" {'in dezelfde seconde' if spreiding <= 1 else f'verspreid over {spreiding:.0f} s'} ...", flush=True)
            uitslag = await run_wave(browser, server, url, database, code, partners, spreiding, denktijd, golf,
                                     opstart, not at_once, schermen)
            uitslag.alleen = basislijn
            if server.process.poll() is not None:
                uitslag.gestopt = True
                print(f"  de server stopte tijdens de meting (code {server.process.returncode}):\n"
                      f"{server.tail()}", flush=True)
            for partner in uitslag.partners:
                if partner.probleem:
                    extra = f" (console: {partner.meldingen[-1]})" if partner.meldingen else ""
                    print(f"    partner {partner.nummer}: {partner.probleem}{extra}", flush=True)
            print(f"  klaar na {uitslag.duur:.0f} s", flush=True)
            return uitslag
        finally:
            for server in servers[started:]:
                await asyncio.to_thread(server.stop)


# --- the discussion: voting again -------------------------------------------------------------

STEMMEN_OVER = 8.0  # s: the partners vote spread over this time, once the coordinator says "stem nu"
STEMMEN_BINNEN = 10.0  # s: the target: every vote saved this long after the first click
PROJECTOR_BINNEN = 2.0  # s: the target: the projector shows a confirmed vote this long after
BESPROKEN = "onderwijs.1"


def discussion_store(path: Path, partners: int) -> str:
    """A round whose partners answered onderwijs.1 two against two, with its vote open; the access code."""
    connection = store.connect(path)
    try:
        huis_id = store.save_huis(connection, HUIS, ["44021"])
        ronde_id = store.save_ronde(connection, huis_id, 1, time.strftime("%Y-%m-%d"), load_roadmap())
        for nummer in range(1, partners + 1):
            deelnemer = store.save_deelnemer(connection, ronde_id, f"Partner C{nummer:02d}")
            store.save_antwoorden(connection, deelnemer, pd.DataFrame(
                [(BESPROKEN, "niveau", 1 if nummer % 2 else 4, "")], columns=["stelling_id", "keuze", "niveau", "toelichting"]))
        store.plan_bespreking(connection, ronde_id, [BESPROKEN])
        store.open_stemming(connection, ronde_id, BESPROKEN)
        return store.new_toegangscode(connection, ronde_id)
    finally:
        connection.close()


def saved_votes(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute("SELECT count(*) FROM stem").fetchone()[0]
    finally:
        connection.close()


@dataclass
class Stemming:
    """The figures of the discussion wave."""

    bevestigd: list[float]  # s after the first click at which each vote was confirmed on its phone
    wachttijden: list[float]  # s from each click to its confirmation
    getoond: dict[int, float]  # s after the first click at which the projector first showed k votes
    bewaard: int
    partners: int
    problemen: list[str]
    cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def achterstand(self) -> float | None:
        """The projector's largest lag behind the phones: per vote, confirmed until counted on the projector."""
        if not self.bevestigd:
            return None
        lags = [self.getoond.get(k, math.inf) - moment for k, moment in enumerate(sorted(self.bevestigd), start=1)]
        return max(lags)


async def vote_again(page, url: str, code: str, nummer: int, moment: float, start: float, uitslag: Stemming) -> None:
    """One partner comes back on the phone, follows the link to the vote and votes at `moment` s after `start`."""
    from playwright.async_api import Error as PlaywrightError

    stap = "openen"
    try:
        await page.goto(url, wait_until="commit")
        await page.locator(TOEGANGSCODE).fill(code)
        await page.get_by_role("button", name="Verder").click()
        stap = "naam"
        await page.locator(NAAM).fill(f"Partner C{nummer:02d}")
        await page.get_by_role("button", name="Beginnen").click()
        stap = "naar de stemming"
        await page.get_by_text("stem opnieuw").click()
        await page.locator("#stem").wait_for()
        await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
        stap = "stemmen"
        clicked = time.monotonic()
        await page.locator("#stem button", has_text=LABELS[nummer % 4]).click()
        await page.get_by_text("Uw stem is bewaard.").wait_for()
        uitslag.wachttijden.append(time.monotonic() - clicked)
        uitslag.bevestigd.append(time.monotonic() - start)
    except PlaywrightError as error:
        uitslag.problemen.append(f"partner {nummer}: vast bij {stap}: {first_line(error)}")


async def discussion(browser, partners: int, servers: list[Server]) -> Stemming:
    """A fresh server with a vote open; the projector and N phones; the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-bespreken-") as temporary:
        folder = Path(temporary)
        database = folder / "hvhk.sqlite"
        code = discussion_store(database, partners)
        started = len(servers)
        contexts = []
        try:
            url = await asyncio.to_thread(start_hvhk, folder, database, servers)
            server = servers[-1]
            await asyncio.to_thread(server.wait_until_listening, int(url.split(":")[2].split("/")[0]))
            workshop = server.wait_for(r"De workshop-app draait op (\S+)")[0].group(1)
            projector_context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
            contexts.append(projector_context)
            projector = await projector_context.new_page()
            await projector.goto(workshop)
            await projector.locator(".lm-TabBar-tab", has_text="Bespreken").first.click(timeout=OPSTARTEN * 1000)
            await projector.get_by_text(f"0 van {partners} partners stemden opnieuw").wait_for(timeout=STAP * 1000)
            phones = []
            for _ in range(partners):
                context = await browser.new_context(viewport=TELEFOON, locale="nl-BE", is_mobile=True, has_touch=True)
                context.set_default_timeout(STAP * 1000)
                contexts.append(context)
                phones.append(await context.new_page())
            uitslag = Stemming([], [], {}, 0, partners, [])
            cpu = CpuMeter(server.process.pid)
            start = time.monotonic() + 30.0  # the phones have 30 s to come back and open the vote
            watching = True

            async def watch() -> None:
                """Read the projector's count every 0.1 s; note when each count first shows."""
                while watching:
                    text = await projector.locator(".hvhk-bespreken").inner_text()
                    if match := re.search(r"(\d+) van \d+ partners stemden opnieuw", text):
                        for k in range(1, int(match.group(1)) + 1):
                            uitslag.getoond.setdefault(k, time.monotonic() - start)
                    await asyncio.sleep(0.1)

            watcher = asyncio.create_task(watch())
            await asyncio.gather(*(vote_again(page, url, code, n, STEMMEN_OVER * (n - 1) / partners, start, uitslag)
                                   for n, page in enumerate(phones, start=1)))
            deadline = time.monotonic() + BEWAREN
            while len(uitslag.getoond) < len(uitslag.bevestigd) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            watching = False
            await watcher
            uitslag.bewaard = await asyncio.to_thread(saved_votes, database)
            uitslag.cpu = await asyncio.to_thread(cpu.totals)
            return uitslag
        finally:
            for context in contexts:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(context.close(), timeout=STOPPEN)
            for server in servers[started:]:
                await asyncio.to_thread(server.stop)


def report_discussion(uitslag: Stemming) -> None:
    n = uitslag.partners
    klaar = max(uitslag.bevestigd) if len(uitslag.bevestigd) == n else None
    achterstand = uitslag.achterstand()
    wachttijden = sorted(uitslag.wachttijden)
    print(f"\nGolf 3: {n} partners stemmen opnieuw, verspreid over {STEMMEN_OVER:.0f} s, de projector kijkt mee")
    for label, value in [
        ("stemmen bewaard / geklikt", f"{uitslag.bewaard} / {len(uitslag.bevestigd)}"),
        ("laatste stem bevestigd na de eerste klik", seconds(klaar)),
        ("klik tot bevestiging (mediaan)", seconds(statistics.median(wachttijden) if wachttijden else None)),
        ("klik tot bevestiging (max)", seconds(wachttijden[-1] if wachttijden else None)),
        ("projector loopt achter (max)", seconds(achterstand)),
        ("CPU-tijd server", seconds(uitslag.cpu[0])),
        ("CPU-tijd browsers (deze meting)", seconds(uitslag.cpu[1])),
    ]:
        print(f"  {label:42} {value:>15}")
    for probleem in uitslag.problemen:
        print(f"  {probleem}")
    print("  Doelen:")
    for doel, waarde, gehaald in [
        (f"{n} stemmen binnen {STEMMEN_BINNEN:.0f} s", seconds(klaar), klaar is not None and klaar < STEMMEN_BINNEN),
        ("geen stem verloren", str(len(uitslag.bevestigd) - uitslag.bewaard + n - len(uitslag.bevestigd)),
         uitslag.bewaard == n == len(uitslag.bevestigd)),
        (f"projector binnen {PROJECTOR_BINNEN:.0f} s bij", seconds(achterstand),
         achterstand is not None and achterstand <= PROJECTOR_BINNEN),
    ]:
        print(f"    {doel:30} {waarde:>22}  {'gehaald' if gehaald else 'niet gehaald'}")


# --- the report --------------------------------------------------------------------------------

def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def gigabytes(value: int) -> str:
    return f"{value / 1e9:.2f} GB"


def ratio(room: float | None, alone: float | None) -> str:
    return "" if not room or not alone else f"({room / alone:.1f}× alleen)"


def rows(uitslag: Uitslag) -> list[tuple[str, str, str]]:
    """(label, shown value, the ratio to one partner alone or "")."""
    n = len(uitslag.partners)
    return [
        ("één partner alleen (basislijn)", seconds(uitslag.alleen), ""),
        ("bruikbaar na (mediaan)", seconds(uitslag.mediaan()), ratio(uitslag.mediaan(), uitslag.alleen)),
        ("bruikbaar na (P90)", seconds(uitslag.p90()), ratio(uitslag.p90(), uitslag.alleen)),
        ("bruikbaar na (max)", seconds(uitslag.max()), ratio(uitslag.max(), uitslag.alleen)),
        ("bruikbaar", f"{len(uitslag.tijden)} van {n}", ""),
        ("lege pagina's", str(uitslag.leeg), ""),
        ("  waarvan foutpagina", str(sum(p.foutpagina for p in uitslag.partners)), ""),
        (f"  waarvan alsnog bruikbaar binnen {BRUIKBAAR_BINNEN + NOG_WACHTEN:.0f} s",
         str(sum(p.alsnog is not None for p in uitslag.partners)), ""),
        ("antwoorden bewaard / geklikt", f"{uitslag.bewaard} / {uitslag.geklikt}", ""),
        ("antwoorden verloren", str(max(uitslag.geklikt - uitslag.bewaard, 0)), ""),
        ("vast na het openen", str(sum(bool(p.probleem) and p.bruikbaar is not None for p in uitslag.partners)), ""),
        ("server stopte tijdens de golf", "ja" if uitslag.gestopt else "nee", ""),
        ("geheugen server (einde golf)", gigabytes(uitslag.geheugen) if not uitslag.gestopt else "–", ""),
        ("geheugen server (piek)", gigabytes(uitslag.piek), ""),
        ("opstarten tot de server antwoordt", seconds(uitslag.opstart), ""),
        ("adres getoond vóór de server antwoordde", {True: "ja", False: "nee", None: "–"}[uitslag.te_vroeg], ""),
        ("duur van de golf", seconds(uitslag.duur), ""),
        ("belasting van de machine (begin → einde)", "{:.1f} → {:.1f}".format(*uitslag.belasting), ""),
        ("CPU-tijd server", seconds(uitslag.cpu[0]), ""),
        ("CPU-tijd browsers (deze meting)", seconds(uitslag.cpu[1]), ""),
        ("CPU-tijd andere processen", seconds(uitslag.cpu[2]), ""),
    ]


def targets(uitslag: Uitslag, verspreid: bool) -> list[tuple[str, str, bool]]:
    verloren = max(uitslag.geklikt - uitslag.bewaard, 0)
    if verspreid:
        p90, grootste = uitslag.p90(), uitslag.max()
        return [
            ("P90 onder 6 s", seconds(p90), p90 is not None and p90 < 6),
            ("max onder 12 s", seconds(grootste), grootste is not None and grootste < 12),
            ("geen lege pagina's", str(uitslag.leeg), uitslag.leeg == 0),
            ("geen antwoorden verloren", str(verloren), verloren == 0),
            ("geheugen onder 1 GB", "server stopte" if uitslag.gestopt else gigabytes(uitslag.geheugen),
             not uitslag.gestopt and uitslag.geheugen < 1e9),
        ]
    n = len(uitslag.partners)
    return [
        ("elke partner bruikbaar", f"{len(uitslag.tijden)} van {n}, max {seconds(uitslag.max())}", len(uitslag.tijden) == n),
        ("geen lege pagina's", str(uitslag.leeg), uitslag.leeg == 0),
        ("geen antwoorden verloren", str(verloren), verloren == 0),
    ]


def report(titel: str, verspreid: bool, uitslag: Uitslag) -> None:
    print(f"\n{titel}")
    for label, value, verhouding in rows(uitslag):
        print(f"  {label:42} {value:>15} {verhouding}")
    if uitslag.buiten:
        print(f"  LET OP, de pagina vroeg om adressen buiten deze computer (geblokkeerd): {', '.join(sorted(uitslag.buiten))}")
    if uitslag.duur and (bezet := sum(uitslag.cpu) / (uitslag.duur * (os.cpu_count() or 1))) > 0.9:
        print(f"  LET OP, de processoren waren {min(bezet, 1):.0%} bezet (de browsers:"
              f" {uitslag.cpu[1] / (uitslag.duur * (os.cpu_count() or 1)):.0%}):"
              " de tijden zeggen dan ook veel over deze machine")
    print("  Doelen:")
    for doel, waarde, gehaald in targets(uitslag, verspreid):
        print(f"    {doel:30} {waarde:>22}  {'gehaald' if gehaald else 'niet gehaald'}")


# --- main --------------------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


class HulpOpmaak(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "gebruik: ")


def parse_arguments() -> argparse.Namespace:
    parser = Parser(
        formatter_class=HulpOpmaak,
        description="Meet hoe de partnerpagina van `hvhk workshop --netwerk` een zaal partners op hun"
        " telefoon aankan: tijd tot de pagina bruikbaar is, lege pagina's, verloren antwoorden en het geheugen"
        " van de server, in twee golven (verspreid binnenkomen en allemaal in dezelfde seconde).",
        epilog="Elke golf krijgt een nieuwe server en een nieuwe database in een tijdelijke map. De browser is"
        " /usr/bin/chromium; alleen 127.0.0.1 wordt gecontacteerd. Snel proberen: --partners 5 --spreiding 10.",
    )
    parser.add_argument("--partners", type=int, default=30, metavar="N", help="aantal partners per golf (standaard: 30)")
    parser.add_argument("--spreiding", type=float, default=60.0, metavar="SECONDEN",
                        help="over hoeveel seconden de partners van de eerste golf binnenkomen (standaard: 60)")
    parser.add_argument("--denktijd", type=float, default=1.0, metavar="SECONDEN",
                        help="wachttijd van een partner voor elk antwoord (standaard: 1)")
    parser.add_argument("--golf", choices=["verspreid", "tegelijk", "bespreken", "alle"], default="alle",
                        help="welke golf meten: binnenkomen verspreid of tegelijk, of opnieuw stemmen in de bespreking"
                        " (standaard: alle)")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, metavar="PAD",
                        help=f"de chromium die de partners gebruiken (standaard: {CHROMIUM})")
    parser.add_argument("--schermafdrukken", type=Path, metavar="MAP",
                        help="bewaar een schermafdruk van elke partner die vastliep in deze map")
    parser._positionals.title, parser._optionals.title = "argumenten", "opties"
    parser._actions[0].help = "toon deze hulp en stop"
    arguments = parser.parse_args()
    if arguments.partners < 1 or arguments.spreiding < 0 or arguments.denktijd < 0:
        parser.error("--partners moet minstens 1 zijn, --spreiding en --denktijd mogen niet negatief zijn")
    return arguments


async def run(arguments: argparse.Namespace, servers: list[Server]) -> None:
    from playwright.async_api import async_playwright

    def quiet(loop, context) -> None:  # after Ctrl+C the cancelled partners need no traceback each
        if not isinstance(context.get("exception"), asyncio.CancelledError):
            loop.default_exception_handler(context)

    asyncio.get_running_loop().set_exception_handler(quiet)
    golven = [("verspreid", "A", arguments.spreiding), ("tegelijk", "B", 1.0)]
    golven = [g for g in golven if arguments.golf in (g[0], "alle")]
    bespreken = None
    uitslagen: dict[str, Uitslag] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(arguments.chromium), args=CHROMIUM_ARGS)
        try:
            for golf, letter, spreiding in golven:
                print(f"Golf '{golf}':", flush=True)
                schermen = arguments.schermafdrukken / golf if arguments.schermafdrukken else None
                uitslagen[golf] = await measure(browser, letter, arguments.partners, spreiding, arguments.denktijd,
                                                servers, schermen)
            if arguments.golf in ("bespreken", "alle"):
                print("Golf 'bespreken':", flush=True)
                bespreken = await discussion(browser, arguments.partners, servers)
        finally:
            await asyncio.wait_for(browser.close(), timeout=STOPPEN)
    n = arguments.partners
    for golf, _, spreiding in golven:
        titel = (f"Golf 1: {n} partners verspreid over {spreiding:.0f} s" if golf == "verspreid"
                 else f"Golf 2: {n} partners in dezelfde seconde")
        report(titel, golf == "verspreid", uitslagen[golf])
    if bespreken is not None:
        report_discussion(bespreken)


def main() -> None:
    arguments = parse_arguments()
    if not arguments.chromium.exists():
        sys.exit(f"chromium niet gevonden: {arguments.chromium} (installeer het pakket 'chromium' of geef --chromium PAD)")
    print(f"{arguments.partners} partners per golf, {STELLINGEN} antwoorden per partner, denktijd {arguments.denktijd:g} s,"
          f" telefoon {TELEFOON['width']}×{TELEFOON['height']}, {os.cpu_count()} processorkernen", flush=True)
    servers: list[Server] = []

    def stop_on_term(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    try:
        asyncio.run(run(arguments, servers))
    except KeyboardInterrupt:
        print("\nOnderbroken: de servers worden gestopt.", file=sys.stderr)
        sys.exit(130)
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
