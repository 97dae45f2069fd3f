import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.definition import load_roadmap, parse_roadmap

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _answers(*rows):
    return pd.DataFrame(rows, columns=["stelling_id", "keuze", "niveau", "toelichting"])


@pytest.fixture
def ronde(connection, mini_roadmap):
    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"])
    return store.save_ronde(connection, huis_id, 1, "2026-03-17", mini_roadmap)


def test_new_database_has_current_schema_wal_and_foreign_keys(connection):
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_round_trip_of_a_round(connection, ronde):
    deelnemer = store.save_deelnemer(connection, ronde, "An", "CLB", "onderwijs")
    store.save_antwoorden(
        connection, deelnemer, _answers(("onderwijs.1", "niveau", 3, "goed"), ("onderwijs.2", "weet_niet", None, ""))
    )
    store.save_belang(connection, deelnemer, {"onderwijs": 3})
    saved = store.antwoorden(connection, ronde)
    assert saved[["stelling_id", "keuze"]].values.tolist() == [["onderwijs.1", "niveau"], ["onderwijs.2", "weet_niet"]]
    assert saved["niveau"].iloc[0] == 3 and pd.isna(saved["niveau"].iloc[1])
    assert store.belangen(connection, ronde)["belang"].tolist() == [3]
    assert store.deelnemers(connection, ronde)["organisatie"].tolist() == ["CLB"]


def test_saving_again_updates_instead_of_duplicating(connection, mini_roadmap, ronde):
    deelnemer = store.save_deelnemer(connection, ronde, "An")
    store.save_antwoorden(connection, deelnemer, _answers(("onderwijs.1", "niveau", 2, "")))
    before = store.row_counts(connection)
    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"])
    assert store.save_ronde(connection, huis_id, 1, "2026-03-17", mini_roadmap) == ronde
    assert store.save_deelnemer(connection, ronde, "An") == deelnemer
    store.save_antwoorden(connection, deelnemer, _answers(("onderwijs.1", "niveau", 4, "")))
    assert store.row_counts(connection) == before
    assert store.antwoorden(connection, ronde)["niveau"].tolist() == [4]


def test_unknown_stelling_is_refused_and_nothing_of_the_batch_saved(connection, ronde):
    deelnemer = store.save_deelnemer(connection, ronde, "An")
    with pytest.raises(GebruikersFout, match="onbekende stelling 'onderwijs.9'"):
        store.save_antwoorden(
            connection, deelnemer, _answers(("onderwijs.1", "niveau", 2, ""), ("onderwijs.9", "niveau", 2, ""))
        )
    assert store.antwoorden(connection, ronde).empty


@pytest.mark.parametrize("niveau", [0, 5])
def test_out_of_range_level_is_refused(connection, ronde, niveau):
    deelnemer = store.save_deelnemer(connection, ronde, "An")
    with pytest.raises(GebruikersFout, match=f"niveau {niveau} ligt niet tussen 1 en 4"):
        store.save_antwoorden(connection, deelnemer, _answers(("onderwijs.1", "niveau", niveau, "")))


def test_each_round_checks_levels_and_belang_on_its_own_roadmaps_scale(connection, mini_roadmap, ronde):
    vijf = load_roadmap(FIXTURES / "vijf_niveaus_roadmap.yaml")
    huis = store.save_huis(connection, "Huis van het Kind Vijfdorp", ["44021"])
    an_vier, an_vijf = (store.save_deelnemer(connection, r, "An") for r in (
        ronde, store.save_ronde(connection, huis, 1, "2026-03-17", vijf)
    ))
    store.save_antwoorden(connection, an_vijf, _answers(("onderwijs.1", "niveau", 5, "")))
    store.save_belang(connection, an_vijf, {"onderwijs": 4})
    with pytest.raises(GebruikersFout, match="stelling 'onderwijs.1': niveau 6 ligt niet tussen 1 en 5"):
        store.save_antwoorden(connection, an_vijf, _answers(("onderwijs.1", "niveau", 6, "")))
    with pytest.raises(GebruikersFout, match="onderdeel 'onderwijs': belang 5 moet 1, 2, 3 of 4 zijn"):
        store.save_belang(connection, an_vijf, {"onderwijs": 5})
    with pytest.raises(GebruikersFout, match="onderdeel 'onderwijs': belang 4 moet 1, 2 of 3 zijn"):
        store.save_belang(connection, an_vier, {"onderwijs": 4})
    assert store.antwoorden(connection, store.deelnemer_ronde(connection, an_vijf))["niveau"].tolist() == [5]
    assert store.belangen(connection, store.deelnemer_ronde(connection, an_vijf))["belang"].tolist() == [4]


