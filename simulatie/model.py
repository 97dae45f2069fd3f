"""SimPy model of one gemeente's lokaal loket kinderopvang, from registration to school entry.

A gezin registers at the loket and waits for a staff member (first come first served), who does
the intake during opening hours and gives a first answer. Places are allotted
ahead of the start date, so the gezin joins the waiting list toewijzing_vooraf_dagen before its
desired start, at every location it accepts (a location with a vaste prijs only if it can pay it).
Whenever a plaats is free, the rule of the location's soort (`Scenario.regel`) picks the gezin it
is offered to; the gezin accepts, or declines and drops that location. The child starts at the
later of allotment and desired start and keeps the plaats until school entry or an earlier leave.
A gezin without a plaats gives up geduld_dagen after its desired start, and at school entry at the
latest: the child no longer needs childcare, which also keeps the list finite.

All randomness is drawn up front, in registration order, from one numpy Generator: two runs with
the same seed see the same gezinnen whatever the beleid, the behaviour or the places (common random
numbers; only the ranking of locations changes with their number), so a difference between them is
the effect of the change, not of the dice.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from heapq import heappop, heappush, heapreplace
from operator import attrgetter, itemgetter

import numpy as np
import pandas as pd
import simpy
from simpy.events import NORMAL

from simulatie.maten import groep_maten, soort_maten
from simulatie.scenario import GROEPEN, SOORTEN, Regel, Scenario


@dataclass(slots=True, eq=False)
class Gezin:
    """One request for childcare: what was drawn at registration and what happened to it (days).

    A time is filled in as soon as it is known, which can be ahead of the clock: the end of an
    intake, a start date and departure agreed at allotment, or the deadline at which a gezin without
    a plaats gives up. The measures therefore clip at the end of the run.
    """

    number: int
    registered: float
    kwetsbaar: bool
    werkend: bool
    pleegkind: bool
    nederlandstalig: bool
    groepen: tuple[frozenset[str], frozenset[str]]  # its priority groups elsewhere, and at sibling_at (with broer_zus)
    sibling_at: int  # location of an older sibling, -1 if none
    vaste_prijs: bool  # accepts a location with a vaste prijs
    anywhere: bool  # accepts any location: waits on the gemeente-wide list until it declines one
    options: tuple[int, ...]  # the locations it accepts, preferred first
    declines_first: int  # offers it declines before it accepts one
    intake_time: float  # working time of the loket
    desired_start: float
    school_entry: float  # inf when stays are exponential
    stay: float  # inf when the child stays until school entry
    fraction: float  # part of the stay used: below 1 for a child that leaves early
    intake_start: float  # when a staff member of the loket began its intake
    answered: float  # when the loket gave its first answer
    joined: float | None = None
    deadline: float | None = None
    offered: float | None = None
    declined: tuple[int, ...] = ()
    location: int | None = None
    voorsprong: str = ""  # the share of Regel by which it went ahead of the order: afwijking or taalvoorrang
    allotted: float | None = None
    placed: float | None = None
    departure: float | None = None


DRAWN = tuple(field.name for field in fields(Gezin) if field.default is MISSING)
"""What is known of a gezin at registration: the fields of a Gezin without a default."""


def draw_gezinnen(scenario: Scenario, rng: np.random.Generator, hours: OpeningHours) -> dict[str, np.ndarray | list]:
    """All gezinnen of one run as columns, one per name of DRAWN: Poisson registrations, then per
    gezin one row of uniforms that the scenario turns into its attributes, so that a gezin's dice do
    not depend on shares or means; and the loket's answers (`answer`), which follow from them.

    The school entry varies uniformly around the school age, because children enter school on a
    few fixed dates a year and not on one exact age. Locations are ranked by exponential clocks
    with their places as rates, which is a draw without replacement weighted by size: bigger
    locations come first more often. The clocks are drawn last, as only they depend on the number
    of locations, and location by location, so that a location added leaves the others' clocks.
    """
    count = rng.poisson(scenario.aanvragen_per_dag * scenario.eind_dagen)
    registered = np.sort(rng.uniform(0.0, scenario.eind_dagen, count))
    kwetsbaar, werkend, broer_zus, any_location, preferences, decline, intake, lead, length, early, moment = (
        rng.random((count, 11)).T)
    pleegkind, pays, taal = rng.random((count, 3)).T
    capacity = np.array(scenario.capaciteiten)
    clocks = rng.standard_exponential((capacity.size, count))  # a row per location, a column per gezin
    with np.errstate(divide="ignore"):
        np.divide(clocks, capacity[:, None], out=clocks)
    clocks[capacity == 0] = np.finfo(float).max  # a location without places never rings, so comes last

    kwetsbaar = kwetsbaar < scenario.aandeel_kwetsbaar
    vaste_prijs = pays < np.where(kwetsbaar, scenario.vaste_prijs_kwetsbaar, scenario.vaste_prijs_anderen)
    duur = np.array(scenario.soorten) == "vaste_prijs"
    clocks[np.ix_(duur, ~vaste_prijs)] = np.inf  # refused: after all it accepts
    accepted = capacity.size - np.where(vaste_prijs, 0, duur.sum())
    sibling = (broer_zus < scenario.aandeel_broer_zus) & (accepted > 0)
    anywhere = (any_location < scenario.aandeel_geen_voorkeur) & ~sibling  # siblings want the same location
    everywhere = np.ascontiguousarray(np.argsort(clocks[:, anywhere], axis=0).T)
    named = lowest(clocks[:, ~anywhere], scenario.voorkeuren_max)
    chosen = np.minimum(1 + preferences * scenario.voorkeuren_max, accepted).astype(int)
    chosen = np.where(anywhere, accepted, chosen).tolist()
    first = np.empty(count, dtype=int)
    first[anywhere], first[~anywhere] = everywhere[:, 0], named[:, 0]
    ranked = {True: iter(everywhere.tolist()), False: iter(named.tolist())}
    options = [tuple(next(ranked[whole])[:size]) for whole, size in zip(anywhere.tolist(), chosen)]
    desired_start = registered + _exponential(scenario.voorinschrijving_dagen, lead)
    if scenario.verblijf == "school":
        spread = scenario.schoolleeftijd_spreiding_dagen
        school_entry = desired_start + scenario.verblijf_dagen + spread * (2 * length - 1)
        stay = np.full(count, np.inf)
    else:
        school_entry, stay = np.full(count, np.inf), _exponential(scenario.verblijf_dagen, length)
    werkend, pleegkind = werkend < scenario.aandeel_werkend, pleegkind < scenario.aandeel_pleegkind
    taal = taal < scenario.aandeel_nederlandstalig
    intake_time = _exponential(scenario.intake_dagen, intake)
    columns = (np.arange(count), registered, kwetsbaar, werkend, pleegkind, taal,
               _groepen(kwetsbaar, werkend, pleegkind, taal), np.where(sibling, first, -1), vaste_prijs,
               anywhere, options, _geometric(scenario.kans_weigeren, decline).astype(int), intake_time,
               desired_start, school_entry, stay, np.where(early < scenario.kans_vroeger_weg, moment, 1.0),
               *answer(registered, intake_time, scenario.loket_medewerkers, hours))
    return dict(zip(DRAWN, columns, strict=True))


def lowest(clocks: np.ndarray, count: int) -> np.ndarray:
    """Per column (a gezin) the rows (locations) of its `count` lowest clocks, lowest first (then
    any), as one row per gezin; overwrites `clocks`. A gezin names a few of many locations, and a few
    passes of argmin cost less than a sort, or than numpy's argpartition, which works row by row."""
    if 4 * count >= clocks.shape[0]:
        return np.argsort(clocks, axis=0)[:count].T
    columns, rows = np.arange(clocks.shape[1]), []
    for _ in range(count):
        rows.append(clocks.argmin(axis=0))
        clocks[rows[-1], columns] = np.inf
    return np.stack(rows, axis=1)


