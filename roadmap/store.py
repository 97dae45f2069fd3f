"""The roadmap store: one SQLite file with Huizen, rounds, participants and their answers.

Only this module touches SQLite. Every write runs in one transaction (`BEGIN IMMEDIATE`), so a
crash or a second participant saving at the same moment never leaves half an answer behind. The
schema carries its version in `PRAGMA user_version` and grows by forward migrations only.

One table repeats others: antwoord_tekst holds each participant's answers as text for the aggregate
of all rounds (`antwoorden_als_tekst`), and every function here that writes answers writes it again
in the same transaction (`_write_antwoord_tekst`).
"""

from __future__ import annotations

import difflib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from hvhk.base.errors import GebruikersFout, describe_os_error
from roadmap.definition import Roadmap, as_dutch_list, parse_roadmap

KEUZES = ("niveau", "weet_niet", "niet_van_toepassing")

# Each entry upgrades the schema by one version; never edit an entry once released, add one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE huis (
        id INTEGER PRIMARY KEY,
        naam TEXT NOT NULL UNIQUE CHECK (length(trim(naam)) > 0),
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
    );
    CREATE TABLE huis_gemeente (
        huis_id INTEGER NOT NULL REFERENCES huis(id) ON DELETE CASCADE,
        nis TEXT NOT NULL,
        PRIMARY KEY (huis_id, nis)
    );
    CREATE TABLE roadmap_versie (
        versie TEXT PRIMARY KEY,
        yaml TEXT NOT NULL
    );
    CREATE TABLE ronde (
        id INTEGER PRIMARY KEY,
        huis_id INTEGER NOT NULL REFERENCES huis(id) ON DELETE CASCADE,
        nummer INTEGER NOT NULL CHECK (nummer >= 1),
        datum TEXT NOT NULL,
        roadmap_versie TEXT NOT NULL REFERENCES roadmap_versie(versie),
        UNIQUE (huis_id, nummer)
    );
    CREATE TABLE deelnemer (
        id INTEGER PRIMARY KEY,
        ronde_id INTEGER NOT NULL REFERENCES ronde(id) ON DELETE CASCADE,
        naam TEXT NOT NULL CHECK (length(trim(naam)) > 0),
        organisatie TEXT NOT NULL DEFAULT '',
        levensdomein_id TEXT,
        UNIQUE (ronde_id, naam)
    );
    CREATE TABLE antwoord (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        stelling_id TEXT NOT NULL,
        keuze TEXT NOT NULL CHECK (keuze IN ('niveau', 'weet_niet', 'niet_van_toepassing')),
        niveau INTEGER CHECK (niveau BETWEEN 1 AND 4),
        toelichting TEXT NOT NULL DEFAULT '',
        gewijzigd TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
        PRIMARY KEY (deelnemer_id, stelling_id),
        CHECK ((keuze = 'niveau') = (niveau IS NOT NULL))
    );
    CREATE TABLE belang (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        onderdeel_id TEXT NOT NULL,
        belang INTEGER NOT NULL CHECK (belang BETWEEN 1 AND 3),
        PRIMARY KEY (deelnemer_id, onderdeel_id)
    );
    """,
    # 2: the priorities a group chooses in a round, and its action plan.
    """
    CREATE TABLE prioriteit (
        ronde_id INTEGER NOT NULL REFERENCES ronde(id) ON DELETE CASCADE,
        onderdeel_id TEXT NOT NULL,
        PRIMARY KEY (ronde_id, onderdeel_id)
    );
    CREATE TABLE actie (
        id INTEGER PRIMARY KEY,
        ronde_id INTEGER NOT NULL REFERENCES ronde(id) ON DELETE CASCADE,
        onderdeel_id TEXT NOT NULL,
        omschrijving TEXT NOT NULL CHECK (length(trim(omschrijving)) > 0),
        trekker TEXT NOT NULL DEFAULT '',
        partners TEXT NOT NULL DEFAULT '',
        termijn TEXT,
        status TEXT NOT NULL DEFAULT 'gepland' CHECK (status IN ('gepland', 'bezig', 'klaar', 'gestopt'))
    );
    """,
    # 3: the networked workshop: a round's access code, and whether partners may see the group view.
    """
    ALTER TABLE ronde ADD COLUMN toegangscode TEXT;
    ALTER TABLE ronde ADD COLUMN groep_zichtbaar INTEGER NOT NULL DEFAULT 0 CHECK (groep_zichtbaar IN (0, 1));
    CREATE UNIQUE INDEX ronde_toegangscode ON ronde (toegangscode);
    """,
    # 4: the scale is the round's Roadmap's, checked on saving: antwoord and belang lose their fixed
    # bounds (1-4, 1-3). SQLite cannot drop a CHECK, so both tables are copied into new ones.
    """
    CREATE TABLE antwoord_nieuw (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        stelling_id TEXT NOT NULL,
        keuze TEXT NOT NULL CHECK (keuze IN ('niveau', 'weet_niet', 'niet_van_toepassing')),
        niveau INTEGER,
        toelichting TEXT NOT NULL DEFAULT '',
        gewijzigd TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
        PRIMARY KEY (deelnemer_id, stelling_id),
        CHECK ((keuze = 'niveau') = (niveau IS NOT NULL))
    );
    INSERT INTO antwoord_nieuw SELECT deelnemer_id, stelling_id, keuze, niveau, toelichting, gewijzigd FROM antwoord;
    DROP TABLE antwoord;
    ALTER TABLE antwoord_nieuw RENAME TO antwoord;
    CREATE TABLE belang_nieuw (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        onderdeel_id TEXT NOT NULL,
        belang INTEGER NOT NULL,
        PRIMARY KEY (deelnemer_id, onderdeel_id)
    );
    INSERT INTO belang_nieuw SELECT deelnemer_id, onderdeel_id, belang FROM belang;
    DROP TABLE belang;
    ALTER TABLE belang_nieuw RENAME TO belang;
    """,
    # 5: the discussion (Bespreken): the stellingen a group takes up again, in order, with the level it
    # agreed and a note once recorded (vastgelegd); each partner's vote after the discussion, kept
    # next to the first answer; and the stelling the partners vote on now (NULL: no vote is open).
    """
    CREATE TABLE bespreking (
        ronde_id INTEGER NOT NULL REFERENCES ronde(id) ON DELETE CASCADE,
        stelling_id TEXT NOT NULL,
        volgorde INTEGER NOT NULL,
        niveau INTEGER,
        notitie TEXT NOT NULL DEFAULT '',
        vastgelegd TEXT,
        PRIMARY KEY (ronde_id, stelling_id)
    );
    CREATE TABLE stem (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        stelling_id TEXT NOT NULL,
        keuze TEXT NOT NULL CHECK (keuze IN ('niveau', 'weet_niet', 'niet_van_toepassing')),
        niveau INTEGER,
        gewijzigd TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
        PRIMARY KEY (deelnemer_id, stelling_id),
        CHECK ((keuze = 'niveau') = (niveau IS NOT NULL))
    );
    ALTER TABLE ronde ADD COLUMN stemming TEXT;
    """,
    # 6: stable identifiers for bundles (roadmap/io/bundel.py): a Huis, a round and a participant keep
    # their uid from store to store; a round written from a bundle remembers the hash of its content
    # then, so that a later bundle can tell a store left as it was from one edited since.
    """
    ALTER TABLE huis ADD COLUMN uid TEXT;
    ALTER TABLE ronde ADD COLUMN uid TEXT;
    ALTER TABLE ronde ADD COLUMN bundel_hash TEXT;
    ALTER TABLE deelnemer ADD COLUMN uid TEXT;
    UPDATE huis SET uid = lower(hex(randomblob(16)));
    UPDATE ronde SET uid = lower(hex(randomblob(16)));
    UPDATE deelnemer SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX huis_uid ON huis (uid);
    CREATE UNIQUE INDEX ronde_uid ON ronde (uid);
    CREATE UNIQUE INDEX deelnemer_uid ON deelnemer (uid);
    """,
    # 7: answers stored in the order of their key (WITHOUT ROWID): a participant's answers lie together,
    # so reading all answers participant by participant (`antwoorden_als_tekst`) is one pass over the
    # table instead of a lookup per answer, a third less time for 864 000 answers, in a smaller file.
    """
    CREATE TABLE antwoord_nieuw (
        deelnemer_id INTEGER NOT NULL REFERENCES deelnemer(id) ON DELETE CASCADE,
        stelling_id TEXT NOT NULL,
        keuze TEXT NOT NULL CHECK (keuze IN ('niveau', 'weet_niet', 'niet_van_toepassing')),
        niveau INTEGER,
        toelichting TEXT NOT NULL DEFAULT '',
        gewijzigd TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
        PRIMARY KEY (deelnemer_id, stelling_id),
        CHECK ((keuze = 'niveau') = (niveau IS NOT NULL))
    ) WITHOUT ROWID;
    INSERT INTO antwoord_nieuw SELECT deelnemer_id, stelling_id, keuze, niveau, toelichting, gewijzigd FROM antwoord;
    DROP TABLE antwoord;
    ALTER TABLE antwoord_nieuw RENAME TO antwoord;
    """,
    # 8: every participant's answers also as two strings (see `antwoorden_als_tekst`), written again by
    # each function that writes answers: the aggregate of all rounds reads one row per participant
    # instead of grouping every answer, which took two thirds of its time.
    """
    CREATE TABLE antwoord_tekst (
        deelnemer_id INTEGER PRIMARY KEY REFERENCES deelnemer(id) ON DELETE CASCADE,
        stellingen TEXT NOT NULL,
        keuzes TEXT NOT NULL
    );
    INSERT INTO antwoord_tekst SELECT deelnemer_id, group_concat(stelling_id, ' '),
        group_concat(CASE keuze WHEN 'niveau' THEN niveau WHEN 'weet_niet' THEN 'w' ELSE 'n' END, '')
        FROM antwoord GROUP BY deelnemer_id;
    """,
]
NEW_UID = "lower(hex(randomblob(16)))"  # SQL for a new uid: 128 random bits, as hex
SCHEMA_VERSION = len(MIGRATIONS)
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30  # seconds a save waits while another program writes, before it gives up in Dutch

# Ids read back through pandas are numpy integers; let them bind like Python ints.
sqlite3.register_adapter(np.int64, int)
sqlite3.register_adapter(np.int32, int)
TABLES = (
    "huis", "huis_gemeente", "roadmap_versie", "ronde", "deelnemer", "antwoord", "belang", "prioriteit", "actie",
    "bespreking", "stem",
)
STATUSSEN = ("gepland", "bezig", "klaar", "gestopt")


def connect(path: str | Path, read_only: bool = False) -> sqlite3.Connection:
    """Open (or create) the store at `path`, migrated to the current schema.

    A file that is not an hvhk database, or one written by a newer version of the toolkit, is
    refused with a Dutch message rather than touched. `read_only` opens an existing store without
    ever writing to it, not even to migrate it, so that checking a file cannot change it.

    The connection may move between threads: the app server handles a visitor who reconnects on
    another thread than the one that opened their screen. SQLite is built serialized here
    (`sqlite3.threadsafety == 3`), and each screen keeps a connection of its own.
    """
    path = Path(path)
    if path.is_dir():
        raise GebruikersFout(f"{path}: is een map; geef het pad van een databasebestand op")
    if read_only and not path.exists():
        raise GebruikersFout(f"{path}: bestaat niet")
    try:
        if read_only:
            connection = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None,
                check_same_thread=False,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
    except OSError as error:
        raise GebruikersFout(f"kan de database {path} niet maken: {describe_os_error(error)}") from None
    except sqlite3.Error as error:
        raise _refusal(error, path) from None
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        version = _known_version(connection, path, read_only)
        if not read_only:
            connection.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                _migrate(connection)
    except sqlite3.Error as error:
        connection.close()
        raise _refusal(error, path) from None
    except GebruikersFout:
        connection.close()
        raise
    connection.row_factory = sqlite3.Row
    return connection


def _known_version(connection: sqlite3.Connection, path: Path, read_only: bool) -> int:
    """The file's schema version, checked before anything is written to it."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise GebruikersFout(
            f"{path}: de database heeft schemaversie {version}, deze versie van hvhk kent"
            f" maar tot {SCHEMA_VERSION}; werk hvhk bij"
        )
    if version == 0 and _header(path) not in (b"", SQLITE_HEADER):  # SQLite takes a 1-byte file for a new database
        raise GebruikersFout(f"{path}: geen bruikbare hvhk-database ({_REASONS[sqlite3.SQLITE_NOTADB]})")
    if version == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise GebruikersFout(f"{path}: geen hvhk-database (een SQLite-database van een ander programma)")
    if version == 0 and read_only:
        raise GebruikersFout(f"{path}: de database is leeg")
    return version


