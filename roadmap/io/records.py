"""What a file reader hands to the import: raw values with the place in the file they came from.

The readers (Excel template, CSV) only know cells; checking the values against the Roadmap happens
once, in `roadmap.io.importing`. Every value carries its place so that each problem can be reported
with file, sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass

from hvhk.base.errors import GebruikersFout

MAX_GEMELD = 10  # problems listed in one message; a user fixes those first
# Bounds on what a file may hold, far above any workshop (a filled-in template is well under 1 MB,
# a round has a few dozen partners), so that a wrong or hostile file is refused before it costs
# minutes or gigabytes.
MAX_MB = 20
MAX_DEELNEMERS = 200


@dataclass(frozen=True)
class Deelnemer:
    naam: str
    organisatie: str
    levensdomein: str
    waar: str


@dataclass(frozen=True)
class Antwoord:
    """One cell of the file: a score for a stelling or a belang for an onderdeel (by `id`)."""

    deelnemer: str
    id: str
    waarde: object  # "" where the file has only the vote after the discussion
    toelichting: str
    waar: str  # where the value is, for a problem with the value
    waar_id: str  # where its id is, for an unknown id
    na_bespreking: object = ""  # the vote after the discussion (CSV only), "" for none
    waar_na: str = ""  # where that vote is


class Fouten:
    """Collects every problem in a file, so that the user can fix them all in one go."""

    def __init__(self, bestand: str):
        self.bestand = bestand
        self.lijst: list[str] = []

    def add(self, waar: str, tekst: str) -> None:
        self.lijst.append(f"{waar}: {tekst}")

    def stop(self, waar: str, tekst: str) -> GebruikersFout:
        """A problem that makes reading further pointless (no sheet, not a workbook)."""
        self.add(waar, tekst)
        return self.fout()

    def fout(self) -> GebruikersFout:
        shown = "\n".join(f"  - {line}" for line in self.lijst[:MAX_GEMELD])
        more = len(self.lijst) - MAX_GEMELD
        tail = f"\n  ... en nog {more} fout(en)" if more > 0 else ""
        count = "1 fout" if len(self.lijst) == 1 else f"{len(self.lijst)} fouten"
        return GebruikersFout(f"{self.bestand}: {count}, er is niets ingelezen:\n{shown}{tail}")

    def check(self) -> None:
        if self.lijst:
            raise self.fout()