GROEPEN_SETS = {code: frozenset(name for bit, name in enumerate(GROEPEN) if code >> bit & 1)
                for code in range(2 ** len(GROEPEN))}
"""Every combination of priority groups, once: a gezin's groups are one of these shared frozensets."""
GROEPEN_PAIRS = {code: (groepen, GROEPEN_SETS[code | 1 << GROEPEN.index("broer_zus")])
                 for code, groepen in GROEPEN_SETS.items()}
"""Per combination its groups elsewhere and at a sibling's location: a gezin's `groepen`, shared too."""


@lru_cache
def ranks(regel: Regel) -> dict[frozenset[str], int]:
    """The rank under `regel` of every combination of groups (GROEPEN_SETS), made once per rule: the
    runs of a scenario, and most scenarios, share their rules. Read only: every Allocation shares it."""
    return {groepen: regel.level(groepen) for groepen in GROEPEN_SETS.values()}


def _groepen(*members: np.ndarray) -> list[tuple[frozenset, frozenset]]:
    """Each gezin's priority groups elsewhere and at its sibling's location, as shared frozensets;
    `members` says per group of GROEPEN but broer_zus who belongs to it."""
    bits = [bit for bit, groep in enumerate(GROEPEN) if groep != "broer_zus"]
    codes = sum(member.astype(int) << bit for member, bit in zip(members, bits))
    return list(map(GROEPEN_PAIRS.__getitem__, codes.tolist()))


