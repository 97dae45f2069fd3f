"""`hvhk controle` on the demo database, clean and damaged by direct SQL the way another program could.

Every test also checks that the database is byte-identical afterwards: a check never writes.
"""

import hashlib
import shutil
import sqlite3

import pytest

from hvhk.cli import main
from roadmap import store


@pytest.fixture
def database(tmp_path, demo_database):
    path = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, path)
    return path


def _controle(capsys, *arguments):
    """Run the check and return its exit code and output lines, after making sure it changed nothing."""
    database = arguments[arguments.index("--database") + 1]
    before = hashlib.sha256(database.read_bytes()).digest() if database.exists() else None
    code = main(["controle", *map(str, arguments)])
    after = hashlib.sha256(database.read_bytes()).digest() if database.exists() else None
    assert after == before
    return code, capsys.readouterr().out.splitlines()


def test_the_demo_database_and_the_bundled_roadmap_pass(database, capsys):
    code, lines = _controle(capsys, "--database", database)
    assert (code, lines) == (0, [f"Controle van {database} en de meegeleverde Roadmap: alles in orde."])


# Each kind of damage, done to the first participant of the demo, their round and their Huis.
DAMAGE = {
    "versie-ontbreekt": (
        "UPDATE ronde SET roadmap_versie = '1999.1' WHERE id = :ronde",
        "fout: Huis '{huis}', ronde {ronde}: Roadmap-versie '1999.1' staat niet in de database",
    ),
    "yaml-kapot": (
        "UPDATE roadmap_versie SET yaml = 'versie: [' WHERE versie = :versie",
        "fout: Roadmap-versie '{versie}' in de database, regel 1: geen geldige YAML",
    ),
    "yaml-ongeldig": (
        "UPDATE roadmap_versie SET yaml = replace(yaml, 'weet_niet:', 'weet_nooit:') WHERE versie = :versie",
        "fout: Roadmap-versie '{versie}' in de database, regel",
    ),
    "onbekende-stelling": (
        "INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau) VALUES (:deelnemer, 'onderwijs.99', 'niveau', 2)",
        "{waar}, deelnemer '{deelnemer}': antwoord op onbekende stelling 'onderwijs.99', {elders}",
    ),
    "niveau-buiten-schaal": (
        "INSERT OR REPLACE INTO antwoord (deelnemer_id, stelling_id, keuze, niveau)"
        " VALUES (:deelnemer, 'onderwijs.1', 'niveau', 7)",
        "{waar}, deelnemer '{deelnemer}': niveau 7 bij stelling 'onderwijs.1' ligt niet tussen 1 en 4",
    ),
    "stem-buiten-schaal": (
        "INSERT OR REPLACE INTO stem (deelnemer_id, stelling_id, keuze, niveau)"
        " VALUES (:deelnemer, 'onderwijs.1', 'niveau', 7)",
        "{waar}, deelnemer '{deelnemer}': niveau 7 bij stelling 'onderwijs.1' (stem na de bespreking) ligt niet"
        " tussen 1 en 4",
    ),
    "stem-onbekende-stelling": (
        "INSERT INTO stem (deelnemer_id, stelling_id, keuze, niveau) VALUES (:deelnemer, 'onderwijs.99', 'niveau', 2)",
        "{waar}, deelnemer '{deelnemer}': stem na de bespreking op onbekende stelling 'onderwijs.99', {elders}",
    ),
    "onbekend-onderdeel": (
        "INSERT INTO belang (deelnemer_id, onderdeel_id, belang) VALUES (:deelnemer, 'ruimtevaart', 2)",
        "{waar}, deelnemer '{deelnemer}': belang voor onbekend onderdeel 'ruimtevaart', {elders}",
    ),
    "belang-buiten-schaal": (
        "INSERT OR REPLACE INTO belang (deelnemer_id, onderdeel_id, belang) VALUES (:deelnemer, 'onderwijs', 5)",
        "{waar}, deelnemer '{deelnemer}': belang 5 voor onderdeel 'onderwijs' ligt niet tussen 1 en 3",
    ),
    "onbekend-levensdomein": (
        "UPDATE deelnemer SET levensdomein_id = 'ruimtevaart' WHERE id = :deelnemer",
        "{waar}, deelnemer '{deelnemer}': onbekend levensdomein 'ruimtevaart', {elders}",
    ),
    "geen-gemeente": (
        "DELETE FROM huis_gemeente WHERE huis_id = :huis",
        "fout: Huis '{huis}': heeft geen gemeente",
    ),
    "onbekende-nis": (
        "UPDATE huis_gemeente SET nis = '99999' WHERE huis_id = :huis",
        "fout: Huis '{huis}': onbekende NIS-code '99999', geen Vlaamse of Brusselse gemeente",
    ),
    "deelnemer-weg": (
        "DELETE FROM deelnemer WHERE id = :deelnemer",
        "fout: {database}: tabel antwoord: {antwoorden} rij(en) verwijzen naar een ontbrekende rij in de tabel deelnemer",
    ),
    "zelfde-deelnemer": (  # as the partner screen left it before store.deelnemer_key was the one rule
        "INSERT INTO deelnemer (ronde_id, naam) SELECT ronde_id, ' ' || lower(naam) FROM deelnemer WHERE id = :deelnemer",
        "waarschuwing: Huis '{huis}', ronde {ronde}, deelnemer ' {deelnemer_klein}': zelfde naam als deelnemer"
        " '{deelnemer}' (hoofdletters en spaties tellen niet mee); wie zich met deze naam aanmeldt, krijgt de"
        " antwoorden van '{deelnemer}'",
    ),
    "antwoord-buiten-hvhk": (  # answers another program changed: what the comparison of all rounds reads is old
        "UPDATE antwoord SET niveau = 5 - niveau WHERE deelnemer_id = :deelnemer AND keuze = 'niveau'",
        "{waar}, deelnemer '{deelnemer}': de vergelijking van alle rondes leest andere antwoorden dan er bewaard zijn",
    ),
    "ronde-zonder-deelnemers": (
        "INSERT INTO ronde (huis_id, nummer, datum, roadmap_versie) VALUES (:huis, 9, '2027-01-01', :versie)",
        "waarschuwing: Huis '{huis}', ronde 9: nog geen deelnemers",
    ),
}
FIRST_PARTICIPANT = """
SELECT d.id AS deelnemer_id, d.naam AS deelnemer, r.id AS ronde_id, r.nummer AS ronde, r.roadmap_versie AS versie,
       h.id AS huis_id, h.naam AS huis, (SELECT count(*) FROM antwoord WHERE deelnemer_id = d.id) AS antwoorden
FROM deelnemer d JOIN ronde r ON r.id = d.ronde_id JOIN huis h ON h.id = r.huis_id ORDER BY d.id LIMIT 1
"""


