"""A database that is locked, read-only, from a newer schema or broken: a Dutch message, never a silent
overwrite. The store is used through the `hvhk` command, as a coordinator meets these files."""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hvhk.base.errors import GebruikersFout
from hvhk.cli import main
from roadmap import store
from roadmap.definition import load_roadmap

HUIS = "Huis van het Kind Gent"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(tmp_path):
    """A store with one Huis, one round and one partner's answers, closed again."""
    path = tmp_path / "data" / "hvhk.sqlite"
    connection = store.connect(path)
    ronde = store.save_ronde(connection, store.save_huis(connection, HUIS, ["44021"]), 1, "2026-03-01", load_roadmap())
    answers = pd.DataFrame({"stelling_id": ["onderwijs.1", "onderwijs.2"], "keuze": "niveau", "niveau": [2, 3]})
    store.save_antwoorden(connection, store.save_deelnemer(connection, ronde, "An", "CLB", "onderwijs"), answers)
    connection.close()
    return path


@pytest.fixture
def bestand(tmp_path):
    """A partner's answers as a long CSV: reading it in is a save."""
    path = tmp_path / "antwoorden.csv"
    path.write_text("deelnemer;id;antwoord\nBart;onderwijs.1;4\n", encoding="utf-8")
    return path


def _importeer(database, bestand):
    return main(["roadmap", "importeer", str(bestand), "--huis", HUIS, "--database", str(database)])


def _exporteer(database, tmp_path):
    return main(["roadmap", "exporteer", "--huis", HUIS, "--database", str(database),
                 "--uitvoer", str(tmp_path / "export.xlsx")])


def _contents(database):
    connection = store.connect(database)
    try:
        return store.row_counts(connection), store.antwoorden(connection, 1).to_dict("list")
    finally:
        connection.close()


