import shutil

from hvhk import demodata
from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.files import write_atomic
from hvhk.demo import load, simulate
from rapporten import batch, fingerprint
from rapporten.render import TEMPLATES
from roadmap import aggregate, store
from roadmap.definition import load_roadmap


def _per_huis(connection, simulatie):
    alle = aggregate.per_onderdeel_alle_rondes(connection)
    return fingerprint.per_huis(connection, TEMPLATES / batch.HUIS_TEMPLATE, simulatie, alle)


def test_a_fingerprint_follows_the_data_of_its_huis(tmp_path, demo_database):
    copy = tmp_path / "kopie.sqlite"
    shutil.copy(demo_database, copy)
    connection = store.connect(copy)
    before = _per_huis(connection, tmp_path / "geen.csv")
    assert before == _per_huis(connection, tmp_path / "geen.csv")
    connection.execute("UPDATE actie SET status = 'gestopt' WHERE id = (SELECT min(id) FROM actie)")
    huis = connection.execute(
        "SELECT r.huis_id FROM actie a JOIN ronde r ON r.id = a.ronde_id ORDER BY a.id LIMIT 1"
    ).fetchone()[0]
    after = _per_huis(connection, tmp_path / "geen.csv")
    connection.close()
    assert [h for h in before if before[h] != after[h]] == [huis]


def test_the_demo_made_again_keeps_every_fingerprint(tmp_path, demo_database):
    """What a second `hvhk demo` does to a report's inputs: the same data saved again, the loket simulated again."""
    roadmap = load_roadmap()
    gemeenten = demodata.generate(roadmap).gemeenten.head(1)
    database, simulatie = tmp_path / "hvhk.sqlite", tmp_path / "loket.csv"
    shutil.copy(demo_database, database)

    def simulated_and_fingerprinted():
        write_atomic(simulatie, simulate(gemeenten, replicaties=2).assign(gegevens=DEMO_LABEL).to_csv(index=False))
        connection = store.connect(database)
        huizen = _per_huis(connection, simulatie)
        connection.close()
        return huizen, fingerprint.per_gemeente(TEMPLATES / batch.GEMEENTE_TEMPLATE, simulatie, list(gemeenten["nis"]))

    first = simulated_and_fingerprinted()
    connection = store.connect(database)
    load(connection, roadmap, demodata.generate(roadmap))
    connection.close()
    assert simulated_and_fingerprinted() == first
    assert len(first[0]) == 12 and len(first[1]) == 1



def test_a_gemeente_fingerprint_follows_its_own_rows_in_any_order(tmp_path):
    gemeenten = demodata.loket_cijfers().head(2)
    table = simulate(gemeenten, replicaties=2)
    simulatie = tmp_path / "loket.csv"

    def fingerprints(rows):
        write_atomic(simulatie, rows.to_csv(index=False))
        return fingerprint.per_gemeente(TEMPLATES / batch.GEMEENTE_TEMPLATE, simulatie, list(gemeenten["nis"]))

    first = fingerprints(table)
    assert fingerprints(table.iloc[::-1]) == first, "the order of the rows does not matter"
    changed = table.copy()
    changed.loc[changed.index[-1], "gemiddelde"] += 1  # a row of the last gemeente
    after = fingerprints(changed)
    assert [nis for nis in first if first[nis] != after[nis]] == [changed["nis"].iloc[-1]]