def _exponential(mean: float, uniform: np.ndarray) -> np.ndarray:
    return -mean * np.log1p(-uniform)


def _geometric(p: float, uniform: np.ndarray) -> np.ndarray:
    """Failures before the first success when each try fails with probability p, by inversion."""
    return np.floor(np.log1p(-uniform) / math.log(p)) if p else np.zeros_like(uniform)


class OpeningHours:
    """When the loket works: from 9:00 (earlier for a day of more than 15 hours) for hours_per_day
    hours, on the first days_per_week days of each week; day 0 is a Monday."""

    def __init__(self, hours_per_day: float, days_per_week: int) -> None:
        self.day = hours_per_day / 24
        self.opens = min(9 / 24, 1 - self.day)
        self.days = days_per_week
        self.week = days_per_week * self.day

    def worked(self, time: float) -> float:
        """Opening time from day 0 until `time`."""
        weeks, rest = divmod(time, 7.0)
        day, hour = divmod(rest, 1.0)
        if day >= self.days:
            return (weeks + 1) * self.week
        return weeks * self.week + day * self.day + min(max(hour - self.opens, 0.0), self.day)

    def worked_many(self, times: np.ndarray) -> np.ndarray:
        """`worked` of every time at once."""
        weeks, rest = np.divmod(times, 7.0)
        day, hour = np.divmod(rest, 1.0)
        within = weeks * self.week + day * self.day + np.clip(hour - self.opens, 0.0, self.day)
        return np.where(day >= self.days, (weeks + 1) * self.week, within)

    def moments(self, worked: np.ndarray) -> np.ndarray:
        """The first moment at which `worked` of opening time has passed since day 0: the inverse of
        `worked_many`, which takes the moment of closing to the next opening."""
        weeks, rest = np.divmod(worked, self.week)
        day, part = np.divmod(rest, self.day)
        return weeks * 7 + day + self.opens + part


class Call:
    """A scheduled call of `handler(call)` for one gezin: all that SimPy's Environment.step reads of an
    event (its callbacks and _ok), without the checks and fields of a Timeout, and without a closure.
    Scheduled like a Timeout (`env.schedule(call, NORMAL, delay)`), so events keep their order."""

    __slots__ = ("_ok", "callbacks", "gezin")

    def __init__(self, handler: Callable[[Call], None], gezin: Gezin) -> None:
        self.callbacks = [handler]
        self._ok = True
        self.gezin = gezin


def answer(registered: np.ndarray, intake: np.ndarray, staff: int, hours: OpeningHours) -> tuple[np.ndarray, np.ndarray]:
    """The loket: each gezin, in order of registration, waits for the first free staff member, who
    works on its intake during opening hours only; returns when each intake starts and when each
    gezin has its answer.

    With the intake times drawn up front, first come first served over `staff` members needs no
    events: on the clock of opening time, an intake starts at registration or when the staff member
    who is free first finishes, whichever is later (the Kiefer-Wolfowitz recursion). A SimPy
    Resource gives the same answers (a test holds them together) at four events per gezin, which
    were two thirds of the run's events.
    """
    arrival = hours.worked_many(registered)
    free, starts = [0.0] * staff, []  # when each staff member is free, the first free on top
    for at, work in zip(arrival.tolist(), intake.tolist()):
        start = at if at > free[0] else free[0]  # not max(): see Allocation
        heapreplace(free, start + work)
        starts.append(start)
    begin = np.array(starts)
    intake_start = np.where(begin > arrival, hours.moments(begin), registered)
    # an intake shorter than the rounding of the clock could otherwise end before it began
    return intake_start, np.maximum(intake_start, hours.moments(begin + intake))


