"""Crash safety: real processes killed with SIGKILL in the middle of a write, then a restart.

Each child process runs the toolkit's own code path and kills itself at a fixed point inside the
write transaction (a patched save step, or an SQLite statement trace), so the toolkit needs no
test hook. The restarted store must pass `PRAGMA integrity_check` and hold exactly what was
committed before the kill: not a row more, not a row less.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from hvhk.cli import main
from roadmap import store
from roadmap.definition import load_roadmap
from roadmap.io import longcsv

HUIS = "Huis van het Kind Gent"
KILLED = -signal.SIGKILL

# Shared by the child scripts: an SQLite trace callback that kills the process once a statement
# starting with `prefix` has run, just before the next statement of the same transaction.
KILL_AFTER = """
import os, signal

def kill_after(prefix):
    seen = []
    def trace(statement):
        if seen:
            os.kill(os.getpid(), signal.SIGKILL)
        if statement.strip().startswith(prefix):
            seen.append(statement)
    return trace
"""


def restart(database: Path) -> tuple[str, list[str]]:
    """Open the store as a restarted program does; its integrity check and its whole content."""
    connection = store.connect(database)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0], list(connection.iterdump())
    finally:
        connection.close()


def changes(before: list[str], after: list[str]) -> list[str]:
    """The statements of a dump that one side has and the other lacks, readable in a failure."""
    return sorted([f"- {line}" for line in set(before) - set(after)] + [f"+ {line}" for line in set(after) - set(before)])


def run(script: str, *arguments: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, arguments)], capture_output=True, text=True, timeout=120, check=False
    )


# `hvhk roadmap importeer`, with the step that saves a participant's belang patched to kill the
# process right after the last participant was written: everything of the file is in the import's
# transaction, only the commit is missing.
IMPORT = """
import os, signal, sys
from hvhk.cli import main
from roadmap import store

kill_at, saved, original = int(sys.argv[1]), [], store.save_belang

def save_belang_then_die(*arguments):
    original(*arguments)
    saved.append(arguments)
    if len(saved) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

store.save_belang = save_belang_then_die
main(sys.argv[2:])
sys.exit("the import ended without reaching the point where this process kills itself")
"""
DEELNEMERS = 200  # the most a round may have: 19 200 answers, with their toelichting more than SQLite's
# page cache (2 MB) holds, so that it spills uncommitted pages into the WAL file


TOELICHTING = "een toelichting van een paar zinnen, zoals partners ze schrijven: " + "waarom dit niveau en niet een ander. " * 3


def _write_csv(path: Path, deelnemers: int, niveau: int) -> Path:
    roadmap = load_roadmap()
    rows = [
        (f"Partner {p}", "CLB", "", stelling_id, str(niveau), TOELICHTING, "")
        for p in range(deelnemers)
        for stelling_id in roadmap.stellingen["stelling_id"]
    ]
    rows += [(f"Partner {p}", "CLB", "", d.id, "2", "", "") for p in range(deelnemers) for d in roadmap.levensdomeinen]
    longcsv.write(path, pd.DataFrame(rows, columns=list(longcsv.KOLOMMEN)))
    return path


def test_an_import_killed_before_its_commit_leaves_the_store_as_it_was(tmp_path):
    database = tmp_path / "hvhk.sqlite"
    first = _write_csv(tmp_path / "ronde1.csv", 3, niveau=2)
    assert main(["roadmap", "importeer", str(first), "--huis", HUIS, "--gemeente", "Gent", "--database", str(database)]) == 0
    _, before = restart(database)

    big = _write_csv(tmp_path / "groot.csv", DEELNEMERS, niveau=3)
    killed = run(IMPORT, DEELNEMERS, "roadmap", "importeer", big, "--huis", HUIS, "--database", database)
    assert killed.returncode == KILLED, killed.stderr
    assert Path(f"{database}-wal").stat().st_size > 100_000, "the kill left uncommitted pages for the restart to ignore"

    integrity, after = restart(database)
    assert integrity == "ok"
    assert changes(before, after) == []
    connection = store.connect(database)
    assert store.rondes(connection, store.huis_id(connection, HUIS))["nummer"].tolist() == [1]
    connection.close()


# The coordinator's screens, as the app uses them: every click below is saved (committed) at once.
# Then one more save is killed inside its transaction: an answer just before its COMMIT, or the
# new priorities after the old ones were deleted.
WORKSHOP = KILL_AFTER + """
import json, sys
from pathlib import Path
from roadmap import store
from hvhk.apps.roadmap.actieplan import Actieplan
from hvhk.apps.roadmap.invullen import Invulscherm

def widget(root, css):
    if css in getattr(root, "_dom_classes", ()):
        return root
    for child in getattr(root, "children", ()):
        found = widget(child, css)
        if found is not None:
            return found

