"""One scenario for the lokaal loket kinderopvang: the numbers a gemeente can vary, checked once.

A scenario is frozen, so a replicatie can never change the input of the next one, and it is validated
when it is made, so a wrong value from a YAML or JSON file is reported in Dutch, with the field
name, before any simulation runs. Time is in days throughout the model; the scenario holds the
conversions (per year, minutes of intake) so that the model never repeats them.

The defaults are illustrative orders of magnitude for a gemeente of about 23 000 inhabitants
(Nazareth-De Pinte, NIS 44086), not official figures. A scenario that sets only the older fields
(births, places, staff, beleid) still gets plausible locations, preferences and behaviour.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from numbers import Integral, Real
from typing import Literal, get_args

from hvhk.base.errors import GebruikersFout
from hvhk.base.formatting import as_number

DAYS_PER_YEAR = 365.0
PLAATSEN_PER_LOCATIE = 25
"""Typical size of a group childcare location, used to split `plaatsen` when `locaties` is not given."""
MAX_DAGEN = 36_500
"""Longest duration (100 years) and, in MAX_JAREN, longest run: more is a typing error, and durations
near the largest float overflow the model's clock."""
MAX_JAREN = 100
MAX_GEBOORTEN = 100_000  # more than all of Belgium's births in a year
MAX_PLAATSEN = 1_000_000
MAX_AANVRAGEN = 1_000_000
"""Gezinnen in one run (Antwerpen, the largest gemeente, has some 30 000 in eight years): each is an
object in memory."""
MAX_RANGSCHIKKING = 50_000_000
"""Gezinnen times locations in one run: the model ranks every location for every gezin, in 16 bytes."""

Beleid = Literal["fifo", "kwetsbaar_eerst", "werkend_eerst", "broer_zus", "reservering"]
"""How a free plaats is allotted among the gezinnen that accept its location:
fifo             in order of registration;
kwetsbaar_eerst  kwetsbare gezinnen first, then in order of registration;
werkend_eerst    gezinnen whose parents work or study first (the priority of the decree), then in order;
broer_zus        a gezin first at the location where an older sibling already goes, then in order;
reservering      in order of registration, but aandeel_gereserveerd of each location's places is kept
                 for kwetsbare gezinnen."""

Verblijf = Literal["school", "exponentieel"]
"""How long a child keeps its plaats: until school entry (realistic), or an exponential time with mean
verblijf_dagen (schoolleeftijd_dagen - startleeftijd_dagen) and no school entry at all: the textbook
M/M/c queue, to validate the model against."""