class Allocation:
    """The plaatsen of each location and the gezinnen waiting for one.

    A gezin that names its locations waits on the list of each; one that accepts any location waits
    on the gemeente-wide list of each soort it accepts, until it declines a location and names the
    others. Every list is two heaps, kwetsbare gezinnen and the others, ordered by the rank of the
    location's rule and then by registration, so that a reserved plaats, or one given ahead of the
    order (afwijking), can pass over the others; where the rule has a taalvoorrang, a third heap
    holds the nederlandstalige gezinnen again. An entry is left behind when the gezin is placed
    elsewhere or gives up, and dropped when it comes to the top: the deadline is known when a gezin
    joins, so skipping it then is the same as removing it at that date, without an event.

    The handlers run a few times per gezin, so they write the later or earlier of two times as
    `a if a > b else b`: Python 3.11's max and min of two floats cost ten times as much (7 % of a
    run, with `answer`).
    """

    def __init__(self, env: simpy.Environment, scenario: Scenario) -> None:
        self.env = env
        soorten = scenario.soorten
        per_soort = {soort: scenario.regel(soort) for soort in dict.fromkeys(soorten)}  # once per soort, not per location
        regels = [per_soort[soort] for soort in soorten]
        levels = {soort: ranks(regel) for soort, regel in per_soort.items()}
        self._level = [levels[soort] for soort in soorten]
        """Per location the rank of every combination of groups under its rule: a lookup on each push."""
        self.free = list(scenario.capaciteiten)
        self.open_to_all = [size - round(regel.gereserveerd * size) for size, regel in zip(self.free, regels)]
        """Places a gezin that is not kwetsbaar may still take: the unreserved ones not held by one."""
        self.ahead = {share: [math.floor(getattr(regel, share) * size + 1e-9) for size, regel in zip(self.free, regels)]
                      for share in ("taalvoorrang", "afwijking")}
        """Per share of Regel the places per location that may still go to its group ahead of the order."""
        self._taal = [regel.taalvoorrang > 0 for regel in regels]
        self.vacant = scenario.plaatsen
        self._named = [([], [], []) for _ in soorten]  # per location: the others, the kwetsbare, the nederlandstalige
        anywhere = {soort: ([], [], []) for soort in soorten}
        self._anywhere = [(soort, anywhere[soort], levels[soort], regel.taalvoorrang > 0)
                          for soort, regel in per_soort.items()]
        self._lists = [(kwetsbaar, anywhere[soort][True], others, anywhere[soort][False], taal, anywhere[soort][2])
                       for (others, kwetsbaar, taal), soort in zip(self._named, soorten)]
        """Per location the heaps of gezinnen that accept it: a reserved plaats may go to the first two
        only; the last two hold the nederlandstalige gezinnen again, for the taalvoorrang."""
        self._allot_before = scenario.toewijzing_vooraf_dagen
        self._patience = scenario.geduld_dagen
        self._end = scenario.eind_dagen

    def join_all(self, gezinnen: list[Gezin]) -> None:
        """Let every answered gezin join the lists toewijzing_vooraf_dagen before its desired start, or
        when answered if that is later, in time order (see `_join_until_event`)."""
        answered, desired_start = (np.fromiter(map(attrgetter(name), gezinnen), float, len(gezinnen))
                                   for name in ("answered", "desired_start"))
        moments = np.maximum(answered, desired_start - self._allot_before)
        order = np.argsort(moments, kind="stable")
        self._joining = zip(moments[order].tolist(), map(gezinnen.__getitem__, order.tolist()))
        moment, gezin = next(self._joining, (None, None))
        if gezin is not None:
            self.env.schedule(Call(self._join_until_event, gezin), NORMAL, moment)

    def _join_until_event(self, call: Call) -> None:
        """Join the gezin of `call`, and after it every gezin whose moment comes before the next
        scheduled event, each at its own moment; then schedule the next join as a Call.

        Between two events nothing else happens, so a gezin joined ahead of the clock at its own
        moment meets the same lists and places as at that moment, and its departure is scheduled at
        the same time. An event per join cost a third of a run.
        """
        self._join(call.gezin, self.env.now)
        for moment, gezin in self._joining:
            if self.env.peek() <= moment:  # a departure comes first, and may free a place for this gezin
                self.env.schedule(Call(self._join_until_event, gezin), NORMAL, moment - self.env.now)
                return
            self._join(gezin, moment)

    def _join(self, gezin: Gezin, now: float) -> None:
        gezin.joined = now
        patience_ends = gezin.desired_start + self._patience
        last = now if now > patience_ends else patience_ends
        gezin.deadline = gezin.school_entry if gezin.school_entry < last else last
        if self.vacant and now < gezin.school_entry:  # a child at school by the time its gezin got an answer
            free, open_to_all, kwetsbaar = self.free, self.open_to_all, gezin.kwetsbaar
            for location in gezin.options:  # a free plaats, and one it may take if it is not kwetsbaar
                if free[location] > 0 and (kwetsbaar or open_to_all[location] > 0) and self._offer(gezin, location, now):
                    return
        if gezin.deadline > now:
            self._wait(gezin)

    def _wait(self, gezin: Gezin) -> None:
        if gezin.anywhere and not gezin.declined:
            for soort, heaps, levels, taal in self._anywhere:
                if gezin.vaste_prijs or soort != "vaste_prijs":
                    entry = (levels[gezin.groepen[0]], gezin.number, gezin)
                    heappush(heaps[gezin.kwetsbaar], entry)
                    if taal and gezin.nederlandstalig:
                        heappush(heaps[2], entry)
            return
        for location in gezin.options:
            if location not in gezin.declined:
                entry = (self._level[location][gezin.groepen[location == gezin.sibling_at]], gezin.number, gezin)
                heappush(self._named[location][gezin.kwetsbaar], entry)
                if self._taal[location] and gezin.nederlandstalig:
                    heappush(self._named[location][2], entry)

    def _offer(self, gezin: Gezin, location: int, now: float, voorsprong: str = "") -> bool:
        """Offer a plaats at time `now`; a gezin that declines drops the location and gives up when none
        is left."""
        if gezin.offered is None:
            gezin.offered = now
        if len(gezin.declined) < gezin.declines_first:
            gezin.declined += (location,)
            if len(gezin.declined) == len(gezin.options):
                gezin.deadline = now
            return False
        self.free[location] -= 1
        self.open_to_all[location] -= not gezin.kwetsbaar
        if voorsprong:
            self.ahead[voorsprong][location] -= 1
        self.vacant -= 1
        gezin.location, gezin.allotted, gezin.voorsprong = location, now, voorsprong
        gezin.placed = now if now > gezin.desired_start else gezin.desired_start
        stay_ends = gezin.placed + gezin.stay
        end = gezin.school_entry if gezin.school_entry < stay_ends else stay_ends
        gezin.departure = end - (1 - gezin.fraction) * (end - gezin.placed)
        if gezin.departure < self._end:  # a release after the end of the run would never happen
            self.env.schedule(Call(self._release, gezin), NORMAL, gezin.departure - self.env.now)
        return True

    def _release(self, call: Call) -> None:
        gezin = call.gezin
        self.free[gezin.location] += 1
        self.open_to_all[gezin.location] += not gezin.kwetsbaar
        if gezin.voorsprong:
            self.ahead[gezin.voorsprong][gezin.location] += 1
        self.vacant += 1
        self._fill(gezin.location)

    @staticmethod
    def _heads(location: int, heaps: Iterable[list], start: int, now: float) -> list[tuple[tuple, int, list]]:
        """The first live entry of each heap, with the heap's index in the location's lists, dropping
        what is left behind on top: gezinnen placed elsewhere or past their deadline, that declined
        this location (a nederlandstalige gezin waits on two of its lists), and on a gemeente-wide
        list (odd index) gezinnen that declined a location and now wait by name."""
        heads = []
        for index, heap in enumerate(heaps, start):
            while heap and (heap[0][-1].allotted is not None or heap[0][-1].deadline <= now
                            or (heap[0][-1].declined and (index % 2 or location in heap[0][-1].declined))):
                heappop(heap)
            if heap:
                heads.append((heap[0], index, heap))
        return heads

    def _fill(self, location: int) -> None:
        """Offer the free plaatsen of a location in the order of its rule until none is left or nobody
        waits for them: the first of all lists; but first a nederlandstalige gezin where a plaats may
        still go ahead for the taalvoorrang, or a kwetsbare gezin where one may for the afwijking."""
        lists = self._lists[location]
        if not (lists[0] or lists[1] or lists[2] or lists[3]):  # nobody waits, as most often where places are ample
            return
        now = self.env.now
        while self.free[location]:
            open_to_all = self.open_to_all[location] > 0
            heads = self._heads(location, lists[:4] if open_to_all else lists[:2], 0, now)
            if not heads:
                return
            best, voorsprong = min(heads, key=itemgetter(0)), ""
            taal = (self._heads(location, lists[4:], 4, now)
                    if self.ahead["taalvoorrang"][location] > 0 and open_to_all and not best[0][-1].nederlandstalig else [])
            if taal:
                best, voorsprong = min(taal, key=itemgetter(0)), "taalvoorrang"
            if not voorsprong and self.ahead["afwijking"][location] > 0 and best[1] >= 2 and heads[0][1] < 2:
                best, voorsprong = min((head for head in heads if head[1] < 2), key=itemgetter(0)), "afwijking"
            _, _, heap = best
            gezin = heappop(heap)[-1]
            gemeente_wide = gezin.anywhere and not gezin.declined
            if not self._offer(gezin, location, now, voorsprong) and gemeente_wide and gezin.deadline > now:
                self._wait(gezin)  # it declined this location, so it now waits at the others by name