database, deelnemer_id, ronde_id, committed, killed_save = sys.argv[1:]
connection = store.connect(database)
scherm = Invulscherm(connection, int(deelnemer_id))
widget(scherm.widget, "stelling-onderwijs-1").value = ("niveau", 3)
widget(scherm.widget, "stelling-onderwijs-2").value = ("weet_niet", None)
widget(scherm.widget, "belang-onderwijs").value = 3
plan = Actieplan(connection)
plan.show(int(ronde_id))
plan.prioriteiten.value = ("onderwijs", "kinderopvang")
plan.prioriteiten_bewaren.click()
Path(committed).write_text(json.dumps(list(connection.iterdump())), encoding="utf-8")

if killed_save == "antwoord":
    connection.set_trace_callback(kill_after("INSERT INTO antwoord"))
    widget(scherm.widget, "stelling-onderwijs-1").value = ("niveau", 1)
else:
    connection.set_trace_callback(kill_after("DELETE FROM prioriteit"))
    plan.prioriteiten.value = ("kinderopvang",)
    plan.prioriteiten_bewaren.click()
sys.exit("the save ended without reaching the point where this process kills itself")
"""


@pytest.mark.parametrize("killed_save", ["antwoord", "prioriteiten"])
def test_a_workshop_save_killed_midway_keeps_every_earlier_click(tmp_path, mini_roadmap, killed_save):
    database, committed = tmp_path / "hvhk.sqlite", tmp_path / "bewaard.sql"
    connection = store.connect(database)
    ronde = store.save_ronde(connection, store.save_huis(connection, HUIS, ["44021"]), 1, "2026-05-01", mini_roadmap)
    an = store.save_deelnemer(connection, ronde, "An", "CLB", "onderwijs")
    connection.close()

    killed = run(WORKSHOP, database, an, ronde, committed, killed_save)
    assert killed.returncode == KILLED, killed.stderr

    integrity, after = restart(database)
    assert integrity == "ok"
    assert changes(json.loads(committed.read_text(encoding="utf-8")), after) == []
    connection = store.connect(database)
    answers = store.antwoorden(connection, ronde).set_index("stelling_id")
    assert answers["keuze"].to_dict() == {"onderwijs.1": "niveau", "onderwijs.2": "weet_niet"}
    assert answers.at["onderwijs.1", "niveau"] == 3
    assert store.belangen(connection, ronde)["belang"].tolist() == [3]
    assert store.prioriteiten(connection, ronde) == ["kinderopvang", "onderwijs"]
    connection.close()


# `hvhk rapporten` on a store of the first schema version: it migrates the store before anything
# else, and is killed in the middle of that migration.
MIGRATION = KILL_AFTER + """
import sqlite3, sys
from hvhk.cli import main

original = sqlite3.connect

def connect_traced(*arguments, **options):
    connection = original(*arguments, **options)
    connection.set_trace_callback(kill_after("CREATE TABLE prioriteit"))
    return connection

sqlite3.connect = connect_traced
main(sys.argv[1:])
sys.exit("the batch ended without reaching the point where this process kills itself")
"""


def test_a_batch_killed_while_it_migrates_the_store_leaves_the_old_schema_whole(tmp_path, eerste_schema):
    database = eerste_schema
    with sqlite3.connect(database) as raw:
        raw.execute("INSERT INTO huis_gemeente (huis_id, nis) VALUES (1, '44021')")
    raw.close()

    def content() -> tuple[str, int, list[str]]:
        raw = sqlite3.connect(database)  # not store.connect: that would migrate
        try:
            integrity = raw.execute("PRAGMA integrity_check").fetchone()[0]
            return integrity, raw.execute("PRAGMA user_version").fetchone()[0], list(raw.iterdump())
        finally:
            raw.close()

    _, _, before = content()
    killed = run(MIGRATION, "rapporten", "--alle", "--database", database, "--uitvoer", tmp_path / "uit",
                 "--simulatie", tmp_path / "geen.csv")
    assert killed.returncode == KILLED, killed.stderr
    integrity, version, after = content()
    assert (integrity, version) == ("ok", 1)
    assert changes(before, after) == []
    connection = store.connect(database)  # the next run migrates it whole
    assert connection.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.huizen(connection)["naam"].tolist() == ["Huis van het Kind Oud"]
    connection.close()


# A batch only reads the store (the kill-and-resume of the reports themselves is tested in
# tests/hvhk/test_cli_rapporten.py); killed while its kernels read, it must leave the store as it was.
def test_a_report_batch_killed_while_rendering_leaves_the_store_unchanged(tmp_path, demo_database):
    database, output = tmp_path / "hvhk.sqlite", tmp_path / "rapporten"
    shutil.copy(demo_database, database)
    _, before = restart(database)
    process = subprocess.Popen(
        [sys.executable, "-m", "hvhk", "rapporten", "--huis", "Huis van het Kind Nazareth-De Pinte",
         "--huis", "Huis van het Kind Tongeren-Borgloon", "--werkers", "1", "--database", str(database),
         "--uitvoer", str(output), "--simulatie", str(tmp_path / "geen.csv")],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(output.glob("0*.html")):  # killed once a report is written, while the next is made
        assert process.poll() is None and time.monotonic() < deadline, "the batch ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    integrity, after = restart(database)
    assert integrity == "ok"
    assert changes(before, after) == []
