"""A whole networked workshop round in a real browser: the coordinator starts a round, two partners
fill in at the same time on their own 'devices' (browser contexts), one reloads midway, and the
SQLite file ends up holding exactly what they clicked."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from roadmap import store

HUIS = "Huis van het Kind Teststad"
APP_TIMEOUT = 25_000  # ms before a page that did not show its app is reloaded, as a user would


def open_app(page, url: str, ready: str) -> float:
    """Open `url` until the element `ready` shows; the seconds from the first answer of the server.

    The server prints its address just before it listens, so a refused connection is retried.
    """
    deadline = time.monotonic() + 60
    while True:
        try:
            start = time.monotonic()
            page.goto(url)
            break
        except PlaywrightError:
            assert time.monotonic() < deadline, f"{url} antwoordt niet"
            time.sleep(0.3)
    for attempt in range(3):
        if attempt:  # Voilà now and then never streams the outputs of a fresh kernel; a reload does
            print(f"herladen: {url}")
            page.reload()
        try:
            page.locator(ready).first.wait_for(timeout=APP_TIMEOUT)
            return time.monotonic() - start
        except PlaywrightError:
            continue
    raise AssertionError(f"{url} toonde de app niet na 3 pogingen")


def text_field(page, label: str):
    return page.locator(f".widget-text:has(label:text-is('{label}')) input")


def answer(page, stelling: str, label: str) -> None:
    page.locator(f".stelling-{stelling.replace('.', '-')} button", has_text=label).click()


def wait_for_rows(database, sql: str, expected: int, timeout: float = 10) -> float:
    """Poll the store until `sql` counts `expected`; the seconds that took."""
    start = time.monotonic()
    connection = store.connect(database)
    try:
        while connection.execute(sql).fetchone()[0] != expected:
            assert time.monotonic() - start < timeout, f"{sql} bleef niet op {expected}"
            time.sleep(0.005)
    finally:
        connection.close()
    return time.monotonic() - start


def join(page, url: str, code: str, naam: str, domein: str) -> None:
    open_app(page, url, ".widget-text:has(label:text-is('Toegangscode')) input")
    text_field(page, "Toegangscode").fill(code)
    page.get_by_role("button", name="Verder").click()
    text_field(page, "Naam").fill(naam)
    page.locator(".widget-dropdown:has(label:text-is('Levensdomein')) select").select_option(label=domein)
    page.get_by_role("button", name="Beginnen").click()
    page.locator(".stelling-onderwijs-1").wait_for()


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "hvhk.sqlite"
    connection = store.connect(path)
    store.save_huis(connection, HUIS, ["44021"])
    connection.close()
    return path


def listening_address(url: str) -> str:
    """The address the server behind `url` listens on, read from the kernel's socket table."""
    port = int(url.split(":")[2].split("/")[0])
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            return ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    raise AssertionError(f"niemand luistert op poort {port}")


def test_networked_round_with_two_partners_at_once(browser, database, start_server, screenshot):
    server = start_server(database, "--netwerk")
    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE").new_page()
    seconds = open_app(coordinator, server.workshop, "button:has-text('Nieuwe ronde starten')")
    print(f"\nworkshop-app interactief na {seconds:.1f} s")
    # the coordinator's screens stay on this computer; only the partner screen is on the network
    assert (listening_address(server.workshop), listening_address(server.partner)) == ("127.0.0.1", "0.0.0.0")
    coordinator.get_by_role("button", name="Nieuwe ronde starten").click()
    coordinator.get_by_text("Ronde 1 gestart.").wait_for()
    screenshot(coordinator, "workshop-start")
    coordinator.locator(".lm-TabBar-tab", has_text="Partners op hun toestel").click()
    code = coordinator.locator(".hvhk-code").inner_text().strip()
    screenshot(coordinator, "workshop-toegangscode")

    an, bart = (browser.new_context(viewport={"width": 1100, "height": 900}, locale="nl-BE").new_page() for _ in range(2))
    join(an, server.partner, code, "An", "Onderwijs")
    join(bart, server.partner, code, "Bart", "Kinderopvang")
    latencies = []
    clicks = [(an, "onderwijs.1", "3 – Uitbouwen"), (bart, "onderwijs.1", "1 – Verkennen"),
              (an, "onderwijs.2", "Weet niet"), (bart, "onderwijs.2", "2 – Opstarten")]
    for count, (page, stelling, label) in enumerate(clicks, start=1):
        answer(page, stelling, label)
        latencies.append(wait_for_rows(database, "SELECT count(*) FROM antwoord", count))
    print(f"antwoord in de database na {1000 * max(latencies):.0f} ms (traagste van {len(latencies)})")
    screenshot(an, "deelnemen-invullen")

    an.reload()  # a closed tab or a reload midway loses nothing
    join(an, server.partner, code, "An", "Onderwijs")
    an.get_by_text("Welkom terug").wait_for()
    selected = an.locator(".stelling-onderwijs-1 button.mod-active")
    assert selected.inner_text().strip() == "3 – Uitbouwen"
    answer(an, "onderwijs.3", "4 – Verankerd")
    wait_for_rows(database, "SELECT count(*) FROM antwoord", 5)

    an.get_by_role("button", name="Groepsresultaat bekijken").click()
    an.get_by_text("nog niet vrijgegeven").wait_for()
    coordinator.get_by_text("Partners mogen het groepsresultaat zien").click()
    wait_for_rows(database, "SELECT groep_zichtbaar FROM ronde", 1)
    an.get_by_role("button", name="Groepsresultaat bekijken").click()
    an.locator(".jp-OutputArea-output img, .output_png img, img").last.wait_for()
    screenshot(an, "deelnemen-groepsresultaat")

    coordinator.locator(".lm-TabBar-tab", has_text="Deelnemers").click()
    coordinator.get_by_role("button", name="Vernieuwen").click()
    table = coordinator.locator(".hvhk-deelnemers")
    table.get_by_text("3 van 96").wait_for()
    assert "An" in table.inner_text() and "2 van 96" in table.inner_text()
    coordinator.locator(".lm-TabBar-tab", has_text="Resultaten").click()
    coordinator.locator(".hvhk-dashboard img").first.wait_for(timeout=30_000)
    screenshot(coordinator, "workshop-resultaten")

    connection = store.connect(database)
    rows = connection.execute(
        "SELECT d.naam, a.stelling_id, a.keuze, a.niveau FROM antwoord a JOIN deelnemer d ON d.id = a.deelnemer_id"
        " ORDER BY 1, 2"
    ).fetchall()
    connection.close()
    assert [tuple(row) for row in rows] == [
        ("An", "onderwijs.1", "niveau", 3),
        ("An", "onderwijs.2", "weet_niet", None),
        ("An", "onderwijs.3", "niveau", 4),
        ("Bart", "onderwijs.1", "niveau", 1),
        ("Bart", "onderwijs.2", "niveau", 2),
    ]