def test_one_rule_says_who_is_the_same_deelnemer(connection, mini_roadmap, ronde):
    assert store.deelnemer_key(" An ") == store.deelnemer_key("aN") == store.deelnemer_key("AN")
    assert store.deelnemer_key("Straße") == store.deelnemer_key("STRASSE")
    assert store.deelnemer_key("Ann") != store.deelnemer_key("An")
    an = store.save_deelnemer(connection, ronde, "An", "CLB", "onderwijs")
    assert store.save_deelnemer(connection, ronde, " an ", "OCMW") == an
    assert store.deelnemers(connection, ronde)[["naam", "organisatie"]].values.tolist() == [["An", "OCMW"]]
    assert store.find_deelnemer(connection, ronde, "AN")["id"] == an
    assert store.find_deelnemer(connection, ronde, "Ann") is None
    other = store.save_ronde(connection, store.save_huis(connection, "Tweede Huis", ["11001"]), 1, "2026-01-01",
                             mini_roadmap)
    assert store.find_deelnemer(connection, other, "An") is None
    assert store.save_deelnemer(connection, other, "an") != an


def test_failed_transaction_rolls_back_everything(connection):
    with pytest.raises(sqlite3.IntegrityError), store.transaction(connection):
        connection.execute("INSERT INTO huis (naam) VALUES ('A')")
        connection.execute("INSERT INTO huis (naam) VALUES ('A')")
    assert store.row_counts(connection)["huis"] == 0


def test_empty_names_and_huis_without_gemeente_are_refused(connection, ronde):
    with pytest.raises(GebruikersFout, match="naam van het Huis mag niet leeg"):
        store.save_huis(connection, "  ", ["44086"])
    with pytest.raises(GebruikersFout, match="minstens één gemeente"):
        store.save_huis(connection, "Huis zonder gemeente", [])
    with pytest.raises(GebruikersFout, match="naam van een deelnemer mag niet leeg"):
        store.save_deelnemer(connection, ronde, "")


def test_old_round_stays_readable_under_its_own_roadmap_version(connection, mini_roadmap, ronde):
    text = mini_roadmap.yaml.replace('versie: "test.1"', 'versie: "test.2"').replace(
        "Scholen kennen het Huis.", "Scholen en het Huis kennen elkaar."
    )
    newer = parse_roadmap(text, "nieuw.yaml")
    huis_id = store.save_huis(connection, "Tweede Huis", ["11001"])
    store.save_ronde(connection, huis_id, 1, "2027-01-01", newer)
    old = store.ronde_roadmap(connection, ronde)
    assert old.versie == "test.1"
    assert "Scholen kennen het Huis." in old.stellingen["tekst"].tolist()


def test_changed_roadmap_with_same_version_is_refused(connection, mini_roadmap, ronde):
    changed = parse_roadmap(mini_roadmap.yaml.replace("Gezinnen denken mee.", "Anders."), "gewijzigd.yaml")
    huis_id = store.save_huis(connection, "Tweede Huis", ["11001"])
    with pytest.raises(GebruikersFout, match="verhoog 'versie'"):
        store.save_ronde(connection, huis_id, 1, "2027-01-01", changed)