# Another program in the middle of a write: it holds the write lock until it reads a line, or for
# `seconds` when one is given, and then commits its own Huis.
WRITER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO huis (naam) VALUES ('Huis van de ander')")
print("bezig", flush=True)
time.sleep(float(sys.argv[2])) if len(sys.argv) > 2 else sys.stdin.readline()
connection.execute("COMMIT")
"""


@contextmanager
def _another_program_writing(database, *seconds):
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(database), *map(str, seconds)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "bezig"
        yield
    finally:
        process.communicate("\n", timeout=60)
    assert process.returncode == 0


def test_a_save_while_another_program_writes_fails_in_dutch_and_loses_nothing(
    database, bestand, monkeypatch, capsys
):
    before_counts, before_answers = _contents(database)
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    with _another_program_writing(database):
        assert _importeer(database, bestand) == 1
    assert capsys.readouterr().err.strip() == (
        f"hvhk: fout: {database}: de database is bezet, een ander programma schrijft erin; er is niets bewaard,"
        " probeer het straks opnieuw"
    )
    counts, answers = _contents(database)
    assert counts == {**before_counts, "huis": 2}  # the other program's Huis, no half import
    assert answers == before_answers


def test_a_save_waits_for_another_program_to_finish_its_write(database):
    connection = store.connect(database)
    with _another_program_writing(database, 0.5):
        store.save_huis(connection, "Huis van het Kind Brugge", ["31005"])  # within the half second
    assert sorted(store.huizen(connection)["naam"]) == ["Huis van de ander", "Huis van het Kind Brugge", HUIS]
    connection.close()


def test_reading_goes_on_while_another_program_writes(database, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    with _another_program_writing(database):
        assert _exporteer(database, tmp_path) == 0


@contextmanager
def _read_only(path):
    """Make a file or folder read-only for this process, also for root, whom permission bits do not stop."""
    if os.geteuid() == 0:  # the immutable attribute binds root too
        made = subprocess.run(["chattr", "+i", str(path)], check=False, capture_output=True, text=True)
        if made.returncode:
            pytest.skip(f"running as root and chattr +i is not possible here: {made.stderr.strip()}")
        undo = ["chattr", "-i", str(path)]
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        undo = ["chmod", oct(mode & 0o7777)[2:], str(path)]
    try:
        assert not os.access(path, os.W_OK)
        yield
    finally:
        subprocess.run(undo, check=True)


def test_a_read_only_database_can_be_read_but_a_save_is_refused_in_dutch(database, bestand, tmp_path, capsys):
    digest = _digest(database)
    with _read_only(database):
        assert _exporteer(database, tmp_path) == 0
        capsys.readouterr()
        assert _importeer(database, bestand) == 1
    assert capsys.readouterr().err.strip() == (
        f"hvhk: fout: {database}: de database is alleen-lezen; er is niets bewaard. Controleer of u het bestand"
        " en zijn map mag wijzigen"
    )
    assert _digest(database) == digest


def test_a_database_in_a_read_only_folder_is_refused_in_dutch(database, bestand, tmp_path, capsys):
    digest, folder = _digest(database), database.parent
    with _read_only(folder):
        assert _exporteer(database, tmp_path) == 1
        assert _importeer(folder / "nieuw.sqlite", bestand) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"hvhk: fout: {path}: kan de database niet openen: de map {folder} is alleen-lezen, en SQLite moet daar"
        " naast het bestand hulpbestanden (-wal en -shm) kunnen maken"
        for path in (database, folder / "nieuw.sqlite")
    ]
    assert _digest(database) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["hvhk.sqlite"]


def test_a_database_from_a_newer_version_is_refused_and_left_byte_identical(tmp_path, capsys):
    path = tmp_path / "nieuwer.sqlite"
    with sqlite3.connect(path) as raw:  # as a later hvhk might write it, without WAL
        raw.executescript(";".join(store.MIGRATIONS))
        raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    digest = _digest(path)
    assert _exporteer(path, tmp_path) == 1
    assert capsys.readouterr().err.strip() == (
        f"hvhk: fout: {path}: de database heeft schemaversie {store.SCHEMA_VERSION + 1}, deze versie van hvhk"
        f" kent maar tot {store.SCHEMA_VERSION}; werk hvhk bij"
    )
    assert _digest(path) == digest


def test_a_database_of_another_program_is_refused_and_left_byte_identical(tmp_path, capsys):
    path = tmp_path / "klanten.sqlite"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE klant (naam TEXT)")
    raw.close()
    digest = _digest(path)
    assert main(["rapporten", "--alle", "--database", str(path), "--uitvoer", str(tmp_path / "uit")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"hvhk: fout: {path}: geen hvhk-database (een SQLite-database van een ander programma)"
    )
    assert _digest(path) == digest


@pytest.mark.parametrize(
    "cut, reason",
    [
        (lambda data: data[: len(data) // 2], "het bestand is beschadigd; gebruik een reservekopie"),
        (lambda data: data[:4096 * 2], "het bestand is beschadigd; gebruik een reservekopie"),  # on a page boundary
        (lambda data: data[:60], "het bestand is beschadigd; gebruik een reservekopie"),  # half a header
        (lambda data: b"Huis;gemeente\nGent;44021\n", "het bestand is geen SQLite-database"),
    ],
    ids=["half", "twee-paginas", "halve-kop", "tekst"],
)
def test_a_broken_file_is_refused_in_dutch_and_never_recreated(database, tmp_path, capsys, cut, reason):
    broken = tmp_path / "kapot.sqlite"
    broken.write_bytes(cut(database.read_bytes()))
    digest = _digest(broken)
    assert main(["rapporten", "--alle", "--database", str(broken), "--uitvoer", str(tmp_path / "uit")]) == 1
    assert capsys.readouterr().err.strip() == f"hvhk: fout: {broken}: geen bruikbare hvhk-database ({reason})"
    assert _digest(broken) == digest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=9000))
def test_random_bytes_are_never_taken_for_a_database(tmp_path, content):
    assume(not content.startswith(b"SQLite format 3\0"))
    path = tmp_path / "willekeurig.sqlite"
    path.write_bytes(content)
    with pytest.raises(GebruikersFout, match=f"^{re.escape(str(path))}: geen bruikbare hvhk-database"):
        store.connect(path)
    assert path.read_bytes() == content
