"""Writing files so that a crash never leaves half a file behind; opening a user's workbook safely."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_number

if TYPE_CHECKING:
    from openpyxl import Workbook

ONLEESBARE_WERKMAP = "geen leesbare Excel-werkmap (.xlsx); sla het op als Excel-werkmap"


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to a temporary file next to `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def slug(naam: str, fallback: str = "huis") -> str:
    """A safe file-name part: only a-z, 0-9 and dashes, so a name like '../x' cannot leave a folder."""
    ascii_name = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or fallback


def open_workbook(path: Path, max_unpacked_mb: int, data_only: bool = False) -> Workbook:
    """A user's .xlsx, read-only, refused in Dutch when it is no workbook or would unpack to more than
    `max_unpacked_mb`: a workbook is a zip of XML files, and its declared unpacked size is checked
    before openpyxl unpacks anything, so that a small zip bomb posing as .xlsx never fills memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise GebruikersFout(ONLEESBARE_WERKMAP) from None
    if unpacked > max_unpacked_mb * 1_000_000:
        raise GebruikersFout(f"uitgepakt zou deze werkmap {as_number(unpacked / 1_000_000, 0)} MB groot zijn; een"
                             f" ingevuld sjabloon is hoogstens {max_unpacked_mb} MB")
    from openpyxl import load_workbook  # here: 0.3 s of import that every user of write_atomic paid

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception:  # noqa: BLE001 - openpyxl meets a damaged file with whatever its parser hit
        raise GebruikersFout(ONLEESBARE_WERKMAP) from None
