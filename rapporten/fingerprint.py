"""The fingerprint of everything a report is made from, so that a batch redoes only what changed.

A report depends on its Huis's rows in the store, on the other Huizen (the comparison), on the
simulation results of its gemeenten, and on the code and template that draw it. The fingerprint
hashes all of them; a report file that carries the same fingerprint is up to date.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from roadmap import store
from simulatie.uitvoer import read_report_table

PACKAGES = ("hvhk", "roadmap", "rapporten", "simulatie")  # simulatie draws the loket charts and names the measures
ROOT = Path(__file__).resolve().parent.parent
NO_ROWS = hashlib.sha256(b"").digest()  # `_hash_rows` of no rows: a gemeente without simulation results
META = re.compile(rb'<meta name="hvhk-invoer" content="([0-9a-f]{64})">')


def per_huis(
    connection: sqlite3.Connection, template: Path, simulatie: Path, vergelijking: pd.DataFrame
) -> dict[int, str]:
    """Per huis_id the fingerprint of its report's inputs; `vergelijking` is the comparison group
    (`aggregate.per_onderdeel_alle_rondes`)."""
    shared = hashlib.sha256(_code(template))
    shared.update(_hash_rows(_row_hashes(vergelijking)))
    simulation = read_report_table(simulatie) if simulatie.exists() else pd.DataFrame(columns=["nis"])
    tables = store.report_inputs(connection)
    parts: dict[int, list[bytes]] = {}
    for frame in tables.values():
        hashes = _row_hashes(frame)
        for huis_id, rows in frame.groupby("huis_id").indices.items():
            parts.setdefault(int(huis_id), []).append(_hash_rows(hashes[rows]))
    per_nis = _hashes_per_gemeente(simulation)
    for huis_id, nis in tables["gemeenten"].itertuples(index=False):
        parts.setdefault(int(huis_id), []).append(per_nis.get(nis, NO_ROWS))
    result = {}
    for huis_id, hashes in parts.items():
        digest = shared.copy()
        for part in hashes:
            digest.update(part)
        result[huis_id] = digest.hexdigest()
    return result


def per_gemeente(template: Path, simulatie: Path, gemeenten: list[str]) -> dict[str, str]:
    """Per NIS code the fingerprint of its gemeente report's inputs: code, template and its simulation rows."""
    if not gemeenten:
        return {}
    per_nis = _hashes_per_gemeente(read_report_table(simulatie))
    code = _code(template)
    return {nis: hashlib.sha256(code + per_nis.get(nis, NO_ROWS)).hexdigest() for nis in gemeenten}


def in_file(path: Path) -> str | None:
    """The fingerprint a finished report carries, or None (no file, or not one of ours)."""
    try:
        with path.open("rb") as file:
            match = META.search(file.read(4096))
    except OSError:
        return None
    return match.group(1).decode() if match else None


def _code(template: Path) -> bytes:
    """The template and the source of the packages that draw a report."""
    digest = hashlib.sha256(template.read_bytes())
    for package in PACKAGES:
        for source in sorted((ROOT / package).rglob("*")):
            if source.suffix in (".py", ".j2", ".css", ".yaml") and source.is_file():
                digest.update(source.read_bytes())
    return digest.digest()


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of each row's values as text, so that 1 and 1.0 after a NaN elsewhere stay alike."""
    return pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()


def _hash_rows(hashes: np.ndarray) -> bytes:
    """The digest of a set of rows, whatever their order: the rows of one Huis or gemeente are hashed
    with the whole table (`_row_hashes`) and only then taken apart, a pandas pass for each table
    rather than for each Huis, table and gemeente (3 s for the demo's 12 Huizen and 20 gemeenten)."""
    return hashlib.sha256(np.sort(hashes).tobytes()).digest()


def _hashes_per_gemeente(simulation: pd.DataFrame) -> dict[str, bytes]:
    hashes = _row_hashes(simulation)
    return {nis: _hash_rows(hashes[rows]) for nis, rows in simulation.groupby("nis").indices.items()}