@dataclass(frozen=True)
class RunResult:
    """One replicatie: the gezinnen as simulated, as objects and as columns (see `_columns`), and
    the measures of the window after the warm-up (see `measures`). The series over time and per
    location are made when asked: a batch of replicaties keeps only the measures."""

    scenario: Scenario
    gezinnen: list[Gezin]
    table: dict[str, np.ndarray]
    measures: dict[str, float]

    @property
    def wachtlijst(self) -> pd.DataFrame:
        """Per week of the window the gezinnen past their desired start without a plaats (columns dag,
        wachtlijst)."""
        return waiting_list(self.scenario, self.table)

    @property
    def bezetting_per_locatie(self) -> pd.Series:
        """The time-average share of each location's places occupied, indexed by locatie from 1."""
        return occupancy(self.scenario, self.table)


def run(scenario: Scenario, seed: int | np.random.SeedSequence) -> RunResult:
    """Simulate warm-up plus `jaren` years of one gemeente; the same seed gives the same result.

    The garbage collector pauses during the run: the run builds many objects that all live until
    its end, and tracing them again and again took a third of its time. They are freed on return
    without it too: a SimPy Environment refers to itself (its bound methods are attributes), so
    only the collector frees it, with all that its queue still holds, the next join after the end
    and through it the Allocation and its lists; emptying the queue leaves it nothing to hold.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        hours = OpeningHours(scenario.loket_uren_per_dag, scenario.loket_dagen_per_week)
        drawn = draw_gezinnen(scenario, np.random.default_rng(seed), hours)
        gezinnen = list(map(Gezin, *(column.tolist() if isinstance(column, np.ndarray) else column
                                     for column in drawn.values())))
        env = simpy.Environment()
        Allocation(env, scenario).join_all(gezinnen)
        env.run(until=scenario.eind_dagen)
        env._queue.clear()  # see above: SimPy has no public call to drop what is still scheduled
        table = _columns(drawn, gezinnen)
        return RunResult(scenario, gezinnen, table, measures(scenario, table, hours))
    finally:
        if collecting:
            gc.enable()


OUTCOMES = ("deadline", "offered", "location", "allotted", "placed", "departure")


def _columns(drawn: dict[str, np.ndarray | list], gezinnen: list[Gezin]) -> dict[str, np.ndarray]:
    """The gezinnen as columns: what was drawn, and what happened as one float array per attribute of
    OUTCOMES, NaN where a time is not known."""
    return dict(drawn, **{name: np.array(list(map(attrgetter(name), gezinnen)), dtype=float) for name in OUTCOMES},
                refused=np.array([len(gezin.declined) for gezin in gezinnen], dtype=float),
                first_choice=np.array([options[0] if options else -1 for options in drawn["options"]], dtype=int))


def measures(scenario: Scenario, g: dict[str, np.ndarray], hours: OpeningHours) -> dict[str, float]:
    """The measures of one run over the window after the warm-up, NaN where undefined; each key has its
    label, kind and range in `simulatie.maten.MATEN`, in the same order (a test holds them together).

    Loket: aanvragen_per_jaar and the antwoordtijd (registration to first answer) count the gezinnen
    that registered in the window; loket_bezetting is the staff's working share of the opening time.
    Placement measures count the cohort whose desired start falls in the window (the vraag).
    "Tijdig" means placed by the desired start itself; kloof_tijdig_kwetsbaar is the share of the
    other gezinnen placed on time minus that of the kwetsbare (positive: kwetsbare gezinnen fare
    worse). Wachttijd (desired start to placement) and tijd_tot_aanbod (registration to the first
    offer) describe the gezinnen that got a plaats or an offer before the end of the run. Demand:
    vraag_plaatsen is the places the cohort would fill if each child started on its desired date,
    opgegeven_per_jaar the gezinnen that gave up in the window without a plaats (unmet demand),
    aanbiedingen_geweigerd_per_jaar the offers the cohort declined. Time averages (bezetting,
    wachtlijst_gemiddeld) integrate exactly over the window; the wachtlijst holds gezinnen past
    their desired start without a plaats who have not given up.
    """
    start, end = scenario.opwarm_dagen, scenario.eind_dagen
    span, years = end - start, scenario.jaren
    kwetsbaar = g["kwetsbaar"].astype(bool)

    new = (g["registered"] >= start) & (g["registered"] < end)
    answer_times = (g["answered"] - g["registered"])[new & (g["answered"] < end)]
    # working time inside the window, also of the intakes that straddle its edges (NaN: not started)
    began, ended = np.maximum(g["intake_start"], start), np.fmin(g["answered"], end)
    busy = (hours.worked_many(ended[began < ended]) - hours.worked_many(began[began < ended])).sum()
    cohort = (g["desired_start"] >= start) & (g["desired_start"] < end)
    on_time = g["placed"] <= g["desired_start"]
    waits = (g["placed"] - g["desired_start"])[cohort & ~np.isnan(g["placed"])]
    to_offer = (g["offered"] - g["registered"])[cohort & ~np.isnan(g["offered"])]
    gave_up = np.isnan(g["allotted"]) & (g["deadline"] >= start) & (g["deadline"] < end)
    intended_stay = g["fraction"] * np.minimum(g["stay"], g["school_entry"] - g["desired_start"])
    tijdig_kwetsbaar, tijdig_anderen = _mean(on_time[cohort & kwetsbaar]), _mean(on_time[cohort & ~kwetsbaar])

    values = {
        "aanvragen_per_jaar": new.sum() / years,
        "antwoordtijd_gemiddeld_dagen": _mean(answer_times),
        "antwoordtijd_p90_dagen": percentile(answer_times, 90),
        "loket_bezetting": busy / (scenario.loket_medewerkers * (hours.worked(end) - hours.worked(start))),
        "vraag_per_jaar": cohort.sum() / years,
        "vraag_plaatsen": intended_stay[cohort].sum() / span,
        "wachttijd_gemiddeld_dagen": _mean(waits),
        "wachttijd_mediaan_dagen": percentile(waits, 50),
        "wachttijd_p90_dagen": percentile(waits, 90),
        "tijd_tot_aanbod_mediaan_dagen": percentile(to_offer, 50),
        "tijd_tot_aanbod_p90_dagen": percentile(to_offer, 90),
        "aandeel_tijdig_geplaatst": _mean(on_time[cohort]),
        "aandeel_tijdig_kwetsbaar": tijdig_kwetsbaar,
        "aandeel_tijdig_niet_kwetsbaar": tijdig_anderen,
        "kloof_tijdig_kwetsbaar": tijdig_anderen - tijdig_kwetsbaar,
        "opgegeven_per_jaar": gave_up.sum() / years,
        "aanbiedingen_geweigerd_per_jaar": g["refused"][cohort].sum() / years,
        "bezetting": _time_in_window(g["placed"], g["departure"], start, end) / (scenario.plaatsen * span)
        if scenario.plaatsen else np.nan,
        "wachtlijst_gemiddeld": _time_in_window(*_waiting(g), start, end) / span,
    }
    groups = _groups(g)
    for group in (*GROEPEN, "anderen"):
        if group != "kwetsbaar":  # aandeel_tijdig_kwetsbaar is above
            values[groep_maten(group)[0]] = _mean(on_time[cohort & groups[group]])
    for group in (*GROEPEN, "anderen"):
        values[groep_maten(group)[1]] = percentile(
            (g["offered"] - g["registered"])[cohort & groups[group] & ~np.isnan(g["offered"])], 50)
    soort = np.array(scenario.soorten)
    capacity = np.array(scenario.capaciteiten)
    placed = ~np.isnan(g["placed"])
    location = np.where(placed, g["location"], 0).astype(int)
    held_soort = np.where(placed, soort[location], "")  # the soort of each gezin's plaats, "" without one
    first_soort = np.where(g["first_choice"] >= 0, soort[np.maximum(g["first_choice"], 0)], "")
    for name in SOORTEN:
        places = capacity[soort == name].sum()
        held = held_soort == name
        occupied = _time_in_window(g["placed"][held], g["departure"][held], start, end)
        occupancy_key, gave_up_key = soort_maten(name)
        values[occupancy_key] = occupied / (places * span) if places else np.nan
        values[gave_up_key] = (gave_up & (first_soort == name)).sum() / years
    return {name: float(value) for name, value in values.items()}


def _groups(g: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per priority group (and 'anderen': none of them) which gezinnen belong to it; broer_zus: a
    gezin with an older sibling in a location."""
    groups = {"kwetsbaar": g["kwetsbaar"].astype(bool), "werkend": g["werkend"].astype(bool),
              "broer_zus": g["sibling_at"] >= 0, "pleegkind": g["pleegkind"].astype(bool),
              "nederlandstalig": g["nederlandstalig"].astype(bool)}
    return {**groups, "anderen": ~np.logical_or.reduce(list(groups.values()))}


