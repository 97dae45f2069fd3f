"""The results dashboard, driven as a coordinator would, on a copy of the demo database."""

import asyncio
import shutil
from datetime import date
from html import unescape

import ipywidgets as widgets
import pandas as pd
import pytest

from hvhk.apps import ui
from hvhk.apps.roadmap.dashboard import SECTIES, Dashboard, resultaten_app
from hvhk.base.demolabel import DEMO_LABEL
from roadmap import store
from roadmap.definition import load_roadmap


@pytest.fixture
def database(demo_database, tmp_path):
    path = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, path)
    return path


@pytest.fixture
def db(database):
    """A connection of the test's own to the copied store, to check what the dashboard saved."""
    connection = store.connect(database)
    yield connection
    connection.close()


@pytest.fixture
def rondes(db):
    """The rounds of the first demo Huis."""
    return store.rondes(db, int(store.huizen(db)["id"].iloc[0]))


@pytest.fixture
def dashboard(database, rondes):
    dashboard = Dashboard(database)
    dashboard.show(int(rondes["id"].iloc[-1]))
    yield dashboard
    dashboard.connection.close()


def _widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def _text(widget) -> str:
    """Everything a user can read in a widget tree: HTML, labels, options and tab titles."""
    parts = []
    for w in _widgets(widget):
        parts += [str(getattr(w, name, "")) for name in ("value", "description", "placeholder", "tooltip")]
        parts += list(getattr(w, "_options_labels", ()))
        parts += list(getattr(w, "titles", ()))
    return "\n".join(part for part in parts if isinstance(part, str))


def _section(dashboard, title):
    return dashboard.tabs.children[SECTIES.index(title)]


def _images(widget) -> list[bytes]:
    return [bytes(w.value) for w in _widgets(widget) if isinstance(w, widgets.Image)]


def _add_partner(database, ronde_id, naam, stelling_id) -> None:
    """Another participant saves an answer through a connection of their own, as in the workshop."""
    other = store.connect(database)
    deelnemer_id = store.save_deelnemer(other, ronde_id, naam, "Buurtwerk", None)
    answer = pd.DataFrame({"stelling_id": [stelling_id], "keuze": ["niveau"], "niveau": [3], "toelichting": [""]})
    store.save_antwoorden(other, deelnemer_id, answer)
    other.close()


def test_a_round_fills_every_section(dashboard):
    waar = _text(_section(dashboard, "Waar staan we?"))
    assert "Middelste helft" in waar and "Onderwijs" in waar
    assert len(_images(_section(dashboard, "Waar staan we?"))) == 1
    verschillen = _section(dashboard, "Verschillen tussen partners")
    assert len(_images(verschillen)) == 1
    assert "Partner A" in _text(verschillen) and "Op niveau 1–2" in _text(verschillen)
    assert "Waarom" in _text(_section(dashboard, "Blinde vlekken"))
    prioriteiten = _section(dashboard, "Prioriteiten")
    assert len(_images(prioriteiten)) == 1 and "Rang" in _text(prioriteiten)
    weg = _section(dashboard, "Afgelegde weg")
    assert len(_images(weg)) == 1 and "Ronde 1" in _text(weg) and "Ronde 2" in _text(weg)
    actieplan = _text(_section(dashboard, "Actieplan"))
    assert "Bewaard: " in actieplan and "Status" in actieplan
    assert "Ronde 2" in dashboard.samenvatting.value
    assert all(image.startswith(b"\x89PNG") for image in _images(dashboard.widget))


def test_the_first_round_has_no_road_travelled_yet(dashboard, rondes):
    dashboard.show(int(rondes["id"].iloc[0]))
    weg = _section(dashboard, "Afgelegde weg")
    assert "eerste ronde" in _text(weg) and not _images(weg)