@pytest.mark.parametrize("kind", DAMAGE)
def test_each_kind_of_damage_is_one_dutch_line_naming_where_it_is(database, capsys, kind):
    sql, expected = DAMAGE[kind]
    with sqlite3.connect(database) as raw:  # another program: no foreign keys, no CHECK constraints
        raw.row_factory = sqlite3.Row
        raw.execute("PRAGMA ignore_check_constraints = ON")
        first = dict(raw.execute(FIRST_PARTICIPANT).fetchone())
        raw.execute(sql, {"deelnemer": first["deelnemer_id"], "ronde": first["ronde_id"], "versie": first["versie"],
                          "huis": first["huis_id"]})
    raw.close()
    waar = "fout: Huis '{huis}', ronde {ronde}".format(**first)
    line = expected.format(**first, waar=waar, elders=f"niet in Roadmap-versie {first['versie']}", database=database,
                           deelnemer_klein=first["deelnemer"].lower())
    code, lines = _controle(capsys, "--database", database)
    assert [found for found in lines if found.startswith(line)], lines
    assert code == (0 if expected.startswith("waarschuwing") else 1)
    assert lines[-1].startswith(f"Controle van {database} en de meegeleverde Roadmap: ")


def test_herstel_mends_answers_another_program_wrote_and_then_checks(database, capsys):
    with sqlite3.connect(database) as raw:
        raw.execute("UPDATE antwoord SET niveau = 5 - niveau WHERE keuze = 'niveau'")
    raw.close()
    code, lines = _controle(capsys, "--database", database)
    assert code == 1 and sum("hvhk controle --herstel" in line for line in lines) > 10
    assert main(["controle", "--herstel", "--database", str(database)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Hersteld: de vergelijking van alle rondes leest weer de bewaarde antwoorden van {database}.",
        f"Controle van {database} en de meegeleverde Roadmap: alles in orde.",
    ]
    connection = store.connect(database, read_only=True)
    try:
        assert store.stale_antwoord_tekst(connection) == []
    finally:
        connection.close()


def test_herstel_leaves_a_missing_file_missing(tmp_path, capsys):
    missing = tmp_path / "weg.sqlite"
    assert main(["controle", "--herstel", "--database", str(missing)]) == 1
    assert f"{missing}: bestaat niet" in capsys.readouterr().err and not missing.exists()


def _damage_the_answers(database):
    with sqlite3.connect(database) as raw:
        page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'antwoord'").fetchone()[0]
        size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with database.open("r+b") as file:  # a disk error in the first page of the answers
        file.seek((page - 1) * size + 8)
        file.write(b"\xff" * 1000)


def test_a_damaged_file_is_reported_with_what_sqlite_found(database, capsys):
    _damage_the_answers(database)
    code, lines = _controle(capsys, "--database", database)
    assert code == 1
    assert lines[0].startswith(f"fout: {database}: de database is beschadigd (SQLite meldt: ")
    assert lines[-2].startswith(f"fout: {database}: ")
    assert lines[-2].endswith("de inhoud is niet verder gecontroleerd; gebruik een reservekopie")


def test_a_command_that_reads_a_damaged_page_says_so_in_dutch_and_points_to_controle(database, tmp_path, capsys):
    _damage_the_answers(database)
    code = main(["roadmap", "exporteer", "--huis", "Huis van het Kind Genk", "--database", str(database),
                 "--uitvoer", str(tmp_path / "export.csv")])
    error = capsys.readouterr().err
    assert code == 1 and "Traceback" not in error
    assert error.startswith("hvhk: fout: de database is beschadigd (SQLite meldt: ")
    assert "zoek de schade met 'hvhk controle'" in error and not (tmp_path / "export.csv").exists()


def test_an_old_schema_is_checked_but_not_migrated(eerste_schema, capsys):
    path = eerste_schema
    code, lines = _controle(capsys, "--database", path)
    assert (code, lines[0]) == (1, "fout: Huis 'Huis van het Kind Oud': heeft geen gemeente")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    raw.close()


def test_a_file_that_is_no_usable_database_gives_one_line_and_the_roadmap_is_still_checked(tmp_path, capsys):
    missing, text = tmp_path / "weg.sqlite", tmp_path / "notities.sqlite"
    text.write_text("boodschappenlijst")
    assert _controle(capsys, "--database", missing) == (1, [
        f"fout: {missing}: bestaat niet",
        f"Controle van {missing} en de meegeleverde Roadmap: 1 fout(en), 0 waarschuwing(en).",
    ])
    assert not missing.exists()
    roadmap = tmp_path / "roadmap.yaml"
    roadmap.write_text("versie: x\ntitel: Roadmap\n", encoding="utf-8")
    assert _controle(capsys, "--database", text, "--roadmap", roadmap) == (1, [
        f"fout: {text}: geen bruikbare hvhk-database (het bestand is geen SQLite-database)",
        f"fout: {roadmap}, regel 1, veld schaal: dit veld ontbreekt",
        f"Controle van {text} en {roadmap}: 2 fout(en), 0 waarschuwing(en).",
    ])


def test_a_database_from_a_newer_version_is_not_checked(database, capsys):
    with sqlite3.connect(database) as raw:
        raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    code, lines = _controle(capsys, "--database", database)
    assert code == 1
    assert lines[0] == (
        f"fout: {database}: de database heeft schemaversie {store.SCHEMA_VERSION + 1}, deze versie van hvhk kent"
        f" maar tot {store.SCHEMA_VERSION}; werk hvhk bij"
    )