def _header(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER))


def _migrate(connection: sqlite3.Connection) -> None:
    with transaction(connection):
        version = connection.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")


_REASONS = {
    sqlite3.SQLITE_NOTADB: "het bestand is geen SQLite-database",
    sqlite3.SQLITE_CORRUPT: "het bestand is beschadigd; gebruik een reservekopie",
    sqlite3.SQLITE_CANTOPEN: "SQLite kan het bestand niet openen",
}


def _refusal(error: sqlite3.Error, path: str | Path) -> GebruikersFout:
    """A Dutch message for a database SQLite could not open, read or write; it names the file."""
    path = Path(path)
    code = _code(error)
    if code == sqlite3.SQLITE_BUSY:
        return GebruikersFout(
            f"{path}: de database is bezet, een ander programma schrijft erin; er is niets bewaard, probeer het"
            " straks opnieuw"
        )
    if code == sqlite3.SQLITE_READONLY:
        return GebruikersFout(
            f"{path}: de database is alleen-lezen; er is niets bewaard. Controleer of u het bestand en zijn map"
            " mag wijzigen"
        )
    if code == sqlite3.SQLITE_CANTOPEN and not os.access(path.parent, os.W_OK):
        return GebruikersFout(
            f"{path}: kan de database niet openen: de map {path.parent} is alleen-lezen, en SQLite moet daar"
            " naast het bestand hulpbestanden (-wal en -shm) kunnen maken"
        )
    return GebruikersFout(f"{path}: geen bruikbare hvhk-database ({_REASONS.get(code, error)})")


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block as one write transaction: all of it is saved, or none of it.

    Inside another transaction the block becomes a savepoint, so an import can wrap several
    `save_*` calls and still commit the whole file or nothing.
    """
    if connection.in_transaction:
        connection.execute("SAVEPOINT genest")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK TO genest")
            connection.execute("RELEASE genest")
            raise
        connection.execute("RELEASE genest")
        return
    try:
        connection.execute("BEGIN IMMEDIATE")  # waits up to BUSY_TIMEOUT for another writer
    except sqlite3.OperationalError as error:
        raise _refusal(error, _file(connection)) from None
    try:
        yield connection
    except sqlite3.OperationalError as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if _code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_READONLY):
            raise _refusal(error, _file(connection)) from None
        raise
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _code(error: sqlite3.Error) -> int:
    """SQLite's primary result code, without the extended part (SQLITE_READONLY_DBMOVED is READONLY)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def _file(connection: sqlite3.Connection) -> str:
    return connection.execute("PRAGMA database_list").fetchone()[2]