def test_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(GebruikersFout, match="geen bruikbare hvhk-database"):
        store.connect(path)
    assert path.read_bytes() == b"dit is geen database" * 100


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "nieuwer.sqlite"
    store.connect(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with pytest.raises(GebruikersFout, match="schemaversie"):
        store.connect(path)


def test_ids_read_back_through_pandas_can_be_used_again(connection, ronde):
    store.save_deelnemer(connection, ronde, "An")
    ronde_id = store.rondes(connection, 1)["id"].iloc[0]  # a numpy integer
    assert store.deelnemers(connection, ronde_id)["naam"].tolist() == ["An"]


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(GebruikersFout, match="is een map; geef het pad van een databasebestand op"):
        store.connect(tmp_path)


# One partner's device: saves its answers again and again, each save its own transaction.
SUBMIT = """
import sys
import pandas as pd
from roadmap import store
database, ronde_id, naam, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
connection = store.connect(database)
deelnemer = store.save_deelnemer(connection, ronde_id, naam)
stellingen = list(store.ronde_roadmap(connection, ronde_id).stellingen["stelling_id"])
for level in range(rounds):
    answers = pd.DataFrame({"stelling_id": stellingen, "keuze": "niveau", "niveau": level % 4 + 1})
    store.save_antwoorden(connection, deelnemer, answers)
"""


def test_partners_submitting_at_the_same_moment_from_separate_processes_lose_nothing(tmp_path, mini_roadmap):
    import subprocess
    import sys

    database = tmp_path / "hvhk.sqlite"
    connection = store.connect(database)
    ronde = store.save_ronde(connection, store.save_huis(connection, "Huis", ["44086"]), 1, "2026-01-01", mini_roadmap)
    connection.close()
    processes = [
        subprocess.Popen([sys.executable, "-c", SUBMIT, str(database), str(ronde), f"Partner {i}", "25"])
        for i in range(6)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * 6

    connection = store.connect(database)
    answers = store.antwoorden(connection, ronde)
    assert len(store.deelnemers(connection, ronde)) == 6
    assert len(answers) == 6 * len(mini_roadmap.stellingen)
    assert set(answers["niveau"]) == {25 % 4}  # every partner's last save (level 24 % 4 + 1) won
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_migration_from_the_first_schema_keeps_the_data(eerste_schema, mini_roadmap):
    connection = store.connect(eerste_schema)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.huizen(connection)["naam"].tolist() == ["Huis van het Kind Oud"]
    ronde = store.save_ronde(connection, 1, 1, "2026-01-01", mini_roadmap)
    store.save_actie(connection, ronde, "onderwijs", "Overleg met de scholen")
    assert len(store.acties(connection, ronde)) == 1
    assert store.ronde_voor_code(connection, store.new_toegangscode(connection, ronde)) == ronde
    connection.close()


def test_migration_lifts_the_fixed_scale_of_the_third_schema_and_keeps_the_answers(tmp_path):
    """Up to schema 3 the tables held the scale 1-4 and 1-3 as CHECKs; a store of then takes a 1-5 Roadmap."""
    vijf = load_roadmap(FIXTURES / "vijf_niveaus_roadmap.yaml")
    path = tmp_path / "derde.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(";".join(store.MIGRATIONS[:3]))
        raw.execute("PRAGMA user_version = 3")
        raw.execute("INSERT INTO huis (id, naam) VALUES (1, 'Huis van het Kind Oud')")
        raw.execute("INSERT INTO roadmap_versie VALUES (?, ?)", (vijf.versie, vijf.yaml))
        raw.execute("INSERT INTO ronde (id, huis_id, nummer, datum, roadmap_versie) VALUES (1, 1, 1, '2025-01-01', ?)",
                    (vijf.versie,))
        raw.execute("INSERT INTO deelnemer (id, ronde_id, naam) VALUES (1, 1, 'An')")
        raw.execute("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau, toelichting, gewijzigd)"
                    " VALUES (1, 'onderwijs.1', 'niveau', 4, 'goed', '2025-01-01T10:00:00.000')")
        raw.execute("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze) VALUES (1, 'onderwijs.2', 'weet_niet')")
        raw.execute("INSERT INTO belang VALUES (1, 'onderwijs', 3)")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            raw.execute("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau) VALUES (1, 'x', 'niveau', 5)")
    raw.close()

    connection = store.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    kept = connection.execute("SELECT * FROM antwoord ORDER BY stelling_id").fetchall()
    assert [tuple(row) for row in kept] == [
        (1, "onderwijs.1", "niveau", 4, "goed", "2025-01-01T10:00:00.000"),
        (1, "onderwijs.2", "weet_niet", None, "", kept[1]["gewijzigd"]),
    ]
    text = ["deelnemer_id", "stellingen", "keuzes"]  # made by the migration, then written again by the save
    assert store.antwoorden_als_tekst(connection)[text].values.tolist() == [[1, "onderwijs.1 onderwijs.2", "4w"]]
    store.save_antwoorden(connection, 1, _answers(("onderwijs.1", "niveau", 5, "")))
    store.save_belang(connection, 1, {"onderwijs": 4})
    assert store.antwoorden(connection, 1)["niveau"].tolist()[0] == 5
    assert store.antwoorden_als_tekst(connection)[text].values.tolist() == [[1, "onderwijs.1 onderwijs.2", "5w"]]
    assert store.belangen(connection, 1)["belang"].tolist() == [4]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # the rules that are no scale stay in the schema
        connection.execute("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze) VALUES (1, 'x', 'niveau')")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


def test_access_codes_open_only_their_own_round(connection, mini_roadmap):
    huis = store.save_huis(connection, "Huis", ["44021"])
    first, second = (store.save_ronde(connection, huis, n, "2026-01-01", mini_roadmap) for n in (1, 2))
    code = store.new_toegangscode(connection, first)
    assert len(code) == store.CODE_LENGTE and set(code) <= set(store.CODE_LETTERS)
    assert store.ronde_voor_code(connection, code) == first
    assert store.ronde_voor_code(connection, f" {code[:3].lower()} {code[3:]} ") == first  # as typed on a phone
    assert store.ronde_voor_code(connection, store.new_toegangscode(connection, second)) == second
    for guess in ("", code[:-1], code + "X", "' OR 1=1 --"):
        assert store.ronde_voor_code(connection, guess) is None
    renewed = store.new_toegangscode(connection, first)
    assert store.ronde_voor_code(connection, code) is None and store.ronde_voor_code(connection, renewed) == first
    assert not store.groep_zichtbaar(connection, first)
    store.set_groep_zichtbaar(connection, first, True)
    assert store.groep_zichtbaar(connection, first) and not store.groep_zichtbaar(connection, second)


def test_voortgang_counts_answers_per_participant(connection, mini_roadmap):
    huis = store.save_huis(connection, "Huis", ["44021"])
    ronde = store.save_ronde(connection, huis, 1, "2026-01-01", mini_roadmap)
    an, _bart = (store.save_deelnemer(connection, ronde, naam) for naam in ("An", "Bart"))
    store.save_antwoorden(
        connection, an, pd.DataFrame({"stelling_id": ["onderwijs.1", "onderwijs.2"], "keuze": ["niveau", "weet_niet"],
                                      "niveau": [2, None]})
    )
    assert store.voortgang(connection, ronde)[["naam", "beantwoord"]].values.tolist() == [["An", 2], ["Bart", 0]]


def test_priorities_and_action_plan(connection, ronde):
    store.save_prioriteiten(connection, ronde, ["onderwijs", "kinderopvang"])
    store.save_prioriteiten(connection, ronde, ["kinderopvang"])
    assert store.prioriteiten(connection, ronde) == ["kinderopvang"]

    actie = store.save_actie(connection, ronde, "kinderopvang", "Loket bekendmaken", "An", "CAW, OCMW", "2026-09-01")
    store.save_actie(connection, ronde, "kinderopvang", "Loket bekendmaken", "An", "CAW, OCMW", "2026-09-01",
                     status="bezig", actie_id=actie)
    plan = store.acties(connection, ronde)
    assert plan[["omschrijving", "trekker", "termijn", "status"]].values.tolist() == [
        ["Loket bekendmaken", "An", "2026-09-01", "bezig"]
    ]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"onderdeel_id": "ruimtevaart"}, "onbekend onderdeel: ruimtevaart"),
        ({"omschrijving": "  "}, "een actie heeft een omschrijving nodig"),
        ({"status": "misschien"}, "onbekende status 'misschien'"),
        ({"termijn": "volgende week"}, "termijn 'volgende week' is geen datum"),
        ({"actie_id": 99}, "actie 99 bestaat niet"),
    ],
)
def test_invalid_actions_are_refused_in_dutch(connection, ronde, arguments, message):
    values = {"onderdeel_id": "onderwijs", "omschrijving": "Iets doen", **arguments}
    with pytest.raises(GebruikersFout, match=message):
        store.save_actie(connection, ronde, **values)
    assert store.acties(connection, ronde).empty
