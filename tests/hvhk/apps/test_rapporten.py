import ipywidgets as widgets
import pytest

from hvhk.apps.rapporten import rapporten_app
from rapporten import batch
from roadmap import store


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def _field(app, description):
    return next(w for w in _all(app) if getattr(w, "description", None) == description)


def _text(app):
    return " ".join(w.value for w in _all(app) if isinstance(w, widgets.HTML))


@pytest.fixture(autouse=True)
def uitvoer(tmp_path, monkeypatch):
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path / "uitvoer"))  # no simulation results there


def test_the_chosen_huizen_are_rendered_listed_and_indexed(demo_database, tmp_path):
    app = rapporten_app(demo_database)
    keuze = _field(app, "Huizen")
    assert len(keuze.options) == 12
    keuze.value = tuple(value for _label, value in keuze.options[:2])
    _field(app, "Map").value = str(tmp_path / "rapporten")
    _field(app, "Rapporten maken").click()
    index = tmp_path / "rapporten" / "index.html"

    names = [label for label, _value in keuze.options[:2]]
    assert index.exists() and all(name in index.read_text() for name in names)
    assert len(list((tmp_path / "rapporten").glob("0*.html"))) == 2
    text = _text(app)
    assert "Klaar: 2 van 2 rapporten gelukt." in text and "Zonder loketsimulatie" in text
    assert all(f"{name}: <span class='hvhk-ok'>klaar</span>" in text for name in names)
    assert index.as_uri() in text
    progress = _field(app, "Voortgang")
    assert progress.value == progress.max == 2
    assert not _field(app, "Rapporten maken").disabled


def test_making_more_reports_keeps_the_others_in_the_overview(demo_database, tmp_path):
    app = rapporten_app(demo_database)
    keuze = _field(app, "Huizen")
    _field(app, "Map").value = str(tmp_path / "rapporten")
    for _label, value in keuze.options[:2]:
        keuze.value = (value,)
        _field(app, "Rapporten maken").click()
    assert "Klaar: 1 van 1 rapporten gelukt." in _text(app)
    page = (tmp_path / "rapporten" / "index.html").read_text()
    assert all(label in page for label, _value in keuze.options[:2]) and "2 rapporten, waarvan 2 gelukt." in page


def test_all_chosen_huizen_in_one_batch_with_the_bar_moving_per_report(demo_database, tmp_path, monkeypatch):
    batches, bar = [], []

    def render_all(opdrachten, werkers=2, voortgang=True, dask_adres=None, klaar=None):
        batches.append((len(opdrachten), werkers))
        for done in range(1, len(opdrachten) + 1):
            klaar(done, len(opdrachten))
            bar.append((progress.value, progress.max))
        return [batch.Resultaat(opdracht) for opdracht in opdrachten]

    monkeypatch.setattr(batch, "render_all", render_all)
    app = rapporten_app(demo_database)
    progress = _field(app, "Voortgang")
    _field(app, "Alle Huizen").click()
    _field(app, "Rapporten tegelijk").value = 1
    _field(app, "Map").value = str(tmp_path / "rapporten")
    _field(app, "Rapporten maken").click()
    assert batches == [(12, 1)], "one batch: its warm kernels serve every report"
    assert bar == [(done, 12) for done in range(1, 13)]


def test_no_huis_chosen_says_so_in_dutch(demo_database, tmp_path):
    app = rapporten_app(demo_database)
    _field(app, "Map").value = str(tmp_path / "rapporten")
    _field(app, "Rapporten maken").click()
    assert "Kies minstens één Huis" in _text(app)
    assert not (tmp_path / "rapporten").exists()


def test_alle_huizen_chooses_every_huis(demo_database):
    app = rapporten_app(demo_database)
    _field(app, "Alle Huizen").click()
    assert len(_field(app, "Huizen").value) == 12


def test_names_and_errors_are_escaped_and_failures_reported(tmp_path, monkeypatch):
    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    store.save_huis(connection, "<b>Huis</b> & co", ("44086",), demo=False)
    connection.close()
    batches = []

    def fail(opdrachten, werkers=2, voortgang=True, dask_adres=None, klaar=None):
        batches.append((len(opdrachten), voortgang))
        return [batch.Resultaat(opdracht, fout="<script>kapot</script>") for opdracht in opdrachten]

    monkeypatch.setattr(batch, "render_all", fail)
    app = rapporten_app(database)
    _field(app, "Alle Huizen").click()
    _field(app, "Map").value = str(tmp_path / "rapporten")
    _field(app, "Rapporten maken").click()

    text = _text(app)
    assert "&lt;b&gt;Huis&lt;/b&gt; &amp; co" in text and "&lt;script&gt;kapot&lt;/script&gt;" in text
    assert "<b>Huis" not in text and "<script>" not in text
    assert "Klaar: 0 van 1 rapporten gelukt." in text and "hvhk-fout" in text
    assert batches == [(1, False)], "no progress bar on stderr"


def test_an_empty_database_says_there_are_no_huizen(tmp_path):
    app = rapporten_app(tmp_path / "leeg.sqlite")
    assert "nog geen Huizen" in _text(app) and not _field(app, "Huizen").options


def test_a_folder_that_cannot_be_made_gives_a_dutch_message(demo_database, tmp_path):
    (tmp_path / "bestand").write_text("")
    app = rapporten_app(demo_database)
    _field(app, "Alle Huizen").click()
    _field(app, "Map").value = str(tmp_path / "bestand" / "rapporten")
    _field(app, "Rapporten maken").click()
    assert "Kan de map niet maken" in _text(app) and "Traceback" not in _text(app)