def save_huis(connection: sqlite3.Connection, naam: str, gemeenten: Sequence[str], demo: bool = False) -> int:
    """Create or update the Huis called `naam` with exactly these gemeenten; return its id."""
    naam = naam.strip()
    if not naam:
        raise GebruikersFout("de naam van het Huis mag niet leeg zijn")
    if not gemeenten:
        raise GebruikersFout(f"Huis '{naam}': kies minstens één gemeente")
    with transaction(connection):
        huis_id = connection.execute(
            f"INSERT INTO huis (naam, demo, uid) VALUES (?, ?, {NEW_UID})"
            " ON CONFLICT (naam) DO UPDATE SET demo = excluded.demo RETURNING id",
            (naam, int(demo)),
        ).fetchone()[0]
        connection.execute("DELETE FROM huis_gemeente WHERE huis_id = ?", (huis_id,))
        connection.executemany(
            "INSERT INTO huis_gemeente (huis_id, nis) VALUES (?, ?)", [(huis_id, str(nis)) for nis in gemeenten]
        )
    return huis_id


def save_ronde(connection: sqlite3.Connection, huis_id: int, nummer: int, datum: str, roadmap: Roadmap) -> int:
    """Create or update round `nummer` of a Huis, given under `roadmap`; return its id.

    The Roadmap's text is kept per version, so a round stays readable after the file changes. A
    changed file that kept its old version number is refused: its answers would become ambiguous.
    """
    with transaction(connection):
        save_roadmap_versie(connection, roadmap)
        return connection.execute(
            f"INSERT INTO ronde (huis_id, nummer, datum, roadmap_versie, uid) VALUES (?, ?, ?, ?, {NEW_UID})"
            " ON CONFLICT (huis_id, nummer) DO UPDATE SET datum = excluded.datum,"
            " roadmap_versie = excluded.roadmap_versie RETURNING id",
            (huis_id, nummer, datum, roadmap.versie),
        ).fetchone()[0]


def save_roadmap_versie(connection: sqlite3.Connection, roadmap: Roadmap) -> None:
    """Keep the text of a Roadmap version; the same version with other content is refused."""
    with transaction(connection):
        stored = connection.execute("SELECT yaml FROM roadmap_versie WHERE versie = ?", (roadmap.versie,)).fetchone()
        if stored is not None and stored[0] == roadmap.yaml:
            return
        if stored is None:
            connection.execute("INSERT INTO roadmap_versie (versie, yaml) VALUES (?, ?)", (roadmap.versie, roadmap.yaml))
        elif _parsed(roadmap.versie, stored[0]).model_dump() != roadmap.model_dump():
            raise GebruikersFout(
                f"de Roadmap-versie '{roadmap.versie}' staat al in de database met andere inhoud:"
                " verhoog 'versie' in het Roadmap-bestand"
            )


def deelnemer_key(naam: str) -> str:
    """The one rule for "is this the same deelnemer?": names compared after strip and casefold.

    A partner who types "an " on her phone is the "An" the coordinator added: she gets her own
    answers back, and an import or a second "AN" finds her instead of adding a new deelnemer.
    """
    return naam.strip().casefold()


def find_deelnemer(connection: sqlite3.Connection, ronde_id: int, naam: str) -> sqlite3.Row | None:
    """The deelnemer of a round who is `naam` by `deelnemer_key` (id, naam, organisatie, levensdomein_id), or None.

    Compared in Python, as SQLite's lower() folds only ASCII letters; a round has a few dozen deelnemers.
    """
    key = deelnemer_key(naam)
    rows = connection.execute(
        "SELECT id, naam, organisatie, levensdomein_id FROM deelnemer WHERE ronde_id = ? ORDER BY id", (ronde_id,)
    )
    return next((row for row in rows if deelnemer_key(row["naam"]) == key), None)


def save_deelnemer(
    connection: sqlite3.Connection, ronde_id: int, naam: str, organisatie: str = "", levensdomein_id: str | None = None
) -> int:
    """Create the participant `naam` in a round, or update the one who is `naam` by `deelnemer_key`; return its id.

    An existing participant keeps the name as first written; organisatie and levensdomein are replaced.
    """
    naam = naam.strip()
    if not naam:
        raise GebruikersFout("de naam van een deelnemer mag niet leeg zijn")
    with transaction(connection):
        found = find_deelnemer(connection, ronde_id, naam)
        if found is not None:
            connection.execute(
                "UPDATE deelnemer SET organisatie = ?, levensdomein_id = ? WHERE id = ?",
                (organisatie.strip(), levensdomein_id, found["id"]),
            )
            return found["id"]
        return connection.execute(
            f"INSERT INTO deelnemer (ronde_id, naam, organisatie, levensdomein_id, uid) VALUES (?, ?, ?, ?, {NEW_UID})"
            " RETURNING id",
            (ronde_id, naam, organisatie.strip(), levensdomein_id),
        ).fetchone()[0]


def save_antwoorden(connection: sqlite3.Connection, deelnemer_id: int, antwoorden: pd.DataFrame) -> None:
    """Save a participant's answers (columns stelling_id, keuze, niveau, toelichting) at once.

    Each answer replaces the participant's earlier answer to the same stelling. Stellingen that the
    round's Roadmap version does not know, and levels outside its scale, are refused, naming the stelling.
    """
    roadmap = ronde_roadmap(connection, deelnemer_ronde(connection, deelnemer_id))
    rows = []
    for row in antwoorden.itertuples(index=False):
        niveau = _checked_answer(roadmap, row.stelling_id, row.keuze, row.niveau)
        rows.append((deelnemer_id, row.stelling_id, row.keuze, niveau, getattr(row, "toelichting", "") or ""))
    with transaction(connection):
        connection.executemany(
            "INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau, toelichting) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (deelnemer_id, stelling_id) DO UPDATE SET keuze = excluded.keuze,"
            " niveau = excluded.niveau, toelichting = excluded.toelichting,"
            " gewijzigd = strftime('%Y-%m-%dT%H:%M:%f', 'now')",
            rows,
        )
        _write_antwoord_tekst(connection, "id = ?", (deelnemer_id,))


def _checked_answer(roadmap: Roadmap, stelling_id: str, keuze: str, niveau) -> int | None:
    """The level of one answer as stored (None for weet niet and niet van toepassing), or a Dutch refusal
    naming the stelling: a stelling the round's Roadmap version does not know, or a level off its scale."""
    _check_stelling(roadmap, stelling_id)
    if keuze not in KEUZES:
        raise GebruikersFout(f"stelling '{stelling_id}': onbekende keuze '{keuze}'")
    if keuze != "niveau":
        return None
    _check_niveau(roadmap, stelling_id, niveau)
    return int(niveau)


