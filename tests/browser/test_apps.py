"""Every app as a coordinator, trainer or analyst meets it, in a real browser on the demo data: no
code, no traceback, Dutch messages for mistakes, and a screenshot of each main screen."""

from __future__ import annotations

import re
import shutil

import pytest

from roadmap import store

DEMO_HUIS = "Huis van het Kind Mechelen"


@pytest.fixture
def demo_copy(tmp_path, demo_database):
    path = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, path)
    return path


def test_coordinator_runs_a_round_on_one_screen(demo_copy, start_server, pagina):
    server = start_server(demo_copy)
    app = pagina()
    app.open(server.workshop, "button:has-text('Deelnemer toevoegen')")
    app.keuzelijst("Huis").select_option(label=DEMO_HUIS)
    app.page.get_by_text("fictieve demogegevens").first.wait_for()
    app.knop("Deelnemer toevoegen").click()
    app.page.get_by_text("Geef een naam of een schuilnaam op").wait_for()
    app.tekstveld("Naam").fill("Els (nieuw)")
    app.tekstveld("Organisatie").fill("Bibliotheek")
    app.knop("Deelnemer toevoegen").click()
    app.page.locator(".hvhk-deelnemers", has_text="Els (nieuw)").wait_for()
    app.screenshot("workshop-deelnemers")

    app.tab("Invullen")
    app.keuzelijst("Wie vult in?").select_option(label="Els (nieuw)")
    app.antwoord("onderwijs.1", "2 – Opstarten")
    app.page.get_by_text("1 van 96 stellingen beantwoord").wait_for()
    app.screenshot("workshop-invullen")
    connection = store.connect(demo_copy)
    saved = connection.execute(
        "SELECT a.niveau FROM antwoord a JOIN deelnemer d ON d.id = a.deelnemer_id WHERE d.naam = 'Els (nieuw)'"
    ).fetchall()
    connection.close()
    assert [row[0] for row in saved] == [2]

    app.tab("Resultaten")
    dashboard = app.page.locator(".hvhk-dashboard")
    dashboard.locator("img").first.wait_for(timeout=30_000)
    app.screenshot("resultaten-waar-staan-we")
    for section, name in (("Verschillen tussen partners", "verschillen"), ("Prioriteiten", "prioriteiten"),
                          ("Afgelegde weg", "afgelegde-weg"), ("Actieplan", "actieplan")):
        app.tab(section)
        app.screenshot(f"resultaten-{name}")
    assert "Els (nieuw)" not in dashboard.inner_text(), "the dashboard shows pseudonyms"
    app.knop("Projectiemodus").click()
    app.page.locator(".hvhk-projector").first.wait_for()
    app.tab("Waar staan we?")
    app.screenshot("resultaten-projectiemodus")
    app.controleer_schoon()


def test_results_scenarios_and_reports_apps(demo_copy, start_server, pagina, tmp_path):
    server = start_server(demo_copy)
    results = pagina()
    results.open(server.urls["Resultaten"], ".hvhk-dashboard img")
    menu = results.page.locator(".hvhk-menu a")
    assert menu.all_inner_texts() == ["Workshop", "Resultaten", "Loket-scenario's", "Rapporten maken"], "as written"
    assert results.page.locator(".hvhk-menu .hvhk-menu-open").inner_text() == "Resultaten", "the open app is marked"
    results.screenshot("app-resultaten")
    results.controleer_schoon()

    loket = pagina()
    loket.open(server.urls["Loket-scenario's"], "button:has-text('Simuleren')")
    loket.page.locator(".widget-text:has(label:text-is('Replicaties')) input").fill("3")
    readout = loket.page.locator(".widget-slider:has(label:text-is('Extra plaatsen')) .widget-readout")
    readout.click()
    loket.page.keyboard.press("Control+A")
    loket.page.keyboard.type("40")
    loket.page.keyboard.press("Enter")  # a slider let go simulates, without a click
    loket.page.get_by_text(re.compile(r"^Klaar: 3 replicaties per situatie")).wait_for(timeout=60_000)
    assert "Verschil" in loket.page.locator("table").first.inner_text()
    assert loket.page.locator("img").count() == 1
    loket.screenshot("app-loket-scenarios")
    loket.controleer_schoon()

    reports = pagina()
    reports.open(server.urls["Rapporten maken"], "button:has-text('Rapporten maken')")
    reports.knop("Rapporten maken").click()
    reports.page.get_by_text("Kies minstens één Huis").wait_for()
    reports.page.locator(".widget-select-multiple select").select_option(label=DEMO_HUIS)
    reports.tekstveld("Map").fill(str(tmp_path / "rapporten"))
    reports.knop("Rapporten maken").click()
    reports.page.get_by_text("Klaar: 1 van 1 rapporten gelukt.").wait_for(timeout=90_000)
    reports.screenshot("app-rapporten-maken")
    assert (tmp_path / "rapporten" / "index.html").exists()
    reports.controleer_schoon()
