"""Privacy: a partner's access code opens only its own Huis's round, codes are compared in constant
time, reports name no participant and no other Huis, and nothing leaves the computer.

What other tests cover already, and is not repeated here: exports without names unless asked
(tests/roadmap/test_io.py, tests/hvhk/test_cli_roadmap.py), the comparison withheld below
`analysis.MINIMUM_HUIZEN` others (tests/roadmap/test_analysis.py, tests/rapporten/test_huis.py), the
disagreement section by pseudonym (tests/rapporten/test_huis.py) and a rendered report opened in a
browser without outside requests (tests/browser/test_reports.py).
"""

import hmac
import ipaddress
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from starlette.testclient import TestClient

from hvhk.server import partner as partner_module
from rapporten.batch import file_name
from rapporten.huis import HuisRapport
from roadmap import charts, store


class Partner:
    """The partner's screen of a networked workshop, used as a partner's phone would."""

    def __init__(self):
        self.client = TestClient(partner_module.app)

    def open(self, code: str, naam: str | None = None) -> str:
        page = self.client.post("/", data={"code": code})
        if naam is not None:
            page = self.client.post("/beginnen", data={"code": code, "naam": naam})
        return page.text


def _antwoord(stelling_id: str, niveau: int, toelichting: str = "") -> pd.DataFrame:
    return pd.DataFrame([{"stelling_id": stelling_id, "keuze": "niveau", "niveau": niveau, "toelichting": toelichting}])


@pytest.fixture
def huizen(connection, mini_roadmap, monkeypatch):
    """The store's path and Huis A and Huis B, one round each with its access code; Bart already
    answered in Huis B. The partner's screen serves this store."""
    monkeypatch.setattr(partner_module, "WACHT_NA_FOUTE_CODE", 0)
    rondes = {
        naam: store.save_ronde(connection, store.save_huis(connection, naam, [nis]), 1, "2026-05-01", mini_roadmap)
        for naam, nis in (("Huis A", "44021"), ("Huis B", "11002"))
    }
    bart = store.save_deelnemer(connection, rondes["Huis B"], "Bart", "CLB", "onderwijs")
    store.save_antwoorden(connection, bart, _antwoord("onderwijs.1", 4, "alleen voor Huis B"))
    store.set_groep_zichtbaar(connection, rondes["Huis A"], True)
    store.set_groep_zichtbaar(connection, rondes["Huis B"], True)
    codes = {naam: store.new_toegangscode(connection, ronde) for naam, ronde in rondes.items()}
    database = connection.execute("PRAGMA database_list").fetchone()[2]
    monkeypatch.setenv("HVHK_DATABASE", database)
    return database, rondes, codes


def test_the_code_of_one_huis_never_opens_another_huis_round(connection, huizen, monkeypatch):
    database, rondes, codes = huizen
    huis_b = store.antwoorden(connection, rondes["Huis B"])
    drawn, spider = [], charts.spider
    monkeypatch.setattr(charts, "spider", lambda niveaus, *rest: drawn.append(niveaus) or spider(niveaus, *rest))
    partner = Partner()
    page = partner.open(codes["Huis A"], naam="Bart")  # the same name as a partner of Huis B
    assert "Elk antwoord wordt meteen bewaard." in page, "a new partner of Huis A, not Bart of Huis B"
    assert not re.search(r'<button[^>]*aria-pressed="true"', page) and "alleen voor Huis B" not in page
    partner.client.post("/antwoord", data={"stelling": "onderwijs.1", "keuze": "niveau-1"})

    eigen = store.antwoorden(connection, rondes["Huis A"])
    assert eigen[["stelling_id", "niveau"]].values.tolist() == [["onderwijs.1", 1]]
    pd.testing.assert_frame_equal(store.antwoorden(connection, rondes["Huis B"]), huis_b)
    assert store.deelnemers(connection, rondes["Huis B"])["naam"].tolist() == ["Bart"]

    partner.client.get("/groep")  # the group of Huis A only: Bart of Huis B scored 4
    assert drawn[-1].set_index("onderdeel_id").loc["onderwijs", ["mediaan", "n"]].tolist() == [1, 1]


def test_access_codes_are_compared_in_constant_time(huizen, monkeypatch):
    database, _, codes = huizen
    compared = []

    def compare_digest(typed, stored):
        compared.append((typed, stored))
        return digest(typed, stored)

    digest = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", compare_digest)
    for code in ("FOUT12", *codes.values()):  # FOUT12 has an O and a 1, which no code has
        compared.clear()
        Partner().open(code)
        # every stored code, even after the match: how long a guess takes tells nothing
        assert sorted(stored for _, stored in compared) == sorted(c.encode() for c in codes.values())
        assert {typed for typed, _ in compared} == {code.encode()}


def test_a_wrong_code_waits_before_the_next_guess(huizen, monkeypatch):
    _, _, codes = huizen
    monkeypatch.setattr(partner_module, "WACHT_NA_FOUTE_CODE", 1.0)
    waits = []

    async def wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(partner_module.asyncio, "sleep", wait)
    partner = Partner()
    assert "Deze toegangscode klopt niet" in partner.open("FOUT12") and waits == [1.0]
    partner.open(codes["Huis A"])
    assert waits == [1.0], "the right code does not wait"