def _check_stelling(roadmap: Roadmap, stelling_id: str) -> None:
    if stelling_id not in roadmap.stelling_ids:
        raise GebruikersFout(f"onbekende stelling '{stelling_id}' in Roadmap-versie {roadmap.versie}")


def _check_niveau(roadmap: Roadmap, stelling_id: str, niveau) -> None:
    niveaus = roadmap.schaal.niveau_waarden
    if niveau is None or pd.isna(niveau) or int(niveau) != niveau or int(niveau) not in niveaus:
        raise GebruikersFout(f"stelling '{stelling_id}': niveau {niveau} ligt niet tussen {niveaus[0]} en {niveaus[-1]}")


def save_belang(connection: sqlite3.Connection, deelnemer_id: int, belang: dict[str, int]) -> None:
    """Save how important a participant finds each onderdeel, on the belang scale of the round's Roadmap."""
    waarden = ronde_roadmap(connection, deelnemer_ronde(connection, deelnemer_id)).schaal.belang_waarden
    for onderdeel_id, waarde in belang.items():
        if waarde not in waarden:
            raise GebruikersFout(f"onderdeel '{onderdeel_id}': belang {waarde} moet {as_dutch_list(waarden)} zijn")
    with transaction(connection):
        connection.executemany(
            "INSERT INTO belang (deelnemer_id, onderdeel_id, belang) VALUES (?, ?, ?)"
            " ON CONFLICT (deelnemer_id, onderdeel_id) DO UPDATE SET belang = excluded.belang",
            [(deelnemer_id, onderdeel_id, waarde) for onderdeel_id, waarde in belang.items()],
        )


def save_prioriteiten(connection: sqlite3.Connection, ronde_id: int, onderdeel_ids: Sequence[str]) -> None:
    """Set the onderdelen the group chose as priorities in a round (replacing an earlier choice)."""
    _check_onderdelen(connection, ronde_id, onderdeel_ids)
    with transaction(connection):
        connection.execute("DELETE FROM prioriteit WHERE ronde_id = ?", (ronde_id,))
        connection.executemany(
            "INSERT INTO prioriteit (ronde_id, onderdeel_id) VALUES (?, ?)", [(ronde_id, o) for o in onderdeel_ids]
        )


def save_actie(
    connection: sqlite3.Connection,
    ronde_id: int,
    onderdeel_id: str,
    omschrijving: str,
    trekker: str = "",
    partners: str = "",
    termijn: str | None = None,
    status: str = "gepland",
    actie_id: int | None = None,
) -> int:
    """Add an action to a round's plan, or update action `actie_id`; return its id."""
    _check_onderdelen(connection, ronde_id, [onderdeel_id])
    if not omschrijving.strip():
        raise GebruikersFout("een actie heeft een omschrijving nodig")
    if status not in STATUSSEN:
        raise GebruikersFout(f"onbekende status '{status}': kies uit {', '.join(STATUSSEN)}")
    if termijn:
        try:
            date.fromisoformat(termijn)
        except ValueError:
            raise GebruikersFout(f"termijn '{termijn}' is geen datum (JJJJ-MM-DD)") from None
    values = (ronde_id, onderdeel_id, omschrijving.strip(), trekker.strip(), partners.strip(), termijn or None, status)
    with transaction(connection):
        if actie_id is None:
            return connection.execute(
                "INSERT INTO actie (ronde_id, onderdeel_id, omschrijving, trekker, partners, termijn, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                values,
            ).fetchone()[0]
        updated = connection.execute(
            "UPDATE actie SET ronde_id = ?, onderdeel_id = ?, omschrijving = ?, trekker = ?, partners = ?,"
            " termijn = ?, status = ? WHERE id = ?",
            (*values, actie_id),
        ).rowcount
        if not updated:
            raise GebruikersFout(f"actie {actie_id} bestaat niet")
        return actie_id


def _check_onderdelen(connection: sqlite3.Connection, ronde_id: int, onderdeel_ids: Sequence[str]) -> None:
    known = {o.id for o in ronde_roadmap(connection, ronde_id).onderdelen}
    unknown = [o for o in onderdeel_ids if o not in known]
    if unknown:
        raise GebruikersFout(f"onbekend onderdeel: {', '.join(unknown)}")


# Codes partners type on a phone: no 0/O, 1/I/L or other look-alikes.
CODE_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTE = 6


def new_toegangscode(connection: sqlite3.Connection, ronde_id: int) -> str:
    """Give a round a new random access code for the networked workshop (the old one stops working)."""
    with transaction(connection):
        while True:
            code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTE))
            try:
                updated = connection.execute(
                    "UPDATE ronde SET toegangscode = ? WHERE id = ?", (code, ronde_id)
                ).rowcount
            except sqlite3.IntegrityError:  # another round has this code: draw again
                continue
            if not updated:
                raise GebruikersFout(f"ronde {ronde_id} bestaat niet")
            return code


def ronde_voor_code(connection: sqlite3.Connection, code: str) -> int | None:
    """The round that access code `code` opens, or None.

    Every stored code is compared in constant time, so the answer time tells nothing about how
    close a guess was.
    """
    typed = "".join(code.split()).upper().encode()
    found = None
    for ronde_id, stored in connection.execute("SELECT id, toegangscode FROM ronde WHERE toegangscode IS NOT NULL"):
        if hmac.compare_digest(typed, stored.encode()):
            found = ronde_id
    return found


def toegangscode(connection: sqlite3.Connection, ronde_id: int) -> str | None:
    return connection.execute("SELECT toegangscode FROM ronde WHERE id = ?", (ronde_id,)).fetchone()[0]


def set_groep_zichtbaar(connection: sqlite3.Connection, ronde_id: int, zichtbaar: bool) -> None:
    """Let the partners of a networked round see the group results, or hide them again."""
    with transaction(connection):
        connection.execute("UPDATE ronde SET groep_zichtbaar = ? WHERE id = ?", (int(zichtbaar), ronde_id))


def groep_zichtbaar(connection: sqlite3.Connection, ronde_id: int) -> bool:
    return bool(connection.execute("SELECT groep_zichtbaar FROM ronde WHERE id = ?", (ronde_id,)).fetchone()[0])


def plan_bespreking(connection: sqlite3.Connection, ronde_id: int, stelling_ids: Sequence[str]) -> None:
    """Add stellingen to the ones a round's group discusses again, after those already planned; a
    stelling planned before keeps its place."""
    roadmap = ronde_roadmap(connection, ronde_id)
    for stelling_id in stelling_ids:
        _check_stelling(roadmap, stelling_id)
    with transaction(connection):
        last = connection.execute(
            "SELECT coalesce(max(volgorde), 0) FROM bespreking WHERE ronde_id = ?", (ronde_id,)
        ).fetchone()[0]
        connection.executemany(
            "INSERT INTO bespreking (ronde_id, stelling_id, volgorde) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(ronde_id, stelling_id, last + number) for number, stelling_id in enumerate(stelling_ids, start=1)],
        )


