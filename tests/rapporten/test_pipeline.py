import shutil

import pytest

from hvhk.base.errors import GebruikersFout
from rapporten import pipeline
from roadmap import store


def test_the_index_keeps_the_other_reports_that_are_still_up_to_date(tmp_path, demo_database):
    database, geen, output = tmp_path / "hvhk.sqlite", tmp_path / "geen.csv", tmp_path / "rapporten"
    shutil.copy(demo_database, database)
    connection = store.connect(database)
    huizen = store.huizen(connection).head(3)
    connection.close()
    kept, changed, asked = (int(i) for i in huizen["id"])
    first, _ = pipeline.run(database, geen, output, huizen=[kept, changed], voortgang=False)
    assert [r.gelukt for r in first] == [True, True]

    connection = store.connect(database)
    with store.transaction(connection):  # the data of one Huis changes: its report is out of date
        connection.execute("UPDATE actie SET status = 'gestopt' WHERE ronde_id IN"
                           " (SELECT id FROM ronde WHERE huis_id = ?)", (changed,))
    connection.close()
    results, index = pipeline.run(database, geen, output, huizen=[asked], voortgang=False)

    assert [(r.opdracht.huis_id, r.gelukt, r.ongewijzigd) for r in results] == [(asked, True, False)]
    page = index.read_text()
    naam = dict(zip(huizen["id"], huizen["naam"]))
    assert naam[kept] in page and naam[asked] in page and naam[changed] not in page
    assert "2 rapporten, waarvan 2 gelukt." in page and "fictieve demogegevens" in page


def test_a_gemeente_without_simulation_results_is_refused_before_any_work(tmp_path, demo_database):
    with pytest.raises(GebruikersFout, match="geen simulatieresultaten voor gemeente 44086"):
        pipeline.run(demo_database, tmp_path / "geen.csv", tmp_path / "rapporten", huizen=(), gemeenten=["44086"])
    assert not (tmp_path / "rapporten").exists()