@dataclass(frozen=True)
class Scenario:
    """Input of one simulation: durations in days, shares and probabilities as numbers from 0 to 1.

    locaties        None: `plaatsen` split over locations of about PLAATSEN_PER_LOCATIE places; a
                    number: `plaatsen` split evenly over that many locations; a list: the places of
                    each location, adding up to `plaatsen`.
    loket_*         The loket is open loket_uren_per_dag hours (from 9:00) on the first
                    loket_dagen_per_week days of the week; intake_minuten is working time at the loket.
    voorinschrijving_dagen  Mean (exponential) time from registration to the desired start.
    aandeel_kwetsbaar, aandeel_werkend  Shares of kwetsbare gezinnen and of gezinnen whose parents
                    work or study: grounds for priority.
    aandeel_broer_zus       Share with an older sibling in a location, which they name first.
    aandeel_geen_voorkeur   Share of the other gezinnen that accept any location in the gemeente; the
                    rest name 1 to voorkeuren_max locations, bigger locations more often.
    toewijzing_vooraf_dagen A plaats can be allotted this long before the desired start.
    kans_weigeren   Probability that a gezin declines an offered plaats; it then no longer considers
                    that location but keeps waiting for its others.
    geduld_dagen    A gezin without a plaats gives up this long after its desired start (math.inf,
                    .inf in YAML: it waits as long as the child needs care; 0: it leaves unless a
                    plaats is free on its desired start).
    verblijf        See Verblijf; kans_vroeger_weg is the probability that a child leaves before the
                    end of its stay, at a uniformly drawn moment of it.
    beleid, aandeel_gereserveerd  See Beleid.
    """

    naam: str = "basis"
    gemeente: str = "44086"
    geboorten_per_jaar: float = 230.0
    aandeel_opvangvraag: float = 0.7
    aandeel_kwetsbaar: float = 0.2
    aandeel_werkend: float = 0.8
    aandeel_broer_zus: float = 0.2
    plaatsen: int = 320
    locaties: int | tuple[int, ...] | None = None
    loket_medewerkers: int = 1
    intake_minuten: float = 45.0
    loket_uren_per_dag: float = 4.0
    loket_dagen_per_week: int = 5
    voorinschrijving_dagen: float = 120.0
    aandeel_geen_voorkeur: float = 0.3
    voorkeuren_max: int = 3
    startleeftijd_dagen: float = 150.0
    schoolleeftijd_dagen: float = 1004.0
    schoolleeftijd_spreiding_dagen: float = 60.0
    verblijf: Verblijf = "school"
    kans_vroeger_weg: float = 0.1
    toewijzing_vooraf_dagen: float = 30.0
    kans_weigeren: float = 0.1
    geduld_dagen: float = 180.0
    beleid: Beleid = "fifo"
    aandeel_gereserveerd: float = 0.2
    jaren: int = 5
    opwarmjaren: int = 3

    def __post_init__(self) -> None:
        self._check_text("naam")
        if isinstance(self.gemeente, str) and not self.gemeente.strip():
            self._fail("gemeente", "mag niet leeg zijn; geef de NIS-code van 5 cijfers")
        if not (isinstance(self.gemeente, str) and len(self.gemeente) == 5 and self.gemeente.isdigit()):
            self._fail("gemeente", "moet een NIS-code van 5 cijfers zijn")
        self._check_number("geboorten_per_jaar", minimum=0.0, strict=True, maximum=MAX_GEBOORTEN)
        for name in ("aandeel_opvangvraag", "aandeel_kwetsbaar", "aandeel_werkend", "aandeel_broer_zus",
                     "aandeel_geen_voorkeur", "kans_vroeger_weg", "kans_weigeren", "aandeel_gereserveerd"):
            self._check_share(name)
        if self.kans_weigeren == 1:
            self._fail("kans_weigeren", "moet kleiner dan 100 % zijn, anders krijgt niemand een plaats")
        self._check_number("plaatsen", minimum=0, whole=True, maximum=MAX_PLAATSEN)
        self._check_locaties()
        self._check_number("loket_medewerkers", minimum=1, whole=True)
        self._check_number("intake_minuten", minimum=0.0, strict=True, maximum=MAX_DAGEN * 24 * 60)
        self._check_number("loket_uren_per_dag", minimum=0.0, strict=True)
        if self.loket_uren_per_dag > 24:
            self._fail("loket_uren_per_dag", "mag niet meer dan 24 uur per dag zijn")
        self._check_number("loket_dagen_per_week", minimum=1, whole=True)
        if self.loket_dagen_per_week > 7:
            self._fail("loket_dagen_per_week", "mag niet meer dan 7 dagen per week zijn")
        self._check_number("voorkeuren_max", minimum=1, whole=True, maximum=MAX_PLAATSEN)
        for name in ("voorinschrijving_dagen", "startleeftijd_dagen", "schoolleeftijd_spreiding_dagen",
                     "toewijzing_vooraf_dagen"):
            self._check_number(name, minimum=0.0, maximum=MAX_DAGEN)
        self._check_number("geduld_dagen", minimum=0.0, finite=False)
        self._check_number("schoolleeftijd_dagen", minimum=0.0, strict=True, maximum=MAX_DAGEN)
        earliest = self.startleeftijd_dagen + self.schoolleeftijd_spreiding_dagen
        if self.schoolleeftijd_dagen <= earliest:
            self._fail("schoolleeftijd_dagen", f"moet groter zijn dan startleeftijd_dagen + "
                       f"schoolleeftijd_spreiding_dagen ({earliest:g}), anders blijft er geen opvangtijd over")
        self._check_choice("verblijf", Verblijf)
        self._check_choice("beleid", Beleid)
        self._check_number("jaren", minimum=1, whole=True, maximum=MAX_JAREN)
        self._check_number("opwarmjaren", minimum=0, whole=True, maximum=MAX_JAREN)
        self._check_size()

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
                suggestion = f"bedoelt u '{hint[0]}'?" if hint else f"toegestane velden: {', '.join(known)}"
                raise GebruikersFout(f"Scenario '{naam}': onbekend veld '{key}' ({suggestion})")
        return cls(**data)

    @property
    def capaciteiten(self) -> tuple[int, ...]:
        """The places of each location: as given, or `plaatsen` split as evenly as possible."""
        if isinstance(self.locaties, tuple):
            return self.locaties
        count = self.locaties or max(1, round(self.plaatsen / PLAATSEN_PER_LOCATIE))
        size, rest = divmod(self.plaatsen, count)
        return tuple(size + (number < rest) for number in range(count))

    @property
    def aanvragen_per_dag(self) -> float:
        """Arrival rate of childcare requests: every requesting gezin registers once per child."""
        return self.geboorten_per_jaar * self.aandeel_opvangvraag / DAYS_PER_YEAR

    @property
    def intake_dagen(self) -> float:
        """Mean intake in days of working time; the model stretches it over the opening hours."""
        return self.intake_minuten / (24 * 60)

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
            kind = "kans" if field.startswith("kans_") else "aandeel"
            self._fail(field, f"mag niet boven 100 % liggen; een {kind} is een getal van 0 tot 1")

    def _check_choice(self, field: str, choices: object) -> None:
        if getattr(self, field) not in get_args(choices):
            self._fail(field, f"moet een van {', '.join(get_args(choices))} zijn")

    def _check_locaties(self) -> None:
        """A count, or the places per location (a YAML or JSON list becomes a tuple)."""
        if isinstance(self.locaties, list):
            object.__setattr__(self, "locaties", tuple(self.locaties))
        if self.locaties is None:
            return
        if not isinstance(self.locaties, tuple):
            self._check_number("locaties", minimum=1, whole=True)
            if self.locaties > max(self.plaatsen, 1):
                self._fail("locaties", f"mag niet groter zijn dan het aantal plaatsen ({self.plaatsen}): "
                           "elke locatie heeft minstens één plaats")
            return
        if not self.locaties:
            self._fail("locaties", "moet minstens één locatie bevatten")
        for size in self.locaties:
            if isinstance(size, bool) or not isinstance(size, Integral) or size < 0:
                self._fail("locaties", f"elke locatie heeft een geheel aantal plaatsen van 0 of meer, niet {size!r}")
        if sum(self.locaties) != self.plaatsen:
            self._fail("locaties", f"de plaatsen per locatie tellen op tot {sum(self.locaties)}, maar "
                       f"plaatsen is {self.plaatsen}; maak ze gelijk")

    def _check_size(self) -> None:
        """A run the model can hold in memory: each field in range can still multiply to too much."""
        aanvragen = self.aanvragen_per_dag * self.eind_dagen
        if aanvragen > MAX_AANVRAGEN:
            raise GebruikersFout(
                f"Scenario '{self.naam}', velden geboorten_per_jaar, aandeel_opvangvraag, opwarmjaren en jaren: samen"
                f" zo'n {as_number(aanvragen, 0)} aanvragen in één simulatie, meer dan {as_number(MAX_AANVRAGEN, 0)};"
                " simuleer minder jaren"
            )
        if aanvragen * len(self.capaciteiten) > MAX_RANGSCHIKKING:
            raise GebruikersFout(
                f"Scenario '{self.naam}', velden plaatsen en locaties: {as_number(len(self.capaciteiten), 0)} locaties"
                f" voor zo'n {as_number(aanvragen, 0)} aanvragen is te veel om te simuleren; geef minder, grotere locaties"
            )

    def _check_number(self, field: str, *, minimum: float, strict: bool = False, whole: bool = False,
                      finite: bool = True, maximum: float = math.inf) -> None:
        value = getattr(self, field)
        if whole and (isinstance(value, bool) or not isinstance(value, Integral)):
            self._fail(field, "moet een geheel getal zijn")
        if isinstance(value, bool) or not isinstance(value, Real):
            self._fail(field, "moet een getal zijn")
        if math.isnan(value) or (finite and math.isinf(value)):
            self._fail(field, "moet een eindig getal zijn" if finite else "moet een getal zijn (.inf voor onbeperkt)")
        if strict and value <= minimum:
            self._fail(field, f"moet groter dan {minimum:g} zijn")
        if value < minimum:
            self._fail(field, f"moet {minimum:g} of meer zijn")
        if value > maximum:
            self._fail(field, f"mag niet meer dan {as_number(maximum, 0)} zijn")