def test_a_huis_alone_in_the_store_gets_its_report_with_the_comparison_withheld(tmp_path, mini_roadmap):
    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    ronde = store.save_ronde(connection, store.save_huis(connection, "Huis A", ["44021"]), 1, "2026-05-01", mini_roadmap)
    store.save_antwoorden(connection, store.save_deelnemer(connection, ronde, "An"), _antwoord("onderwijs.1", 3))
    connection.close()
    html = HuisRapport.load(database, 1).andere_huizen().data
    assert "Te weinig andere Huizen om te vergelijken." in html and "<table>" not in html


# The coordinator's workshop and a partner's screen, used offline (run by `offline_run` below).
WORKSHOP = """
import os, sys
import ipywidgets as widgets
from starlette.testclient import TestClient
from roadmap import store
from hvhk.apps.roadmap.workshop import workshop_app

def alle(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from alle(child)

def eerste(root, kind, **attributes):
    return next(w for w in alle(root) if isinstance(w, kind) and all(getattr(w, k) == v for k, v in attributes.items()))

def stelling(root):
    return next(w for w in alle(root) if any(c.startswith("stelling-") for c in getattr(w, "_dom_classes", ())))

os.environ["HVHK_PARTNER_ADRES"] = "http://192.168.1.20:8867/"  # as `hvhk workshop --netwerk` sets it
database = sys.argv[1]
os.environ["HVHK_DATABASE"] = database  # the partner's screen serves this store
from hvhk.server.partner import app as partner_app
connection = store.connect(database)
app = workshop_app(database)  # the first Huis and its latest round; the partner tab makes the access code
tabs = eerste(app, widgets.Tab)
tabs.selected_index = 2  # the results dashboard draws its charts
tabs.selected_index = 1
wie = eerste(app, widgets.Dropdown, description="Wie vult in?")
wie.value = wie.options[0][1]
stelling(app).value = ("niet_van_toepassing", None)
ronde_id = store.deelnemer_ronde(connection, wie.value)

partner = TestClient(partner_app)  # in this process: no socket, so strace sees only what the code reaches for
partner.post("/beginnen", data={"code": store.toegangscode(connection, ronde_id), "naam": "Gast"})
partner.post("/antwoord", data={"stelling": "onderwijs.1", "keuze": "niveau-2"}).raise_for_status()

antwoorden = store.antwoorden(connection, ronde_id)
gast = store.deelnemers(connection, ronde_id).set_index("naam").at["Gast", "id"]
assert (antwoorden["deelnemer_id"] == gast).sum() == 1, "the partner's answer was saved"
assert (antwoorden.loc[antwoorden["deelnemer_id"] == wie.value, "keuze"] == "niet_van_toepassing").any()
"""
# A connection to a documentation address (TEST-NET-1) that nobody answers: shows the watch works.
CONTROLE = "import socket; socket.socket().connect_ex(('192.0.2.1', 80))"
SYSCALL = re.compile(r"^(connect|sendto|sendmsg|sendmmsg)\(.*sa_family=AF_INET6?,")
ADRES = re.compile(r'sin6?_port=htons\((\d+)\).*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')


def _waarom_niet_offline(apt_programma) -> str | None:
    """Why this machine cannot run a command without network and watch its connections, or None."""
    for tool, pakket in (("unshare", "util-linux"), ("ip", "iproute2"), ("strace", "strace")):
        apt_programma(tool, pakket)
    probe = subprocess.run(["unshare", "--net", "strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect", "true"],
                           capture_output=True, text=True, check=False)
    if probe.returncode:
        return f"'unshare --net' with strace does not work here (it needs root and ptrace): {probe.stderr.strip()}"
    return None


def naar_buiten(strace_folder: Path) -> list[tuple[str, int]]:
    """Every address outside this computer that a traced process tried to connect or send to."""
    found = []
    for path in strace_folder.iterdir():
        for line in path.read_text(errors="replace").splitlines():
            if SYSCALL.match(line) and (match := ADRES.search(line)):
                port, ipv4, ipv6 = match.groups()
                address = ipaddress.ip_address(ipv4 or ipv6)
                if not (address.is_loopback or address.is_unspecified):
                    found.append((str(address), int(port)))
    return found


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory, demo_database, apt_programma):
    """The report of the first demo Huis rendered, and a workshop held, in one run without network.

    The run happens in a new network namespace with only the loopback device (`unshare --net`),
    under strace, which logs every connect and send of every process (the kernels too) at the
    system-call level, including those of C libraries such as zmq. Where that is impossible, the
    report is rendered without the watch, for the tests that only read it.
    """
    folder = tmp_path_factory.mktemp("offline")
    database, uitvoer, trace = folder / "hvhk.sqlite", folder / "uit", folder / "strace"  # no "rapporten" in cwd
    shutil.copy(demo_database, database)
    connection = store.connect(database)
    huizen = store.huizen(connection)
    connection.close()
    huis = huizen.iloc[0]
    steps = [
        [sys.executable, "-m", "hvhk", "rapporten", "--huis", huis["naam"], "--werkers", "1",
         "--database", str(database), "--uitvoer", str(uitvoer), "--simulatie", str(folder / "geen.csv")],
        [sys.executable, "-c", WORKSHOP, str(database)],
    ]
    waarom = _waarom_niet_offline(apt_programma)
    if waarom is None:
        steps.append([sys.executable, "-c", CONTROLE])
    command = ["sh", "-c", " && ".join(shlex.join(step) for step in steps)]
    if waarom is None:
        trace.mkdir()
        strace = ["strace", "-f", "-ff", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg,sendmmsg",
                  "-e", "signal=none", "-o", str(trace / "proces")]
        command = ["unshare", "--net", "sh", "-c", f"ip link set lo up && exec {shlex.join([*strace, *command])}"]
    environment = {**os.environ, "HVHK_UITVOER": str(folder / "uitvoer")}
    result = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {"waarom": waarom, "strace": trace, "rapport": uitvoer / file_name(int(huis["id"]), huis["naam"]),
            "huizen": huizen, "database": database}


