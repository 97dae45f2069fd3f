"""One scenario for the lokaal loket kinderopvang: the numbers a gemeente can vary, checked once.

A scenario is frozen, so a replicatie can never change the input of the next one, and it is validated
when it is made, so a wrong value from a YAML or JSON file is reported in Dutch, with the field
name, before any simulation runs. Time is in days throughout the model; the scenario holds the
conversions (per year, minutes of intake) so that the model never repeats them.

The defaults are illustrative orders of magnitude for a gemeente of about 23 000 inhabitants
(Nazareth-De Pinte, NIS 44086), not official figures.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from numbers import Integral, Real
from typing import Literal, get_args

from hvhk.errors import GebruikersFout

DAYS_PER_YEAR = 365.0

Beleid = Literal["fifo", "kwetsbaar_eerst"]
"""How a free plaats is allotted: in order of registration, or kwetsbare gezinnen first (then in
order of registration)."""


@dataclass(frozen=True)
class Scenario:
    """Input of one simulation: durations in days, shares as numbers from 0 to 1."""

    naam: str = "basis"
    gemeente: str = "44086"
    geboorten_per_jaar: float = 230.0
    aandeel_opvangvraag: float = 0.7
    aandeel_kwetsbaar: float = 0.2
    plaatsen: int = 320
    loket_medewerkers: int = 1
    intake_minuten: float = 45.0
    loket_uren_per_dag: float = 4.0
    voorinschrijving_dagen: float = 120.0
    startleeftijd_dagen: float = 150.0
    schoolleeftijd_dagen: float = 1004.0
    schoolleeftijd_spreiding_dagen: float = 60.0
    toewijzing_vooraf_dagen: float = 30.0
    beleid: Beleid = "fifo"
    jaren: int = 5
    opwarmjaren: int = 3

    def __post_init__(self) -> None:
        self._check_text("naam")
        if not (isinstance(self.gemeente, str) and len(self.gemeente) == 5 and self.gemeente.isdigit()):
            self._fail("gemeente", "moet een NIS-code van 5 cijfers zijn")
        self._check_number("geboorten_per_jaar", minimum=0.0, strict=True)
        self._check_share("aandeel_opvangvraag")
        self._check_share("aandeel_kwetsbaar")
        self._check_number("plaatsen", minimum=0, whole=True)
        self._check_number("loket_medewerkers", minimum=1, whole=True)
        self._check_number("intake_minuten", minimum=0.0, strict=True)
        self._check_number("loket_uren_per_dag", minimum=0.0, strict=True)
        if self.loket_uren_per_dag > 24:
            self._fail("loket_uren_per_dag", "mag niet meer dan 24 uur per dag zijn")
        for name in ("voorinschrijving_dagen", "startleeftijd_dagen", "schoolleeftijd_spreiding_dagen",
                     "toewijzing_vooraf_dagen"):
            self._check_number(name, minimum=0.0)
        self._check_number("schoolleeftijd_dagen", minimum=0.0, strict=True)
        earliest = self.startleeftijd_dagen + self.schoolleeftijd_spreiding_dagen
        if self.schoolleeftijd_dagen <= earliest:
            self._fail("schoolleeftijd_dagen", f"moet groter zijn dan startleeftijd_dagen + "
                       f"schoolleeftijd_spreiding_dagen ({earliest:g}), anders blijft er geen opvangtijd over")
        if self.beleid not in get_args(Beleid):
            self._fail("beleid", f"moet een van {', '.join(get_args(Beleid))} zijn")
        self._check_number("jaren", minimum=1, whole=True)
        self._check_number("opwarmjaren", minimum=0, whole=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Scenario:
        """Build a scenario from a loaded YAML or JSON mapping; missing fields keep their default."""
        if not isinstance(data, Mapping):
            raise GebruikersFout(f"Scenario: verwacht velden met waarden, kreeg {type(data).__name__}")
        naam = data.get("naam", cls.naam)
        known = [f.name for f in fields(cls)]
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                suggestion = f"bedoelde je '{hint[0]}'?" if hint else f"toegestane velden: {', '.join(known)}"
                raise GebruikersFout(f"Scenario '{naam}': onbekend veld '{key}' ({suggestion})")
        return cls(**data)

    @property
    def aanvragen_per_dag(self) -> float:
        """Arrival rate of childcare requests: every requesting gezin registers once per child."""
        return self.geboorten_per_jaar * self.aandeel_opvangvraag / DAYS_PER_YEAR

    @property
    def intake_dagen(self) -> float:
        """Mean intake in days of loket time: a calendar day holds loket_uren_per_dag staffed hours."""
        return self.intake_minuten / 60.0 / self.loket_uren_per_dag

    @property
    def verblijf_dagen(self) -> float:
        """Mean stay of a child placed on its desired start: from start age until school entry."""
        return self.schoolleeftijd_dagen - self.startleeftijd_dagen

    @property
    def opwarm_dagen(self) -> float:
        return self.opwarmjaren * DAYS_PER_YEAR

    @property
    def eind_dagen(self) -> float:
        return (self.opwarmjaren + self.jaren) * DAYS_PER_YEAR

    def _fail(self, field: str, problem: str) -> None:
        raise GebruikersFout(f"Scenario '{self.naam}', veld {field}: {problem} "
                             f"(gekregen: {getattr(self, field)!r})")

    def _check_text(self, field: str) -> None:
        value = getattr(self, field)
        if not isinstance(value, str) or not value.strip():
            raise GebruikersFout(f"Scenario, veld {field}: mag niet leeg zijn (gekregen: {value!r})")

    def _check_share(self, field: str) -> None:
        self._check_number(field, minimum=0.0)
        if getattr(self, field) > 1:
            self._fail(field, "mag niet boven 100 % liggen; een aandeel is een getal van 0 tot 1")

    def _check_number(self, field: str, *, minimum: float, strict: bool = False, whole: bool = False) -> None:
        value = getattr(self, field)
        if whole and (isinstance(value, bool) or not isinstance(value, Integral)):
            self._fail(field, "moet een geheel getal zijn")
        if isinstance(value, bool) or not isinstance(value, Real):
            self._fail(field, "moet een getal zijn")
        if not math.isfinite(value):
            self._fail(field, "moet een eindig getal zijn")
        if strict and value <= minimum:
            self._fail(field, f"moet groter dan {minimum:g} zijn")
        if value < minimum:
            self._fail(field, f"moet {minimum:g} of meer zijn")
