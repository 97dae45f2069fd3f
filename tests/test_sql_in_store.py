"""All SQL lives in roadmap/store.py: the schema, its migrations and every query have one home.

A query written elsewhere escapes the store's transactions and its Dutch refusals, and breaks
unseen when a migration changes a table. This test reads the packages and names each file and
line that speaks SQL outside the store.
"""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("hvhk", "roadmap", "simulatie", "rapporten")
STORE = "roadmap/store.py"
SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA)\s"  # the statements, as written upper case
    r"|\.(execute|executemany|executescript|cursor)\("  # running a statement on a connection
    r"|\bread_sql"  # or through pandas
)


def sql_lines(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL.search(line)
    ]


def test_no_sql_outside_the_store():
    found = [
        line
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() != STORE
        for line in sql_lines(path)
    ]
    assert not found, "SQL buiten roadmap/store.py; zet de query in de store:\n" + "\n".join(found)


def test_the_pattern_finds_sql():
    assert SQL.search('connection.execute("SELECT id FROM huis")')
    assert SQL.search("    INSERT INTO antwoord (deelnemer_id) VALUES (?)")
    assert not SQL.search('"Selecteer een Huis"')