def drop_bespreking(connection: sqlite3.Connection, ronde_id: int, stelling_id: str) -> None:
    """Take a stelling off the discussion, as long as nobody voted on it again and nothing was recorded."""
    with transaction(connection):
        if _stemmen_op(connection, ronde_id, stelling_id) or connection.execute(
            "SELECT 1 FROM bespreking WHERE ronde_id = ? AND stelling_id = ? AND vastgelegd IS NOT NULL",
            (ronde_id, stelling_id),
        ).fetchone():
            raise GebruikersFout(f"stelling '{stelling_id}' is al besproken: haar stemmen en besluit blijven bewaard")
        connection.execute("UPDATE ronde SET stemming = NULL WHERE id = ? AND stemming = ?", (ronde_id, stelling_id))
        connection.execute("DELETE FROM bespreking WHERE ronde_id = ? AND stelling_id = ?", (ronde_id, stelling_id))


def _stemmen_op(connection: sqlite3.Connection, ronde_id: int, stelling_id: str) -> int:
    return connection.execute(
        "SELECT count(*) FROM stem s JOIN deelnemer d ON d.id = s.deelnemer_id"
        " WHERE d.ronde_id = ? AND s.stelling_id = ?", (ronde_id, stelling_id)
    ).fetchone()[0]


def open_stemming(connection: sqlite3.Connection, ronde_id: int, stelling_id: str) -> None:
    """Let the partners vote again on a planned stelling; a vote open on another one closes."""
    with transaction(connection):
        if not connection.execute(
            "SELECT 1 FROM bespreking WHERE ronde_id = ? AND stelling_id = ?", (ronde_id, stelling_id)
        ).fetchone():
            raise GebruikersFout(f"stelling '{stelling_id}' staat niet bij de te bespreken stellingen")
        connection.execute("UPDATE ronde SET stemming = ? WHERE id = ?", (stelling_id, ronde_id))


def close_stemming(connection: sqlite3.Connection, ronde_id: int) -> None:
    with transaction(connection):
        connection.execute("UPDATE ronde SET stemming = NULL WHERE id = ?", (ronde_id,))


def stemming(connection: sqlite3.Connection, ronde_id: int) -> str | None:
    """The stelling the partners of a round vote on now, or None."""
    row = connection.execute("SELECT stemming FROM ronde WHERE id = ?", (ronde_id,)).fetchone()
    return None if row is None else row[0]


def save_stem(connection: sqlite3.Connection, deelnemer_id: int, stelling_id: str, keuze: str, niveau) -> None:
    """Save a partner's vote after the discussion, replacing an earlier one; only while the vote on
    that stelling is open, so that a phone left on an old page cannot change a closed vote."""
    ronde_id = deelnemer_ronde(connection, deelnemer_id)
    niveau = _checked_answer(ronde_roadmap(connection, ronde_id), stelling_id, keuze, niveau)
    with transaction(connection):
        if stemming(connection, ronde_id) != stelling_id:
            raise GebruikersFout("de stemming over deze stelling is gesloten; uw eerdere stem blijft bewaard")
        connection.execute(
            "INSERT INTO stem (deelnemer_id, stelling_id, keuze, niveau) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (deelnemer_id, stelling_id) DO UPDATE SET keuze = excluded.keuze,"
            " niveau = excluded.niveau, gewijzigd = strftime('%Y-%m-%dT%H:%M:%f', 'now')",
            (deelnemer_id, stelling_id, keuze, niveau),
        )


def save_stemmen(connection: sqlite3.Connection, deelnemer_id: int, stemmen: pd.DataFrame) -> None:
    """Save votes after the discussion as an import brings them (columns stelling_id, keuze, niveau):
    no vote needs to be open, and each stelling joins the round's discussion if it was not on it."""
    ronde_id = deelnemer_ronde(connection, deelnemer_id)
    roadmap = ronde_roadmap(connection, ronde_id)
    rows = [(deelnemer_id, row.stelling_id, row.keuze, _checked_answer(roadmap, row.stelling_id, row.keuze, row.niveau))
            for row in stemmen.itertuples(index=False)]
    with transaction(connection):
        plan_bespreking(connection, ronde_id, [row[1] for row in rows])
        connection.executemany(
            "INSERT INTO stem (deelnemer_id, stelling_id, keuze, niveau) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (deelnemer_id, stelling_id) DO UPDATE SET keuze = excluded.keuze, niveau = excluded.niveau",
            rows,
        )


def save_uitkomst(
    connection: sqlite3.Connection, ronde_id: int, stelling_id: str, niveau: int | None, notitie: str = ""
) -> None:
    """Record what the group agreed on a discussed stelling: its level (None: the group stays split) and
    a short note. The vote on it closes: what was recorded is what the votes said."""
    roadmap = ronde_roadmap(connection, ronde_id)
    if niveau is not None:
        _check_niveau(roadmap, stelling_id, niveau)
    with transaction(connection):
        updated = connection.execute(
            "UPDATE bespreking SET niveau = ?, notitie = ?, vastgelegd = strftime('%Y-%m-%dT%H:%M:%f', 'now')"
            " WHERE ronde_id = ? AND stelling_id = ?",
            (None if niveau is None else int(niveau), notitie.strip()[:2000], ronde_id, stelling_id),
        ).rowcount
        if not updated:
            raise GebruikersFout(f"stelling '{stelling_id}' staat niet bij de te bespreken stellingen")
        connection.execute("UPDATE ronde SET stemming = NULL WHERE id = ? AND stemming = ?", (ronde_id, stelling_id))


def deelnemer_ronde(connection: sqlite3.Connection, deelnemer_id: int) -> int:
    row = connection.execute("SELECT ronde_id FROM deelnemer WHERE id = ?", (deelnemer_id,)).fetchone()
    if row is None:
        raise GebruikersFout(f"deelnemer {deelnemer_id} bestaat niet")
    return row[0]


def ronde_roadmap(connection: sqlite3.Connection, ronde_id: int) -> Roadmap:
    """The Roadmap as it was when this round was given, from the stored text."""
    row = connection.execute(
        "SELECT v.versie, v.yaml FROM ronde r JOIN roadmap_versie v ON v.versie = r.roadmap_versie WHERE r.id = ?",
        (ronde_id,),
    ).fetchone()
    if row is None:
        raise GebruikersFout(f"ronde {ronde_id} bestaat niet")
    return _parsed(row["versie"], row["yaml"])


@lru_cache(maxsize=16)
def _parsed(versie: str, text: str) -> Roadmap:
    """Parse a stored Roadmap once per process: saving answers looks it up for every participant."""
    return parse_roadmap(text, f"Roadmap-versie {versie} in de database")


def huizen(connection: sqlite3.Connection) -> pd.DataFrame:
    """Every Huis with its gemeenten (a tuple of NIS codes) and demo flag."""
    frame = _frame(
        connection,
        "SELECT h.id, h.naam, h.demo, group_concat(g.nis, ',') AS gemeenten FROM huis h"
        " LEFT JOIN (SELECT * FROM huis_gemeente ORDER BY nis) g ON g.huis_id = h.id GROUP BY h.id ORDER BY h.naam",
    )
    frame["gemeenten"] = frame["gemeenten"].map(lambda codes: tuple(codes.split(",")) if isinstance(codes, str) else ())
    frame["demo"] = frame["demo"].astype(bool)
    return frame


def huis_id(connection: sqlite3.Connection, naam: str) -> int:
    """The id of the Huis called `naam`; a Dutch error that suggests close names if there is none."""
    row = connection.execute("SELECT id FROM huis WHERE naam = ?", (naam.strip(),)).fetchone()
    if row is not None:
        return row[0]
    known = [r[0] for r in connection.execute("SELECT naam FROM huis")]
    close = difflib.get_close_matches(naam, known, n=3, cutoff=0.5)
    hint = f"; bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
    raise GebruikersFout(f"geen Huis met de naam '{naam}' in de database{hint}")


