"""The coordinator's Bespreken tab on a real SQLite file: proposal, one stelling at a time, the vote
followed live, and the decision recorded. The browser test clicks the same screen in chromium."""

import asyncio

import pandas as pd
import pytest

from hvhk.apps.roadmap import bespreken as bespreken_module
from hvhk.apps.roadmap.bespreken import GEEN, Bespreken
from roadmap import store


@pytest.fixture
def ronde(connection, mini_roadmap):
    ronde_id = store.save_ronde(connection, store.save_huis(connection, "Huis van het Kind Test", ["44021"]), 1,
                                "2026-05-01", mini_roadmap)
    for naam, een, twee in [("An", 1, 1), ("Bart", 1, 2), ("Chris", 4, 4), ("Dina", 4, 4)]:
        deelnemer = store.save_deelnemer(connection, ronde_id, naam)
        store.save_antwoorden(connection, deelnemer, pd.DataFrame(
            {"stelling_id": ["onderwijs.1", "onderwijs.2"], "keuze": ["niveau", "niveau"], "niveau": [een, twee],
             "toelichting": [f"<i>{naam}</i> denkt {een}", ""]}))
    return ronde_id


def test_the_coordinator_picks_splits_follows_the_vote_and_records_the_decision(connection, ronde, monkeypatch):
    monkeypatch.setattr(bespreken_module, "POLL", 0.01)

    async def scenario() -> None:
        tab = Bespreken(connection)
        tab.show(ronde)
        labels = [box.description for box in tab.voorstel.children]
        assert labels == ["Onderwijs: Scholen kennen het Huis. (2 laag, 2 hoog)",
                          "Onderwijs: We stemmen het aanbod af. (2 laag, 2 hoog)"]
        tab._add()
        assert "Vink eerst" in tab.message_line.value and store.besprekingen(connection, ronde).empty
        tab.voorstel.children[0].value = True
        tab._add()
        assert [box.description for box in tab.voorstel.children] == labels[1:]  # planned: no longer proposed
        assert tab.stelling.options == (("1. Scholen kennen het Huis.", "onderwijs.1"),)
        assert "verdeeld" in tab.kaart.value and "Na de bespreking" not in tab.kaart.value
        assert "&lt;i&gt;An&lt;/i&gt; denkt 1" in tab.kaart.value and "An:" not in tab.kaart.value

        tab.stemming.value = True
        assert store.stemming(connection, ronde) == "onderwijs.1"
        assert "0 van 4 partners stemden opnieuw" in tab.kaart.value
        for deelnemer in store.deelnemers(connection, ronde)["id"]:
            store.save_stem(connection, int(deelnemer), "onderwijs.1", "niveau", 3)
        for _ in range(100):  # the open vote is followed without a click
            if "4 van 4 partners stemden opnieuw" in tab.kaart.value:
                break
            await asyncio.sleep(0.01)
        assert "4 van 4 partners stemden opnieuw" in tab.kaart.value and "eens</span> (op 3)" in tab.kaart.value

        tab._record()
        assert "Kies eerst het niveau" in tab.message_line.value
        tab.niveau.value = 3
        tab.notitie.value = "Samen gezien."
        tab._record()
        assert store.stemming(connection, ronde) is None and not tab.stemming.value and tab.peiler.task is None
        assert store.besprekingen(connection, ronde)[["stelling_id", "niveau", "notitie"]].values.tolist() == [
            ["onderwijs.1", 3, "Samen gezien."]]
        assert tab.stelling.options[0][0].endswith("✓")

        tab.voorstel.children[0].value = True
        tab._add()
        tab._step(1)
        assert tab.stelling.value == "onderwijs.2" and tab.niveau.value is None
        tab.niveau.value = GEEN
        tab._record()
        assert pd.isna(store.besprekingen(connection, ronde)["niveau"].iloc[1])
        tab._step(-1)
        assert (tab.niveau.value, tab.notitie.value) == (3, "Samen gezien.")  # a recorded decision shows again

    asyncio.run(scenario())