def waiting_list(scenario: Scenario, g: dict[str, np.ndarray]) -> pd.DataFrame:
    """The wachtlijst of `measures` at the start of each week of the window."""
    begin, finish = _waiting(g)
    days = np.arange(scenario.opwarm_dagen, scenario.eind_dagen, 7.0)
    length = np.searchsorted(np.sort(begin), days, "right") - np.searchsorted(np.sort(finish), days, "right")
    return pd.DataFrame({"dag": days, "wachtlijst": length})


def occupancy(scenario: Scenario, g: dict[str, np.ndarray]) -> pd.Series:
    """Per location the time-average share of its places occupied over the window."""
    start, end = scenario.opwarm_dagen, scenario.eind_dagen
    placed = ~np.isnan(g["placed"])
    present = _overlap(g["placed"][placed], g["departure"][placed], start, end)
    capacity = np.array(scenario.capaciteiten)
    held = np.bincount(g["location"][placed].astype(int), weights=present, minlength=capacity.size)
    with np.errstate(invalid="ignore"):  # a location without places has no occupancy
        share = held / (capacity * (end - start))
    return pd.Series(share, index=pd.RangeIndex(1, capacity.size + 1, name="locatie"), name="bezetting")


def _waiting(g: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Time on the wachtlijst: from the desired start until placement, giving up, or (not yet
    known) forever; empty for a gezin placed by its desired start."""
    finish = np.where(np.isnan(g["placed"]), np.nan_to_num(g["deadline"], nan=np.inf), g["placed"])
    return g["desired_start"], np.maximum(finish, g["desired_start"])


def _overlap(begin: np.ndarray, finish: np.ndarray, start: float, end: float) -> np.ndarray:
    """Time each interval [begin, finish) spends inside [start, end)."""
    return np.clip(np.minimum(finish, end) - np.maximum(begin, start), 0.0, None)


def _time_in_window(begin: np.ndarray, finish: np.ndarray, start: float, end: float) -> float:
    """Total time the intervals spend inside [start, end); NaN intervals count 0."""
    return float(np.nansum(_overlap(begin, finish, start, end)))


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if values.size else np.nan


def percentile(values: np.ndarray, q: float) -> float:
    """np.percentile (linear interpolation) of values without NaN, NaN when there are none.

    np.percentile costs a tenth of a millisecond a call, and the eleven calls of `measures` cost
    more than all the rest of a small gemeente's measures; a sort and numpy's interpolation between
    the two neighbours cost a twentieth of that (a test holds them equal).
    """
    if not values.size:
        return np.nan
    ordered = np.sort(values)
    position = (values.size - 1) * (q / 100)
    below = int(position)
    low, high, weight = ordered[below], ordered[min(below + 1, values.size - 1)], position - below
    return float(low + (high - low) * weight if weight < 0.5 else high - (high - low) * (1 - weight))
