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

import pandas as pd

from roadmap import store
from simulatie.uitvoer import read_report_table

PACKAGES = ("hvhk", "roadmap", "rapporten", "simulatie")  # simulatie draws the loket charts and names the measures
ROOT = Path(__file__).resolve().parent.parent
META = re.compile(rb'<meta name="hvhk-invoer" content="([0-9a-f]{64})">')


def per_huis(
    connection: sqlite3.Connection, template: Path, simulatie: Path, vergelijking: pd.DataFrame
) -> dict[int, str]:
    """Per huis_id the fingerprint of its report's inputs; `vergelijking` is the comparison group
    (`aggregate.per_onderdeel_alle_rondes`)."""
    shared = hashlib.sha256(_code(template))
    shared.update(_hash_frame(vergelijking))
    simulation = read_report_table(simulatie) if simulatie.exists() else pd.DataFrame(columns=["nis"])
    tables = store.report_inputs(connection)
    parts: dict[int, list[bytes]] = {}
    for frame in tables.values():
        for huis_id, rows in frame.groupby("huis_id"):
            parts.setdefault(int(huis_id), []).append(_hash_frame(rows))
    for huis_id, nis in tables["gemeenten"].itertuples(index=False):
        parts.setdefault(int(huis_id), []).append(_hash_frame(simulation.loc[simulation["nis"] == nis]))
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
    table = read_report_table(simulatie)
    code = _code(template)
    result = {}
    for nis in gemeenten:
        digest = hashlib.sha256(code)
        digest.update(_hash_frame(table.loc[table["nis"] == nis]))
        result[nis] = digest.hexdigest()
    return result


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


def _hash_frame(frame: pd.DataFrame) -> bytes:
    rows = frame.astype(str).sort_values(list(frame.columns))
    return hashlib.sha256(pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes()).digest()