def test_a_report_and_a_workshop_try_to_reach_nothing_outside_this_computer(offline_run):
    if offline_run["waarom"]:
        pytest.skip(f"cannot run without network and watch connections: {offline_run['waarom']}")
    assert naar_buiten(offline_run["strace"]) == [("192.0.2.1", 80)], "only the control connection went out"


def test_the_huis_report_names_no_participant_and_no_other_huis(offline_run):
    html = offline_run["rapport"].read_text(encoding="utf-8")
    huis, *andere = offline_run["huizen"].itertuples()
    connection = store.connect(offline_run["database"])
    namen = {naam for ronde in store.rondes(connection, huis.id)["id"]
             for naam in store.deelnemers(connection, int(ronde))["naam"]}
    connection.close()
    assert escape(huis.naam) in html and "Partner A" in html, "the report shows its Huis, and partners by pseudonym"
    assert len(namen) > 5 and [naam for naam in namen if naam in html or escape(naam) in html] == []
    assert [h.naam for h in andere if h.naam in html or escape(h.naam) in html] == []


# `hvhk workshop --netwerk` served without network (run by `offline_server` below): the servers
# run under strace, the browser that opens both screens runs beside them, untraced, and reports
# every request it made.
SERVER = """
import json, os, re, signal, subprocess, sys, time
from playwright.sync_api import sync_playwright

chromium, database, trace, log = sys.argv[1:5]
strace = ["strace", "-f", "-ff", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg,sendmmsg",
          "-e", "signal=none", "-o", trace + "/server"]
with open(log, "w") as output:
    server = subprocess.Popen([*strace, sys.executable, "-m", "hvhk", "workshop", "--netwerk", "--geen-browser",
                               "--database", database], stdout=output, stderr=subprocess.STDOUT,
                              start_new_session=True)
try:
    deadline = time.monotonic() + 240
    while "Partners openen" not in open(log).read():
        assert server.poll() is None and time.monotonic() < deadline, open(log).read()
        time.sleep(0.2)
    text = open(log).read()
    coordinator = re.search(r"draait op (\\S+)", text).group(1)
    partner = "http://127.0.0.1:" + re.search(r"Partners openen .*:(\\d+)/", text).group(1) + "/"
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(coordinator)
        page.get_by_role("button", name="Nieuwe ronde starten").wait_for(timeout=60_000)
        page.goto(partner)
        page.get_by_label("Toegangscode").wait_for(timeout=60_000)
        browser.close()
    print(json.dumps(requests))
finally:
    os.killpg(server.pid, signal.SIGTERM)  # the servers, and strace with them
    server.wait(timeout=60)
"""


@pytest.fixture(scope="module")
def offline_server(tmp_path_factory, demo_database, apt_programma):
    """The requests a browser made to a networked workshop, and what its servers tried to reach, offline."""
    waarom = _waarom_niet_offline(apt_programma)
    if waarom:
        pytest.skip(f"cannot run without network and watch connections: {waarom}")
    chromium = apt_programma("chromium", "chromium")
    folder = tmp_path_factory.mktemp("offline-server")
    database, trace = folder / "hvhk.sqlite", folder / "strace"
    shutil.copy(demo_database, database)
    trace.mkdir()
    script = shlex.join([sys.executable, "-c", SERVER, chromium, str(database), str(trace), str(folder / "log")])
    result = subprocess.run(["unshare", "--net", "sh", "-c", f"ip link set lo up && exec {script}"], cwd=folder,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {"requests": json.loads(result.stdout.splitlines()[-1]), "strace": trace}


def test_the_workshop_servers_and_their_pages_reach_nothing_outside_this_computer(offline_server):
    hosts = {urlsplit(url).hostname for url in offline_server["requests"]}
    assert hosts == {"127.0.0.1"}, "every script, style and font comes from this computer"
    # the one probe is lan_address(), which only picks the network card for the partner address
    assert naar_buiten(offline_server["strace"]) == [("192.0.2.1", 9)]