def ronde(connection: sqlite3.Connection, ronde_id: int) -> sqlite3.Row:
    """One round: id, huis_id, nummer, datum, roadmap_versie."""
    row = connection.execute(
        "SELECT id, huis_id, nummer, datum, roadmap_versie FROM ronde WHERE id = ?", (ronde_id,)
    ).fetchone()
    if row is None:
        raise GebruikersFout(f"ronde {ronde_id} bestaat niet")
    return row


def rondes(connection: sqlite3.Connection, huis_id: int) -> pd.DataFrame:
    return _frame(
        connection,
        "SELECT id, nummer, datum, roadmap_versie FROM ronde WHERE huis_id = ? ORDER BY nummer",
        (huis_id,),
    )


def deelnemers(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    return _frame(
        connection,
        "SELECT id, naam, organisatie, levensdomein_id FROM deelnemer WHERE ronde_id = ? ORDER BY id",
        (ronde_id,),
    )


def voortgang(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    """Per participant of a round: how many stellingen they answered (any choice counts)."""
    return _frame(
        connection,
        "SELECT d.id, d.naam, count(a.stelling_id) AS beantwoord FROM deelnemer d"
        " LEFT JOIN antwoord a ON a.deelnemer_id = d.id WHERE d.ronde_id = ? GROUP BY d.id ORDER BY d.id",
        (ronde_id,),
    )


def antwoorden(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    """All answers of a round: deelnemer_id, stelling_id, keuze, niveau, toelichting."""
    return _frame(
        connection,
        "SELECT a.deelnemer_id, a.stelling_id, a.keuze, a.niveau, a.toelichting FROM antwoord a"
        " JOIN deelnemer d ON d.id = a.deelnemer_id WHERE d.ronde_id = ? ORDER BY a.deelnemer_id, a.stelling_id",
        (ronde_id,),
    )


def alle_rondes(connection: sqlite3.Connection) -> pd.DataFrame:
    """Every round in the store (ronde_id, huis_id, nummer, versie), by Huis and number."""
    return _frame(
        connection,
        "SELECT id AS ronde_id, huis_id, nummer, roadmap_versie AS versie FROM ronde ORDER BY huis_id, nummer",
    )


def antwoorden_als_tekst(connection: sqlite3.Connection) -> pd.DataFrame:
    """Every answer in the store, as two strings per participant: deelnemer_id, ronde_id, versie (the round's
    Roadmap version), stellingen, keuzes.

    `stellingen` names the stellingen answered, separated by spaces; `keuzes` has, in the same
    order, one character per answer: the level (one digit, see `Schaal`), 'w' (weet niet) or 'n'
    (niet van toepassing). Fetching a million answers row by row would cost more than the whole
    aggregate that reads them, and grouping them into strings here took two thirds of it: the
    strings are kept in antwoord_tekst, written again with the answers (`_write_antwoord_tekst`).
    """
    rows = connection.execute(
        "SELECT t.deelnemer_id, d.ronde_id, r.roadmap_versie, t.stellingen, t.keuzes FROM antwoord_tekst t"
        " JOIN deelnemer d ON d.id = t.deelnemer_id JOIN ronde r ON r.id = d.ronde_id ORDER BY t.deelnemer_id"
    ).fetchall()
    ids, ronde_ids, versies, stellingen, keuzes = zip(*rows) if rows else ((),) * 5
    # The text stays Python strings (dtype object): pandas' own string type would copy megabytes of
    # stelling names into Arrow, a twentieth of the aggregate's time, for nothing it needs.
    text = {"versie": versies, "stellingen": stellingen, "keuzes": keuzes}
    return pd.DataFrame({"deelnemer_id": np.array(ids, dtype=np.int64), "ronde_id": np.array(ronde_ids, dtype=np.int64),
                         **{name: pd.Series(values, dtype=object) for name, values in text.items()}})


_TEKST_PER_DEELNEMER = (
    "SELECT deelnemer_id, group_concat(stelling_id, ' ') AS stellingen,"
    " group_concat(CASE keuze WHEN 'niveau' THEN niveau WHEN 'weet_niet' THEN 'w' ELSE 'n' END, '') AS keuzes"
    " FROM antwoord"
)
"""Participants' answers as antwoord_tekst keeps them, once a WHERE and GROUP BY deelnemer_id follow."""


def rebuild_antwoord_tekst(connection: sqlite3.Connection) -> None:
    """Write every participant's answer text again from the answers: for a store whose answers were
    written by SQL of its own rather than through this module (a benchmark that builds a large store
    fast, another program: see `stale_antwoord_tekst`)."""
    with transaction(connection):
        _write_antwoord_tekst(connection, "1")


def stale_antwoord_tekst(connection: sqlite3.Connection) -> list[int]:
    """The participants whose answer text no longer says what their answers say. Only a program that
    writes answers without this module leaves them; `rebuild_antwoord_tekst` mends them. None in a
    file of a schema before the text, which migrating makes."""
    if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'antwoord_tekst'").fetchone():
        return []
    rows = connection.execute(
        f"WITH nu AS ({_TEKST_PER_DEELNEMER} GROUP BY deelnemer_id)"
        " SELECT deelnemer_id FROM nu LEFT JOIN antwoord_tekst t USING (deelnemer_id)"
        " WHERE t.stellingen IS NOT nu.stellingen OR t.keuzes IS NOT nu.keuzes"
        " UNION SELECT deelnemer_id FROM antwoord_tekst t"
        " WHERE NOT EXISTS (SELECT 1 FROM antwoord a WHERE a.deelnemer_id = t.deelnemer_id)"
        " ORDER BY 1"
    )
    return [row[0] for row in rows]


def _write_antwoord_tekst(connection: sqlite3.Connection, deelnemers: str, parameters: Sequence = ()) -> None:
    """Write again, from their answers, the text of the participants that the condition `deelnemers`
    on deelnemer selects; one without answers has none. Part of the caller's transaction."""
    chosen = f"SELECT id FROM deelnemer WHERE {deelnemers}"
    connection.execute(f"DELETE FROM antwoord_tekst WHERE deelnemer_id IN ({chosen})", parameters)
    connection.execute(f"INSERT INTO antwoord_tekst {_TEKST_PER_DEELNEMER} WHERE deelnemer_id IN ({chosen})"
                       " GROUP BY deelnemer_id", parameters)


def belangen(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    return _frame(
        connection,
        "SELECT b.deelnemer_id, b.onderdeel_id, b.belang FROM belang b"
        " JOIN deelnemer d ON d.id = b.deelnemer_id WHERE d.ronde_id = ?",
        (ronde_id,),
    )


def prioriteiten(connection: sqlite3.Connection, ronde_id: int) -> list[str]:
    cursor = connection.execute(
        "SELECT onderdeel_id FROM prioriteit WHERE ronde_id = ? ORDER BY onderdeel_id", (ronde_id,)
    )
    return [row[0] for row in cursor]


def acties(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    """The action plan of a round, in the order the actions were added."""
    return _frame(
        connection,
        "SELECT id, onderdeel_id, omschrijving, trekker, partners, termijn, status FROM actie"
        " WHERE ronde_id = ? ORDER BY id",
        (ronde_id,),
    )


def besprekingen(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    """The stellingen a round's group discusses again, in order: stelling_id, niveau and notitie as
    agreed, vastgelegd (when recorded; None before)."""
    return _frame(
        connection,
        "SELECT stelling_id, niveau, notitie, vastgelegd FROM bespreking WHERE ronde_id = ? ORDER BY volgorde",
        (ronde_id,),
    )


def stemmen(connection: sqlite3.Connection, ronde_id: int) -> pd.DataFrame:
    """The votes after the discussion of a round: deelnemer_id, stelling_id, keuze, niveau (as `antwoorden`)."""
    return _frame(
        connection,
        "SELECT s.deelnemer_id, s.stelling_id, s.keuze, s.niveau FROM stem s"
        " JOIN deelnemer d ON d.id = s.deelnemer_id WHERE d.ronde_id = ? ORDER BY s.deelnemer_id, s.stelling_id",
        (ronde_id,),
    )


# --- bundles: a Huis as plain data, carried from store to store (roadmap/io/bundel.py) ------------

def huis_inhoud(connection: sqlite3.Connection, huis_id: int) -> dict:
    """A Huis as plain data: uid, naam, demo, gemeenten. Rows written before uids existed (or by other
    programs) get one now, so that every later bundle of this store names them the same way."""
    with transaction(connection):
        for table, where in (("huis", "id = ?"), ("ronde", "huis_id = ?"),
                             ("deelnemer", "ronde_id IN (SELECT id FROM ronde WHERE huis_id = ?)")):
            connection.execute(f"UPDATE {table} SET uid = {NEW_UID} WHERE uid IS NULL AND {where}", (huis_id,))
    row = connection.execute("SELECT uid, naam, demo FROM huis WHERE id = ?", (huis_id,)).fetchone()
    if row is None:
        raise GebruikersFout(f"Huis {huis_id} bestaat niet")
    gemeenten = [nis for (nis,) in connection.execute(
        "SELECT nis FROM huis_gemeente WHERE huis_id = ? ORDER BY nis", (huis_id,))]
    return {"uid": row["uid"], "naam": row["naam"], "demo": bool(row["demo"]), "gemeenten": gemeenten}


def ronde_inhoud(connection: sqlite3.Connection, ronde_id: int) -> dict:
    """A round as plain data, everything but the times of saving: its participants (by uid, in the
    order they were added) with their answers, belang and votes after the discussion, and the
    group's priorities, actions and discussion. Equal data means an equal round."""
    ronde_row = connection.execute(
        "SELECT uid, nummer, datum, roadmap_versie FROM ronde WHERE id = ?", (ronde_id,)).fetchone()
    per_deelnemer: dict[int, dict] = {}
    for row in connection.execute(
        "SELECT id, uid, naam, organisatie, levensdomein_id FROM deelnemer WHERE ronde_id = ? ORDER BY id", (ronde_id,)
    ):
        per_deelnemer[row["id"]] = {"uid": row["uid"], "naam": row["naam"], "organisatie": row["organisatie"],
                                    "levensdomein_id": row["levensdomein_id"], "antwoorden": [], "belang": [],
                                    "stemmen": []}
    queries = {
        "antwoorden": "SELECT a.deelnemer_id, a.stelling_id, a.keuze, a.niveau, a.toelichting FROM antwoord a",
        "belang": "SELECT a.deelnemer_id, a.onderdeel_id, a.belang FROM belang a",
        "stemmen": "SELECT a.deelnemer_id, a.stelling_id, a.keuze, a.niveau FROM stem a",
    }
    for key, sql in queries.items():
        for row in connection.execute(
            f"{sql} JOIN deelnemer d ON d.id = a.deelnemer_id WHERE d.ronde_id = ? ORDER BY 1, 2", (ronde_id,)
        ):
            per_deelnemer[row[0]][key].append(list(row)[1:])
    return {
        "uid": ronde_row["uid"], "nummer": ronde_row["nummer"], "datum": ronde_row["datum"],
        "roadmap_versie": ronde_row["roadmap_versie"], "deelnemers": list(per_deelnemer.values()),
        "prioriteiten": prioriteiten(connection, ronde_id),
        "acties": [list(row) for row in connection.execute(
            "SELECT onderdeel_id, omschrijving, trekker, partners, termijn, status FROM actie WHERE ronde_id = ?"
            " ORDER BY id", (ronde_id,))],
        "besprekingen": [list(row) for row in connection.execute(
            "SELECT stelling_id, niveau, notitie, vastgelegd FROM bespreking WHERE ronde_id = ? ORDER BY volgorde",
            (ronde_id,))],
    }


def huis_voor_uid(connection: sqlite3.Connection, uid: str) -> int | None:
    row = connection.execute("SELECT id FROM huis WHERE uid = ?", (uid,)).fetchone()
    return None if row is None else row[0]


def huis_voor_naam(connection: sqlite3.Connection, naam: str) -> int | None:
    row = connection.execute("SELECT id FROM huis WHERE naam = ?", (naam,)).fetchone()
    return None if row is None else row[0]


def ronde_voor_uid(connection: sqlite3.Connection, uid: str) -> sqlite3.Row | None:
    """The round with this uid (id, huis_id, nummer, roadmap_versie, bundel_hash), or None."""
    return connection.execute(
        "SELECT id, huis_id, nummer, roadmap_versie, bundel_hash FROM ronde WHERE uid = ?", (uid,)).fetchone()


def save_bundel_huis(connection: sqlite3.Connection, huis: dict) -> int:
    """Create or update the Huis with the bundle's uid, naam and gemeenten; return its id."""
    with transaction(connection):
        huis_id = huis_voor_uid(connection, huis["uid"])
        if huis_id is None:
            huis_id = connection.execute("INSERT INTO huis (naam, demo, uid) VALUES (?, ?, ?) RETURNING id",
                                         (huis["naam"], int(huis["demo"]), huis["uid"])).fetchone()[0]
        else:
            connection.execute("UPDATE huis SET naam = ?, demo = ? WHERE id = ?", (huis["naam"], int(huis["demo"]), huis_id))
        connection.execute("DELETE FROM huis_gemeente WHERE huis_id = ?", (huis_id,))
        connection.executemany("INSERT INTO huis_gemeente (huis_id, nis) VALUES (?, ?)",
                               [(huis_id, nis) for nis in huis["gemeenten"]])
    return huis_id


def save_bundel_ronde(connection: sqlite3.Connection, huis_id: int, ronde: dict, bundel_hash: str) -> None:
    """Write a round as a bundle holds it (`ronde_inhoud`'s form), remembering `bundel_hash`.

    Participants are found by uid: kept (with their id), renamed, added or removed; their answers,
    belang and votes, and the round's priorities, actions and discussion become the bundle's.
    """
    with transaction(connection):
        found = ronde_voor_uid(connection, ronde["uid"])
        if found is None:
            ronde_id = connection.execute(
                "INSERT INTO ronde (huis_id, nummer, datum, roadmap_versie, uid, bundel_hash) VALUES (?, ?, ?, ?, ?, ?)"
                " RETURNING id", (huis_id, ronde["nummer"], ronde["datum"], ronde["roadmap_versie"], ronde["uid"],
                                  bundel_hash)).fetchone()[0]
        else:
            ronde_id = found["id"]
            connection.execute("UPDATE ronde SET datum = ?, bundel_hash = ? WHERE id = ?",
                               (ronde["datum"], bundel_hash, ronde_id))
        uids = [deelnemer["uid"] for deelnemer in ronde["deelnemers"]]
        connection.execute(
            f"DELETE FROM deelnemer WHERE ronde_id = ? AND (uid IS NULL OR uid NOT IN ({','.join('?' * len(uids))}))",
            (ronde_id, *uids))
        connection.execute("UPDATE deelnemer SET naam = uid WHERE ronde_id = ?", (ronde_id,))  # free the names
        ids = {}
        for deelnemer in ronde["deelnemers"]:
            row = connection.execute(
                "INSERT INTO deelnemer (ronde_id, naam, organisatie, levensdomein_id, uid) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (uid) DO UPDATE SET naam = excluded.naam, organisatie = excluded.organisatie,"
                " levensdomein_id = excluded.levensdomein_id WHERE deelnemer.ronde_id = excluded.ronde_id RETURNING id",
                (ronde_id, deelnemer["naam"], deelnemer["organisatie"], deelnemer["levensdomein_id"], deelnemer["uid"]),
            ).fetchone()
            if row is None:
                raise GebruikersFout(f"deelnemer '{deelnemer['naam']}' staat in deze database al in een andere ronde")
            ids[deelnemer["uid"]] = row[0]
        if found is not None:
            for table in ("antwoord", "belang", "stem"):
                connection.execute(
                    f"DELETE FROM {table} WHERE deelnemer_id IN (SELECT id FROM deelnemer WHERE ronde_id = ?)", (ronde_id,))
            for table in ("prioriteit", "actie", "bespreking"):
                connection.execute(f"DELETE FROM {table} WHERE ronde_id = ?", (ronde_id,))
        now = connection.execute("SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now')").fetchone()[0]  # once, not per row
        rows = {key: [(ids[d["uid"]], *row, now) for d in ronde["deelnemers"] for row in d[key]]
                for key in ("antwoorden", "stemmen")}
        connection.executemany("INSERT INTO antwoord (deelnemer_id, stelling_id, keuze, niveau, toelichting, gewijzigd)"
                               " VALUES (?, ?, ?, ?, ?, ?)", rows["antwoorden"])
        _write_antwoord_tekst(connection, "ronde_id = ?", (ronde_id,))
        connection.executemany("INSERT INTO stem (deelnemer_id, stelling_id, keuze, niveau, gewijzigd) VALUES (?, ?, ?, ?, ?)",
                               rows["stemmen"])
        connection.executemany("INSERT INTO belang (deelnemer_id, onderdeel_id, belang) VALUES (?, ?, ?)",
                               [(ids[d["uid"]], *row) for d in ronde["deelnemers"] for row in d["belang"]])
        connection.executemany("INSERT INTO prioriteit (ronde_id, onderdeel_id) VALUES (?, ?)",
                               [(ronde_id, onderdeel_id) for onderdeel_id in ronde["prioriteiten"]])
        connection.executemany(
            "INSERT INTO actie (ronde_id, onderdeel_id, omschrijving, trekker, partners, termijn, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [(ronde_id, *actie) for actie in ronde["acties"]])
        connection.executemany(
            "INSERT INTO bespreking (ronde_id, stelling_id, volgorde, niveau, notitie, vastgelegd) VALUES (?, ?, ?, ?, ?, ?)",
            [(ronde_id, row[0], number, *row[1:]) for number, row in enumerate(ronde["besprekingen"], start=1)])


def huis_rondes(connection: sqlite3.Connection, huis_id: int) -> dict[int, tuple[str | None, int]]:
    """Per round number of a Huis: its uid and id."""
    return {row["nummer"]: (row["uid"], row["id"]) for row in connection.execute(
        "SELECT nummer, uid, id FROM ronde WHERE huis_id = ?", (huis_id,))}


def row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def roadmap_versies(connection: sqlite3.Connection) -> dict[str, str]:
    """Every stored Roadmap version with its text, unparsed: a check must see a text that no longer parses."""
    return dict(connection.execute("SELECT versie, yaml FROM roadmap_versie ORDER BY versie").fetchall())


def damage(connection: sqlite3.Connection) -> list[str]:
    """SQLite's own description of damaged pages and indexes in the file, a line each; empty when it is sound."""
    try:
        lines = [line for row in connection.execute("PRAGMA integrity_check") for line in row[0].splitlines()]
        return [line for line in lines if line != "ok" and not line.startswith("*** in database")]
    except sqlite3.DatabaseError as error:  # so damaged that SQLite cannot even list it
        return [str(error)]


def orphans(connection: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Rows whose parent row is gone, counted per (table, parent table).

    Only a program that switched foreign keys off can leave them; hvhk itself never does.
    """
    rows = connection.execute(
        'SELECT "table", parent, count(*) FROM pragma_foreign_key_check GROUP BY 1, 2 ORDER BY 1, 2'
    )
    return {(table, parent): count for table, parent, count in rows}


def _frame(connection: sqlite3.Connection, sql: str, parameters: Sequence = ()) -> pd.DataFrame:
    cursor = connection.execute(sql, parameters)
    return pd.DataFrame([tuple(row) for row in cursor], columns=[c[0] for c in cursor.description])


# Every table a Huis report reads, each as rows with their huis_id, so that a report's fingerprint
# changes exactly when one of its rows does. Timestamps of saving (antwoord.gewijzigd) stay out: an
# answer saved again unchanged must not redo the report.
_REPORT_INPUTS = {
    "huis": "SELECT id AS huis_id, naam, demo FROM huis",
    "gemeenten": "SELECT huis_id, nis FROM huis_gemeente",
    "rondes": "SELECT r.huis_id, r.id, r.nummer, r.datum, v.versie, v.yaml FROM ronde r"
              " JOIN roadmap_versie v ON v.versie = r.roadmap_versie",
    "deelnemers": "SELECT r.huis_id, d.* FROM deelnemer d JOIN ronde r ON r.id = d.ronde_id",
    "antwoorden": "SELECT r.huis_id, a.deelnemer_id, a.stelling_id, a.keuze, a.niveau, a.toelichting FROM antwoord a"
                  " JOIN deelnemer d ON d.id = a.deelnemer_id JOIN ronde r ON r.id = d.ronde_id",
    "belangen": "SELECT r.huis_id, b.* FROM belang b JOIN deelnemer d ON d.id = b.deelnemer_id"
                " JOIN ronde r ON r.id = d.ronde_id",
    "prioriteiten": "SELECT r.huis_id, p.* FROM prioriteit p JOIN ronde r ON r.id = p.ronde_id",
    "acties": "SELECT r.huis_id, a.* FROM actie a JOIN ronde r ON r.id = a.ronde_id",
    "besprekingen": "SELECT r.huis_id, b.ronde_id, b.stelling_id, b.volgorde, b.niveau, b.notitie,"
                    " b.vastgelegd IS NOT NULL AS vastgelegd FROM bespreking b JOIN ronde r ON r.id = b.ronde_id",
    "stemmen": "SELECT r.huis_id, s.deelnemer_id, s.stelling_id, s.keuze, s.niveau FROM stem s"
               " JOIN deelnemer d ON d.id = s.deelnemer_id JOIN ronde r ON r.id = d.ronde_id",
}


def report_inputs(connection: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Per table a Huis report reads, all its rows with a huis_id column: what a report's fingerprint hashes."""
    return {name: _frame(connection, sql) for name, sql in _REPORT_INPUTS.items()}
