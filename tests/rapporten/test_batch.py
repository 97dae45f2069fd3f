from pathlib import Path

from rapporten import batch
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
