import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from rapporten import batch
from rapporten.render import resultaten
from roadmap import store


def test_file_names_cannot_leave_the_output_folder():
    for naam in ["../../etc/passwd", "Huis/../../x", "..", "<b>Huis</b>", "Huis van het Kind Zoë 🎈"]:
        name = batch.file_name(7, naam)
        assert "/" not in name and ".." not in name and name.startswith("007-") and name.endswith(".html")
    assert batch.file_name(3, "Huis van het Kind Zoë") == "003-huis-van-het-kind-zoe.html"


def test_one_failing_report_does_not_stop_the_others(tmp_path, demo_database):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(1)
    connection.close()
    good = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path)[0]
    bad = batch.Opdracht(999, "Bestaat niet", "", {**good.parameters, "huis_id": 999}, tmp_path / "999-x.html")
    results = batch.render_all([bad, good], werkers=2, voortgang=False)
    assert [r.gelukt for r in results] == [False, True]
    assert "Huis 999 staat niet in de database" in results[0].fout
    assert good.bestand.exists() and not bad.bestand.exists()

    index = batch.write_index(results, tmp_path, demo=True)
    page = index.read_text()
    assert f'href="{good.bestand.name}"' in page and 'href="999-x.html"' not in page
    assert "mislukt" in page and "fictieve demogegevens" in page
    assert not list(Path(tmp_path).glob("*.tmp")), "no half-written files"


def test_a_rerun_redoes_only_the_reports_whose_inputs_changed(tmp_path, demo_database):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(2)
    connection.close()
    simulatie = tmp_path / "loket.csv"
    rows = [{"nis": nis, "scenario": "huidige situatie", "soort": "situatie", "geboorten_per_jaar": 100, "plaatsen": 50,
             "loket_medewerkers": 1, "maat": "bezetting", "gemiddelde": 0.9, "ci_laag": 0.8, "ci_hoog": 1.0, "n": 3}
            for nis in [*huizen.iloc[0]["gemeenten"], *huizen.iloc[1]["gemeenten"]]]
    pd.DataFrame(rows).to_csv(simulatie, index=False)
    first_only = batch.huis_opdrachten(huizen.head(1), demo_database, simulatie, tmp_path)
    assert all(r.gelukt and not r.ongewijzigd for r in batch.render_all(first_only, voortgang=False))
    made = first_only[0].bestand.stat().st_mtime_ns

    # as after a killed batch: the first report is done, the second is missing
    results = batch.render_all(batch.huis_opdrachten(huizen, demo_database, simulatie, tmp_path), voortgang=False)
    assert [(r.gelukt, r.ongewijzigd) for r in results] == [(True, True), (True, False)]
    assert first_only[0].bestand.stat().st_mtime_ns == made

    # new simulation results for the second Huis's gemeenten only: only its report is redone
    table = pd.read_csv(simulatie, dtype={"nis": str})
    table.loc[table["nis"].isin(huizen.iloc[1]["gemeenten"]), "gemiddelde"] = 0.7
    table.to_csv(simulatie, index=False)
    results = batch.render_all(batch.huis_opdrachten(huizen, demo_database, simulatie, tmp_path), voortgang=False)
    assert [r.ongewijzigd for r in results] == [True, False]
    assert "70\u00a0%" in results[1].opdracht.bestand.read_text()
    index = batch.write_index(results, tmp_path, demo=True).read_text()
    assert "ongewijzigd" in index


def test_reports_that_are_up_to_date_start_no_worker(tmp_path, demo_database, monkeypatch):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(2)
    connection.close()
    opdrachten = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path)
    progress = []
    results = batch.render_all(opdrachten, voortgang=False, klaar=lambda done, total: progress.append((done, total)))
    assert all(r.gelukt for r in results) and progress == [(1, 2), (2, 2)]

    monkeypatch.setattr(batch, "shared_pool", None)  # asking for the workers now would fail the batch
    progress.clear()
    results = batch.render_all(opdrachten, voortgang=False, klaar=lambda done, total: progress.append((done, total)))
    assert all(r.ongewijzigd for r in results) and progress == [(1, 2), (2, 2)]


def test_the_next_batch_reuses_the_workers_and_their_kernels(tmp_path, demo_database, monkeypatch):
    from hvhk.base import processes

    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(2)
    connection.close()
    first, second = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path)
    assert batch.render_all([first], voortgang=False)[0].gelukt
    monkeypatch.setattr(processes, "ProcessPoolExecutor", None)  # a new pool now would fail the batch
    assert batch.render_all([second], voortgang=False)[0].gelukt


def test_workers_warmed_up_ahead_make_the_reports(tmp_path, demo_database, monkeypatch):
    from hvhk.base import processes

    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(1)
    connection.close()
    batch.warm_up(werkers=3)  # a pool of this test's own
    monkeypatch.setattr(processes, "ProcessPoolExecutor", None)  # a new pool now would fail the batch
    opdrachten = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path)
    assert batch.render_all(opdrachten, werkers=3, voortgang=False)[0].gelukt


def test_a_failure_is_told_by_its_last_line_without_colour_codes():
    papermill = RuntimeError("\x1b[0;31m---\x1b[0m\nTraceback (most recent call last):\n  File 'x'\n\n"
                             "\x1b[0;31mValueError\x1b[0m: kapot\n")
    assert batch._last_line(papermill) == "ValueError: kapot"
    assert batch._last_line(KeyError()) == "KeyError"


