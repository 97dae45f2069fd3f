from hvhk.demodata import LABEL
from roadmap import store
from roadmap.widgets import ronde_overzicht


def test_overzicht_lists_huizen_and_rounds_and_labels_demo_data(demo_database):
    message, huis_keuze, ronde_keuze, _ = ronde_overzicht(demo_database).children
    assert len(huis_keuze.options) == 12
    assert [label.split(" – ")[0] for label, _ in ronde_keuze.options] == ["Ronde 1", "Ronde 2"]
    assert ronde_keuze.value == ronde_keuze.options[-1][1], "the latest round is shown first"
    assert LABEL in message.value


def test_overzicht_of_an_empty_database_says_so(tmp_path):
    store.connect(tmp_path / "leeg.sqlite").close()
    message, huis_keuze, ronde_keuze, _ = ronde_overzicht(tmp_path / "leeg.sqlite").children
    assert "nog geen Huizen" in message.value
    assert not huis_keuze.options and not ronde_keuze.options