def test_a_new_round_without_answers_shows_without_errors(dashboard, db):
    huis_id = int(store.huizen(db)["id"].iloc[0])
    ronde_id = store.save_ronde(db, huis_id, 3, "2027-03-16", load_roadmap())
    dashboard.show(ronde_id)
    assert "Nog geen deelnemers" in _text(_section(dashboard, "Verschillen tussen partners"))
    assert "Nog geen scores" in _text(_section(dashboard, "Prioriteiten"))
    assert "Nog geen acties" in _text(_section(dashboard, "Actieplan"))
    store.save_deelnemer(db, ronde_id, "Zonder antwoorden", "", "onderwijs")
    dashboard.show(ronde_id)
    assert len(_images(_section(dashboard, "Verschillen tussen partners"))) == 1
    assert dashboard.message_line.value == ""


def test_saving_priorities_lands_in_the_store(dashboard, db):
    plan = dashboard.actieplan
    plan.prioriteiten.value = ("kinderopvang", "jeugdhulp")
    plan.prioriteiten_bewaren.click()
    assert store.prioriteiten(db, dashboard.ronde_id) == ["jeugdhulp", "kinderopvang"]
    assert "Bewaard: Jeugdhulp, Kinderopvang." in plan.bewaard.value
    assert "hvhk-ok" in plan.message_line.value


def test_saving_no_priority_at_all_is_refused_in_dutch(dashboard, db):
    before = store.prioriteiten(db, dashboard.ronde_id)
    dashboard.actieplan.prioriteiten.value = ()
    dashboard.actieplan.prioriteiten_bewaren.click()
    assert "Kies minstens één levensdomein" in dashboard.actieplan.message_line.value
    assert store.prioriteiten(db, dashboard.ronde_id) == before


def test_adding_an_action_lands_in_the_store_and_empties_the_form(dashboard, db):
    plan = dashboard.actieplan
    plan.omschrijving.value = "Ouderavond <samen> met de scholen"
    plan.onderdeel.value = "onderwijs"
    plan.trekker.value = "CLB"
    plan.partners.value = "Bibliotheek, Jeugddienst"
    plan.termijn.value = date(2026, 9, 1)
    plan.status.value = "bezig"
    plan.toevoegen.click()
    added = store.acties(db, dashboard.ronde_id).iloc[-1]
    assert (added.omschrijving, added.onderdeel_id, added.trekker, added.partners, added.termijn, added.status) == (
        "Ouderavond <samen> met de scholen", "onderwijs", "CLB", "Bibliotheek, Jeugddienst", "2026-09-01", "bezig"
    )
    assert "Actie toegevoegd" in plan.message_line.value
    assert plan.omschrijving.value == "" and plan.onderdeel.value is None and plan.termijn.value is None
    assert "Ouderavond &lt;samen&gt; met de scholen" in plan.tabel.value, "what users type is escaped"
    assert "1 september 2026" in plan.tabel.value
    assert int(added.id) in [value for _, value in plan.actie.options]


@pytest.mark.parametrize(
    ("omschrijving", "onderdeel", "message"),
    [("   ", "onderwijs", "het veld 'Actie' is leeg"), ("Een actie", None, "Kies bij welk onderdeel")],
)
def test_an_incomplete_action_gets_a_dutch_message_and_saves_nothing(
    dashboard, db, omschrijving, onderdeel, message
):
    before = len(store.acties(db, dashboard.ronde_id))
    dashboard.actieplan.omschrijving.value = omschrijving
    dashboard.actieplan.onderdeel.value = onderdeel
    dashboard.actieplan.toevoegen.click()
    assert "hvhk-fout" in dashboard.actieplan.message_line.value and message in unescape(dashboard.actieplan.message_line.value)
    assert "Traceback" not in _text(dashboard.widget)
    assert len(store.acties(db, dashboard.ronde_id)) == before
    assert dashboard.actieplan.omschrijving.value == omschrijving, "the typed text stays, to correct it"


def test_changing_the_status_of_an_action(dashboard, db):
    plan = dashboard.actieplan
    first = store.acties(db, dashboard.ronde_id).iloc[0]
    plan.actie.value = int(first.id)
    assert plan.nieuwe_status.value == first.status, "the form starts from the action's current status"
    plan.nieuwe_status.value = "klaar"
    plan.status_wijzigen.click()
    changed = store.acties(db, dashboard.ronde_id).iloc[0]
    assert changed.status == "klaar"
    assert (changed.omschrijving, changed.termijn, changed.trekker) == (first.omschrijving, first.termijn, first.trekker)
    assert "Klaar" in plan.tabel.value and "hvhk-ok" in plan.message_line.value


