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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
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

Beleid = Literal["huidige_regels", "fifo", "kwetsbaar_eerst", "werkend_eerst", "broer_zus", "reservering"]
"""How a free plaats is allotted among the gezinnen that accept its location (as `Regel`s, see REGELS):
huidige_regels   the Flemish rules since 1 April 2024, per soort of location (HUIDIGE_REGELS);
fifo             in order of registration;
kwetsbaar_eerst  kwetsbare gezinnen first, then in order of registration;
werkend_eerst    gezinnen whose parents work or study first (the priority of the decree), then in order;
broer_zus        a gezin first at the location where an older sibling already goes, then in order;
reservering      in order of registration, but aandeel_gereserveerd of each location's places is kept
                 for kwetsbare gezinnen.
The single rules apply to every soort of location alike."""

Soort = Literal["inkomenstarief", "vaste_prijs", "subsidie_kwetsbaar"]
"""The kinds of childcare location, which allot their places by different rules:
inkomenstarief      a price by the gezin's income; the decree's priority groups (since 1 April 2024);
vaste_prijs         a price set by the organiser, who keeps its own rules;
subsidie_kwetsbaar  places with extra subsidies that give priority to gezinnen in a vulnerable situation."""
SOORTEN: tuple[Soort, ...] = get_args(Soort)

Groep = Literal["kwetsbaar", "werkend", "broer_zus", "pleegkind", "nederlandstalig"]
"""The grounds for priority: a kwetsbare gezin; parents who on average work or follow a day training
towards work for at least 4/5; a brother or sister at the same location; a foster child; in Brussels,
a gezin that meets the Dutch-language priority of the Flemish childcare there."""
GROEPEN: tuple[Groep, ...] = get_args(Groep)


@dataclass(frozen=True)
class Regel:
    """How a location of one soort orders the gezinnen that want a free plaats.

    voorrang      levels of priority groups, the first level first; a gezin ranks at the first level
                  one of whose groups it belongs to, behind all levels if none; within a level, and
                  after them, in order of registration.
    afwijking     share of the location's places that may go to kwetsbare gezinnen outside that order
                  (on advice of an organisation that works with gezinnen): used whenever a kwetsbare
                  gezin waits behind others and fewer places than that share are held this way.
    gereserveerd  share of the location's places that only kwetsbare gezinnen may take.
    taalvoorrang  share of the location's places that may go first to nederlandstalige gezinnen: in
                  Brussels the Dutch-language priority applies to at most 55 % of the children.
    """

    voorrang: tuple[tuple[Groep, ...], ...] = ()
    afwijking: float = 0.0
    gereserveerd: float = 0.0
    taalvoorrang: float = 0.0

    def level(self, groepen: Collection[str]) -> int:
        """The rank of a gezin in the groups `groepen`: the first level that names one of them."""
        return next((index for index, level in enumerate(self.voorrang) if not groepen.isdisjoint(level)),
                    len(self.voorrang))


REGEL_VELDEN = ("voorrang", "afwijking", "gereserveerd", "taalvoorrang")
"""The fields of Regel that a scenario's `regels` may change; all but voorrang are shares."""

HUIDIGE_REGELS: dict[Soort, Regel] = {
    "inkomenstarief": Regel(voorrang=(("werkend", "broer_zus", "pleegkind"),), afwijking=0.10),
    "vaste_prijs": Regel(),
    "subsidie_kwetsbaar": Regel(voorrang=(("kwetsbaar",), ("werkend", "broer_zus", "pleegkind"))),
}
"""The rules as gemeenten publish them: a location with inkomenstarief gives absolute priority to
working or studying parents, brothers and sisters and foster children, and may deviate for up to
10 % of its children; locations with a vaste prijs keep their own rules (here: in order of
registration); subsidised places for kwetsbare gezinnen give those gezinnen priority first."""
TAALVOORRANG_BRUSSEL = 0.55
"""In Brussels every soort adds the Dutch-language priority for up to 55 % of the places."""


