import pandas as pd
import pytest

from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.tabellen import tabellen


@pytest.fixture
def twee_huizen(tmp_path, connection, mini_roadmap):
    """Two Huizen: one with a round of two named partners, one without rounds yet."""
    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086", "44087"])
    store.save_huis(connection, "Huis van het Kind Nog Leeg", ["11002"])
    ronde_id = store.save_ronde(connection, huis_id, 1, "2026-03-17", mini_roadmap)
    an = store.save_deelnemer(connection, ronde_id, "An Peeters", "CLB Testdorp", "onderwijs")
    bert = store.save_deelnemer(connection, ronde_id, "Bert Janssens", "Kinderopvang De Rups", None)
    store.save_antwoorden(connection, an, pd.DataFrame(
        [("onderwijs.1", "niveau", 3, "goed"), ("onderwijs.2", "weet_niet", None, "")],
        columns=["stelling_id", "keuze", "niveau", "toelichting"],
    ))
    store.save_belang(connection, bert, {"kinderopvang": 3})
    store.save_prioriteiten(connection, ronde_id, ["onderwijs"])
    store.save_actie(connection, ronde_id, "onderwijs", "Scholen uitnodigen")
    return tmp_path / "hvhk.sqlite"


def test_every_table_with_its_keys_and_partners_without_names(twee_huizen):
    t = tabellen(twee_huizen)
    assert t["huizen"]["naam"].tolist() == ["Huis van het Kind Nog Leeg", "Huis van het Kind Testdorp"]
    testdorp = t["huizen"].set_index("naam").loc["Huis van het Kind Testdorp", "huis_id"]
    assert t["gemeenten"].loc[t["gemeenten"]["huis_id"] == testdorp, ["nis", "naam", "provincie"]].values.tolist() == [
        ["44086", "Nazareth-De Pinte", "Oost-Vlaanderen"], ["44087", "Lochristi", "Oost-Vlaanderen"]
    ]
    assert t["rondes"][["huis_id", "nummer", "datum"]].values.tolist() == [[testdorp, 1, "2026-03-17"]]
    ronde_id = t["rondes"]["ronde_id"].iloc[0]
    assert t["deelnemers"][["ronde_id", "partner", "levensdomein_id"]].fillna("").values.tolist() == [
        [ronde_id, "Partner A", "onderwijs"], [ronde_id, "Partner B", ""]
    ]
    answers = t["antwoorden"].merge(t["deelnemers"], on=["ronde_id", "deelnemer_id"])
    assert answers[["partner", "stelling_id", "keuze"]].values.tolist() == [
        ["Partner A", "onderwijs.1", "niveau"], ["Partner A", "onderwijs.2", "weet_niet"]
    ]
    assert t["belang"].merge(t["deelnemers"])[["partner", "onderdeel_id", "belang"]].values.tolist() == [
        ["Partner B", "kinderopvang", 3]
    ]
    assert t["prioriteiten"].values.tolist() == [[ronde_id, "onderwijs"]]
    assert t["acties"][["ronde_id", "omschrijving", "status"]].values.tolist() == [
        [ronde_id, "Scholen uitnodigen", "gepland"]
    ]
    assert set(t["stellingen"]["stelling_id"]) >= {"onderwijs.1", "onderwijs.2", "kinderopvang.1"}
    assert set(t["stellingen"]["roadmap_versie"]) == {"test.1"}
    everything = " ".join(frame.astype(str).to_csv() for frame in t.values())
    for private in ("An Peeters", "Bert Janssens", "CLB Testdorp", "De Rups"):
        assert private not in everything


def test_the_demo_store_whole_and_unchanged(demo_database):
    before = demo_database.read_bytes()
    t = tabellen(demo_database)
    connection = store.connect(demo_database, read_only=True)
    counts = store.row_counts(connection)
    connection.close()
    for name, table in [("huizen", "huis"), ("gemeenten", "huis_gemeente"), ("rondes", "ronde"),
                        ("deelnemers", "deelnemer"), ("antwoorden", "antwoord"), ("belang", "belang"),
                        ("prioriteiten", "prioriteit"), ("acties", "actie")]:
        assert len(t[name]) == counts[table], name
    assert t["antwoorden"].merge(t["deelnemers"], on=["ronde_id", "deelnemer_id"]).shape[0] == counts["antwoord"]
    assert demo_database.read_bytes() == before


def test_a_store_without_rounds_is_a_dutch_error(tmp_path, connection):
    store.save_huis(connection, "Huis van het Kind Nog Leeg", ["11002"])
    with pytest.raises(GebruikersFout, match="nog geen rondes"):
        tabellen(tmp_path / "hvhk.sqlite")
