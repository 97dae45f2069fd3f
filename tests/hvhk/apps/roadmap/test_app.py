"""The workshop screens driven in Python, as a coordinator clicks them, on a real SQLite file.

The partner's screen on a phone is tested in tests/hvhk/server/test_partner.py."""

import ipywidgets as widgets
import pytest

from hvhk.apps.roadmap.deelnemers import CONSENSUS, Deelnemers
from hvhk.apps.roadmap.invullen import Invulscherm
from hvhk.apps.roadmap.kiezen import NIEUW, HuisRondeKiezer
from roadmap import store


def find(root: widgets.Widget, css: str | None = None, kind: type | None = None) -> list[widgets.Widget]:
    """Every widget under `root` with CSS class `css` and/or of type `kind`, depth first."""
    found = []
    if (css is None or css in getattr(root, "_dom_classes", ())) and (kind is None or isinstance(root, kind)):
        found.append(root)
    for child in getattr(root, "children", ()):
        found += find(child, css, kind)
    return found


@pytest.fixture
def ronde(connection, mini_roadmap):
    huis = store.save_huis(connection, "Huis van het Kind Test", ["44021"])
    return store.save_ronde(connection, huis, 1, "2026-05-01", mini_roadmap)


def test_every_click_is_saved_at_once_and_shown_again_after_a_reload(connection, ronde):
    an = store.save_deelnemer(connection, ronde, "An")
    screen = Invulscherm(connection, an)
    assert screen.teller.value == "0 van 4 stellingen beantwoord"
    buttons = find(screen.widget, "stelling-onderwijs-1")[0]
    buttons.value = ("niveau", 3)
    note = find(screen.widget, kind=widgets.Text)[0]
    note.value = "Goede afspraken met de scholen"
    find(screen.widget, "stelling-onderwijs-2")[0].value = ("weet_niet", None)
    find(screen.widget, "belang-onderwijs")[0].value = 3
    answers = store.antwoorden(connection, ronde).set_index("stelling_id")
    expected = ["niveau", 3, "Goede afspraken met de scholen"]
    assert answers.loc["onderwijs.1", ["keuze", "niveau", "toelichting"]].tolist() == expected
    assert answers.loc["onderwijs.2", "keuze"] == "weet_niet"
    assert store.belangen(connection, ronde)["belang"].tolist() == [3]
    assert screen.voortgang.value == 2 and screen.teller.value == "2 van 4 stellingen beantwoord"
    assert screen.kiezer.options[0][0] == "Levensdomein: Onderwijs ✓"

    again = Invulscherm(connection, an)  # a reloaded page builds the screen anew from the store
    assert find(again.widget, "stelling-onderwijs-1")[0].value == ("niveau", 3)
    assert find(again.widget, kind=widgets.Text)[0].value == "Goede afspraken met de scholen"
    assert find(again.widget, "belang-onderwijs")[0].value == 3
    again.volgende.click()
    assert "Kinderopvang" in again.pagina.children[0].value
    assert find(again.widget, "stelling-kinderopvang-1")[0].value is None


def test_a_note_without_an_answer_asks_for_the_answer_first(connection, ronde):
    screen = Invulscherm(connection, store.save_deelnemer(connection, ronde, "An"))
    find(screen.widget, kind=widgets.Text)[0].value = "waarom?"
    assert "Kies eerst een antwoord" in screen.message_line.value and "hvhk-fout" in screen.message_line.value
    assert store.antwoorden(connection, ronde).empty


def test_participants_are_checked_and_listed_with_their_progress(connection, ronde):
    changed = []
    screen = Deelnemers(connection, bij_wijziging=lambda: changed.append(1))
    screen.show(ronde)
    screen.toevoegen.click()
    assert "Geef een naam of een schuilnaam op" in screen.message_line.value
    screen.naam.value, screen.organisatie.value, screen.domein.value = "<b>An</b>", "CLB", "onderwijs"
    screen.toevoegen.click()
    for taken in ("<B>AN</B>", " <b>an</b> "):  # the same deelnemer by store.deelnemer_key
        screen.naam.value = taken
        screen.toevoegen.click()
        assert "er is al een deelnemer" in screen.message_line.value.lower()
    screen.consensus.click()
    assert store.deelnemers(connection, ronde)["naam"].tolist() == ["<b>An</b>", CONSENSUS]
    assert "&lt;b&gt;An&lt;/b&gt;" in screen.tabel.value and "<b>An</b>" not in screen.tabel.value
    assert "0 van 4" in screen.tabel.value and "Onderwijs" in screen.tabel.value
    assert changed == [1, 1]


def test_a_new_huis_and_round_from_the_picker(connection, mini_roadmap):
    chosen = []
    picker = HuisRondeKiezer(connection, chosen.append)
    assert picker.huis.value == NIEUW and picker.nieuw_huis.layout.display == ""
    picker.naam.value = "Huis van het Kind Gent"
    picker.huis_opslaan.click()
    assert "kies minstens één gemeente" in picker.message_line.value
    picker.gemeenten.value = ["Gent"]
    picker.huis_opslaan.click()
    huis = store.huis_id(connection, "Huis van het Kind Gent")
    assert picker.huis.value == huis and picker.nieuw_huis.layout.display == "none"
    picker.huis.value = NIEUW
    picker.naam.value = "Huis van het Kind Gent"
    picker.gemeenten.value = ["Gent"]
    picker.huis_opslaan.click()
    assert "bestaat al een Huis" in picker.message_line.value
    picker.huis.value = huis
    picker.ronde_starten.click()
    rondes = store.rondes(connection, huis)
    assert rondes["nummer"].tolist() == [1] and chosen[-1] == rondes["id"].iloc[0]