def in_brussel(nis: str) -> bool:
    """Whether a gemeente is one of the 19 of the Brussels-Capital Region, whose NIS codes start with 21."""
    return nis.startswith("21")

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
    aandeel_plaatsen  The share of the places per soort of location (together 100 %); None: all
                    inkomenstarief. With a list of locaties, locatie_soorten gives each one's soort.
    vaste_prijs_kwetsbaar, vaste_prijs_anderen  Shares of kwetsbare and of other gezinnen that accept a
                    location with a vaste prijs (the others cannot or will not pay it); every gezin
                    accepts the other soorten.
    aandeel_pleegkind  Share of requests for a foster child, a priority group of the decree.
    aandeel_nederlandstalig  Share of requests that meet the Dutch-language priority (only the rules of
                    Brussels use it).
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
    regels          Changes to the beleid's rule of a soort, e.g. {"inkomenstarief": {"afwijking": 0.05}}:
                    the fields of `Regel` given here replace that soort's; `regel(soort)` is the result.
    """

    naam: str = "basis"
    gemeente: str = "44086"
    geboorten_per_jaar: float = 230.0
    aandeel_opvangvraag: float = 0.7
    aandeel_kwetsbaar: float = 0.2
    aandeel_werkend: float = 0.8
    aandeel_broer_zus: float = 0.2
    aandeel_pleegkind: float = 0.01
    aandeel_nederlandstalig: float = 0.0
    plaatsen: int = 320
    locaties: int | tuple[int, ...] | None = None
    aandeel_plaatsen: Mapping[Soort, float] | None = None
    locatie_soorten: tuple[Soort, ...] | None = None
    vaste_prijs_kwetsbaar: float = 0.1
    vaste_prijs_anderen: float = 0.7
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
    beleid: Beleid = "huidige_regels"
    aandeel_gereserveerd: float = 0.2
    regels: Mapping[Soort, Mapping[str, object]] | None = None
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
                     "aandeel_pleegkind", "aandeel_nederlandstalig", "vaste_prijs_kwetsbaar", "vaste_prijs_anderen",
                     "aandeel_geen_voorkeur", "kans_vroeger_weg", "kans_weigeren", "aandeel_gereserveerd"):
            self._check_share(name)
        if self.kans_weigeren == 1:
            self._fail("kans_weigeren", "moet kleiner dan 100 % zijn, anders krijgt niemand een plaats")
        self._check_number("plaatsen", minimum=0, whole=True, maximum=MAX_PLAATSEN)
        self._check_locaties()
        self._check_soorten()
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
        self._check_regels()
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

    @cached_property
    def capaciteiten(self) -> tuple[int, ...]:
        """The places of each location: as given, or `plaatsen` split per soort (`aandeel_plaatsen`),
        and each soort's places as evenly as possible over its locations. Kept once made, as
        `soorten`: a run asks for both several times, nearly a tenth of a small gemeente's run."""
        if isinstance(self.locaties, tuple):
            return self.locaties
        return tuple(size for _, sizes in self._locaties_per_soort() for size in sizes)

    @cached_property
    def soorten(self) -> tuple[Soort, ...]:
        """The soort of each location, in the order of `capaciteiten`."""
        if isinstance(self.locaties, tuple):
            return self.locatie_soorten or ("inkomenstarief",) * len(self.locaties)
        return tuple(soort for soort, sizes in self._locaties_per_soort() for _ in sizes)

    @property
    def plaatsen_per_soort(self) -> dict[Soort, int]:
        """The places of each soort, all soorten listed."""
        return dict(zip(SOORTEN, (sum(c for c, s in zip(self.capaciteiten, self.soorten) if s == soort)
                                  for soort in SOORTEN)))

    def regel(self, soort: Soort) -> Regel:
        """The rule by which a location of `soort` allots its places: the beleid's, changed by `regels`."""
        single = {"fifo": Regel(), "kwetsbaar_eerst": Regel(voorrang=(("kwetsbaar",),)),
                  "werkend_eerst": Regel(voorrang=(("werkend",),)), "broer_zus": Regel(voorrang=(("broer_zus",),)),
                  "reservering": Regel(gereserveerd=self.aandeel_gereserveerd)}
        base = HUIDIGE_REGELS[soort] if self.beleid == "huidige_regels" else single[self.beleid]
        if self.beleid == "huidige_regels" and in_brussel(self.gemeente):
            base = replace(base, taalvoorrang=TAALVOORRANG_BRUSSEL)
        return replace(base, **dict(self.regels or {}).get(soort, {}))

    def _locaties_per_soort(self) -> list[tuple[Soort, list[int]]]:
        places = self._places_per_soort()
        with_places = [soort for soort, count in zip(SOORTEN, places) if count] or ["inkomenstarief"]
        if isinstance(self.locaties, int):
            counts = dict(zip(with_places, _largest_remainder(self.locaties - len(with_places),
                                                              [places[SOORTEN.index(s)] for s in with_places])))
            counts = {soort: count + 1 for soort, count in counts.items()}  # every soort with places has a location
        else:
            counts = {soort: max(1, round(places[SOORTEN.index(soort)] / PLAATSEN_PER_LOCATIE)) for soort in with_places}
        result = []
        for soort, count in counts.items():
            size, rest = divmod(places[SOORTEN.index(soort)], count)
            result.append((soort, [size + (number < rest) for number in range(count)]))
        return result

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
                             f"(gekregen: {getattr(self, field.split('.')[0])!r})")

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

    def _check_soorten(self) -> None:
        """aandeel_plaatsen (a mapping soort -> share, together 100 %) or, with a list of locaties, locatie_soorten."""
        if self.aandeel_plaatsen is not None:
            if isinstance(self.locaties, tuple):
                self._fail("aandeel_plaatsen", "geef bij een lijst van locaties de soort van elke locatie in locatie_soorten")
            shares = self._mapping("aandeel_plaatsen", self.aandeel_plaatsen)
            for soort, share in shares.items():
                if isinstance(share, bool) or not isinstance(share, Real) or not 0 <= share <= 1:
                    self._fail("aandeel_plaatsen", f"het aandeel van {soort} moet een getal van 0 tot 1 zijn, niet {share!r}")
            if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-6):
                self._fail("aandeel_plaatsen", f"de aandelen tellen op tot {as_number(100 * sum(shares.values()), 1)} %;"
                           " samen moeten ze 100 % zijn")
            object.__setattr__(self, "aandeel_plaatsen", {soort: shares[soort] for soort in SOORTEN if soort in shares})
            if isinstance(self.locaties, int) and self.locaties < sum(1 for c in self._places_per_soort() if c):
                self._fail("locaties", "elke soort met plaatsen heeft minstens één locatie nodig")
        if self.locatie_soorten is not None:
            soorten = tuple(self.locatie_soorten) if isinstance(self.locatie_soorten, list | tuple) else None
            if soorten is None or not isinstance(self.locaties, tuple) or len(soorten) != len(self.locaties):
                self._fail("locatie_soorten", "geef een soort per locatie, in de volgorde van de lijst locaties")
            for soort in soorten:
                if soort not in SOORTEN:
                    self._fail("locatie_soorten", f"onbekende soort {soort!r} (soorten: {', '.join(SOORTEN)})")
            object.__setattr__(self, "locatie_soorten", soorten)

    def _places_per_soort(self) -> list[int]:
        shares = dict(self.aandeel_plaatsen or {"inkomenstarief": 1.0})
        return _largest_remainder(self.plaatsen, [shares.get(soort, 0.0) for soort in SOORTEN])

    def _check_regels(self) -> None:
        """Changes to the rule per soort: known soorten and fields, known groups, shares that fit together."""
        if self.regels is None:
            return
        checked = {}
        for soort, changes in self._mapping("regels", self.regels).items():
            field = f"regels.{soort}"
            if isinstance(changes, Regel):
                changes = {name: getattr(changes, name) for name in REGEL_VELDEN}
            if not isinstance(changes, Mapping):
                self._fail(field, f"verwacht velden {', '.join(REGEL_VELDEN)}")
            known = REGEL_VELDEN
            for key in changes:
                if key not in known:
                    self._fail(field, f"onbekend veld '{key}' (velden: {', '.join(known)})")
            changes = dict(changes)
            if "voorrang" in changes:
                changes["voorrang"] = self._voorrang(f"{field}.voorrang", changes["voorrang"])
            for key in REGEL_VELDEN[1:]:
                if key in changes:
                    value = changes[key]
                    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value <= 1:
                        self._fail(field, f"{key} moet een aandeel van 0 tot 1 zijn, niet {value!r}")
            checked[soort] = changes
        object.__setattr__(self, "regels", checked)
        for soort in SOORTEN:
            regel = self.regel(soort)
            if regel.afwijking + regel.gereserveerd + regel.taalvoorrang > 1:
                self._fail(f"regels.{soort}", "afwijking, gereserveerd en taalvoorrang samen mogen niet boven 100 % liggen")

    def _voorrang(self, field: str, value: object) -> tuple[tuple[Groep, ...], ...]:
        """Levels of groups: each a group name, or a list of names that share a level."""
        if isinstance(value, str) or not isinstance(value, list | tuple):
            self._fail(field, f"verwacht een lijst van groepen, bv. [werkend, [broer_zus, pleegkind]], niet {value!r}")
        levels, seen = [], set()
        for level in value:
            groups = (level,) if isinstance(level, str) else tuple(level) if isinstance(level, list | tuple) else ()
            if not groups:
                self._fail(field, f"elk niveau is een groep of een lijst van groepen, niet {level!r}")
            for group in groups:
                if group not in GROEPEN:
                    self._fail(field, f"onbekende groep {group!r} (groepen: {', '.join(GROEPEN)})")
                if group in seen:
                    self._fail(field, f"de groep {group} staat er meer dan eens in")
                seen.add(group)
            levels.append(groups)
        return tuple(levels)

    def _mapping(self, field: str, value: object) -> dict:
        """A mapping keyed by soort (a YAML or JSON object), refusing unknown soorten."""
        if not isinstance(value, Mapping):
            self._fail(field, "verwacht per soort een waarde, bv. {inkomenstarief: ..., vaste_prijs: ...}")
        for soort in value:
            if soort not in SOORTEN:
                self._fail(field, f"onbekende soort {soort!r} (soorten: {', '.join(SOORTEN)})")
        return dict(value)

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


def scaled_locaties(locaties: tuple[int, ...], plaatsen: int) -> tuple[int, ...]:
    """The same locations with `plaatsen` places in all, each in proportion to its places now: what a
    scenario that changes only the number of places means for a gemeente's own list of locations."""
    return tuple(_largest_remainder(plaatsen, list(locaties)))


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """`total` split in whole parts in proportion to `weights`, the rest to the largest remainders."""
    if total <= 0 or not sum(weights):
        return [0] * len(weights)
    exact = [total * weight / sum(weights) for weight in weights]
    parts = [math.floor(value) for value in exact]
    for index in sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])[:total - sum(parts)]:
        parts[index] += 1
    return parts