@pytest.mark.usefixtures("chromium")  # a fresh machine has none until a test installs it
def test_pdf_on_request_next_to_the_html(tmp_path, demo_database):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(1)
    connection.close()
    opdrachten = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path, pdf=True)
    assert batch.render_all(opdrachten, voortgang=False)[0].gelukt
    pdf = opdrachten[0].bestand.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2  # pages, not /Pages
    again = batch.render_all(opdrachten, voortgang=False)[0]
    assert again.ongewijzigd
    index = batch.write_index([again], tmp_path, demo=True).read_text()
    assert f'href="{opdrachten[0].bestand.with_suffix(".pdf").name}">PDF' in index


def test_the_executed_notebook_keeps_the_numbers_the_report_shows(tmp_path, demo_database):
    import nbformat

    from hvhk.base.formatting import as_number
    from rapporten.render import resultaten
    from roadmap import analysis

    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(1)
    ronde = store.rondes(connection, int(huizen.iloc[0]["id"])).iloc[-1]
    direct = analysis.per_onderdeel(store.antwoorden(connection, int(ronde["id"])),
                                    store.ronde_roadmap(connection, int(ronde["id"])).stellingen)
    connection.close()
    opdracht = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path)[0]
    assert batch.render_all([opdracht], voortgang=False)[0].gelukt
    notebook = nbformat.read(tmp_path / ".notebooks" / f"{opdracht.bestand.stem}.ipynb", as_version=4)
    numbers = resultaten(notebook)
    expected = direct.loc[direct["soort"] == "levensdomein"].set_index("onderdeel_id")["mediaan"]
    assert numbers["mediaan_per_levensdomein"] == pytest.approx(expected.to_dict())
    assert numbers["ronde"] == int(ronde["nummer"])
    html = opdracht.bestand.read_text()
    assert "mediaan_per_levensdomein" not in html  # data, not drawn
    assert 'alt="Spinnenweb: per levensdomein' in html and "No description" not in html
    assert f'<td>Onderwijs</td><td class="getal">{as_number(expected["onderwijs"])}</td>' in html


def test_a_gemeente_report_shows_the_loket_and_its_scenarios(tmp_path):
    from hvhk import demodata
    from hvhk.base.demolabel import DEMO_LABEL
    from hvhk.demo import simulate
    from roadmap.definition import load_roadmap

    figures = demodata.generate(load_roadmap()).gemeenten.head(1)
    simulatie = tmp_path / "loket.csv"
    table = simulate(figures, replicaties=3).assign(gegevens=DEMO_LABEL)
    table.to_csv(simulatie, index=False)
    nis = figures.iloc[0]["nis"]
    opdracht = batch.gemeente_opdrachten([nis], simulatie, tmp_path)[0]
    result = batch.render_all([opdracht], voortgang=False)[0]
    assert result.gelukt, result.fout
    html = opdracht.bestand.read_text()
    for heading in ("Het loket vandaag", "Kwetsbare gezinnen", "Scenario's vergeleken", "Vraagsignaal"):
        assert heading in html
    assert "10 % meer plaatsen" in html and "fictieve demogegevens" in html
    assert html.count('src="data:image/png;base64,') == 1  # the scenarios' chart, embedded
    assert 'alt="Grafiek: per maat het verschil van elk scenario' in html  # in Dutch for a screen reader
    notebook = nbformat.read(tmp_path / ".notebooks" / f"{opdracht.bestand.stem}.ipynb", as_version=4)
    expected = table.loc[(table["soort"] == "situatie") & (table["scenario"] == "huidige situatie")].set_index("maat")
    assert resultaten(notebook)["bezetting"] == pytest.approx(expected.loc["bezetting", "gemiddelde"])
    assert batch.render_all([opdracht], voortgang=False)[0].ongewijzigd


def test_the_index_lists_huis_and_loket_reports_apart_each_by_name(tmp_path):
    def opdracht(naam, template):
        return batch.Opdracht(0, naam, "", {}, tmp_path / f"{naam}.html", template=template)

    results = [batch.Resultaat(opdracht("Loket Genk", batch.GEMEENTE_TEMPLATE)),
               batch.Resultaat(opdracht("Huis van het Kind Lier", batch.HUIS_TEMPLATE), ongewijzigd=True),
               batch.Resultaat(opdracht("Loket Eeklo", batch.GEMEENTE_TEMPLATE), fout="kapot"),
               batch.Resultaat(opdracht("Huis van het Kind Genk", batch.HUIS_TEMPLATE))]
    page = batch.write_index(results, tmp_path, demo=False).read_text()
    assert "4 rapporten, waarvan 3 gelukt." in page and "fictieve" not in page
    huizen, loketten = page.split("<h2>Per Huis van het Kind</h2>")[1].split("<h2>Lokaal loket kinderopvang per gemeente</h2>")
    assert re.findall(r"(Huis van het Kind \w+)</a>", huizen) == ["Huis van het Kind Genk", "Huis van het Kind Lier"]
    assert "Loket Eeklo</td><td><span class=\"status-mislukt\">mislukt</span>: kapot" in loketten
    assert loketten.index("Loket Eeklo") < loketten.index("Loket Genk") and "Loket" not in huizen