def test_changing_a_status_without_choosing_an_action_says_so(dashboard, db):
    huis_id = int(store.huizen(db)["id"].iloc[0])
    dashboard.show(store.save_ronde(db, huis_id, 3, "2027-03-16", load_roadmap()))
    dashboard.actieplan.status_wijzigen.click()
    assert "Kies eerst de actie" in dashboard.actieplan.message_line.value


def test_projector_mode_adds_the_css_class_and_draws_larger_charts(dashboard):
    def width(png: bytes) -> int:
        return int.from_bytes(png[16:20], "big")  # from the PNG header

    normal = [width(png) for png in _images(dashboard.widget)]
    dashboard.projectie.value = True
    assert ui.PROJECTOR in dashboard.widget._dom_classes
    assert all(large > small for large, small in zip((width(png) for png in _images(dashboard.widget)), normal))
    dashboard.projectie.value = False
    assert ui.PROJECTOR not in dashboard.widget._dom_classes


def test_refresh_shows_what_another_connection_saved(dashboard, database):
    assert "960 antwoorden" in dashboard.samenvatting.value
    _add_partner(database, dashboard.ronde_id, "Nieuwe Partner", "onderwijs.1")
    assert "960 antwoorden" in dashboard.samenvatting.value
    dashboard.vernieuwen.click()
    assert "961 antwoorden" in dashboard.samenvatting.value
    assert "11 deelnemers" in dashboard.samenvatting.value


def test_automatic_refresh_redraws_on_a_change_only_and_stops_when_unchecked(dashboard, database):
    async def wait_for(condition) -> bool:
        for _ in range(200):
            if condition():
                return True
            await asyncio.sleep(0.02)
        return False

    async def scenario() -> None:
        dashboard.peiler.seconds = 0.01
        spider = _section(dashboard, "Waar staan we?").children[1]
        dashboard.automatisch.value = True
        polling = dashboard.peiler.task
        await asyncio.sleep(0.1)
        assert _section(dashboard, "Waar staan we?").children[1] is spider, "nothing changed, nothing redrawn"
        _add_partner(database, dashboard.ronde_id, "Nieuwe Partner", "onderwijs.1")
        assert await wait_for(lambda: "961 antwoorden" in dashboard.samenvatting.value)
        dashboard.automatisch.value = False
        await asyncio.sleep(0.05)
        assert polling.cancelled() and dashboard.peiler.task is None
        _add_partner(database, dashboard.ronde_id, "Nog een Partner", "onderwijs.1")
        await asyncio.sleep(0.1)
        assert "961 antwoorden" in dashboard.samenvatting.value

    asyncio.run(scenario())


def test_no_participant_name_appears_in_the_dashboard(dashboard, db, rondes):
    for ronde_id in rondes["id"]:
        dashboard.show(int(ronde_id))
        text = _text(dashboard.widget)
        names = store.deelnemers(db, int(ronde_id))["naam"]
        assert len(names) and not [naam for naam in names if naam in text]


def test_results_app_starts_at_the_latest_round_and_labels_demo_data(database, rondes):
    app = resultaten_app(database)
    huis, ronde, demo = app.children[2:5]
    assert len(huis.options) == 12
    assert [label.split(" – ")[0] for label, _ in ronde.options] == ["Ronde 2", "Ronde 1"]
    assert ronde.value == int(rondes["id"].iloc[-1])
    assert DEMO_LABEL in demo.value
    assert "Ronde 2" in _text(app.children[-1])
    huis.value = huis.options[1][1]
    assert "Partner A" in _text(app.children[-1]) and ronde.value == ronde.options[0][1]


def test_results_app_of_an_empty_database_says_so(tmp_path):
    app = resultaten_app(tmp_path / "leeg.sqlite")
    huis, ronde, demo, message_line = app.children[2:6]
    assert "nog geen Huizen" in message_line.value
    assert not huis.options and not ronde.options and not demo.value


def test_results_app_on_a_folder_gives_a_dutch_message(tmp_path):
    app = resultaten_app(tmp_path)
    assert "is een map" in _text(app)
