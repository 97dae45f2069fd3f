"""SimPy model of one gemeente's lokaal loket kinderopvang, from registration to school entry.

A gezin registers at the loket (intake by the staff, first come first served) and gets a first
answer. Because childcare places are allotted ahead of the start date, the gezin joins the waiting
list toewijzing_vooraf_dagen before its desired start. Whenever a plaats is free, the beleid picks
the gezin that gets it; the child starts at the later of allotment and desired start and keeps the
plaats until school entry. A gezin still waiting at school entry leaves the list: the child no
longer needs childcare, which also keeps the list finite when places are scarce.

All randomness is drawn up front, in registration order, from one numpy Generator: two runs with
the same seed see the same gezinnen whatever the beleid or the number of places (common random
numbers), so a difference between them is the effect of the change, not of the dice.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import simpy

from simulatie.scenario import Beleid, Scenario

PRIORITY: dict[Beleid, Callable[[Gezin], tuple]] = {
    "fifo": lambda gezin: (gezin.registered,),
    "kwetsbaar_eerst": lambda gezin: (not gezin.kwetsbaar, gezin.registered),
}
"""Sort key of the waiting list per beleid: the smallest key gets the next free plaats."""


@dataclass(slots=True, eq=False)
class Gezin:
    """One request for childcare: what was drawn at registration and what happened to it (days).

    A time is filled in as soon as it is known, which can be ahead of the clock: the end of an
    intake, or a start date agreed at allotment. The measures therefore clip at the end of the run.
    """

    number: int
    kwetsbaar: bool
    registered: float
    intake_time: float
    desired_start: float
    school_entry: float
    intake_start: float | None = None
    answered: float | None = None
    allotted: float | None = None
    placed: float | None = None


def draw_gezinnen(scenario: Scenario, rng: np.random.Generator) -> list[Gezin]:
    """All gezinnen of one run: Poisson registrations, exponential intake and lead times.

    The school entry varies uniformly around the school age, because children enter school on a
    few fixed dates a year and not on one exact age.
    """
    count = rng.poisson(scenario.aanvragen_per_dag * scenario.eind_dagen)
    registered = np.sort(rng.uniform(0.0, scenario.eind_dagen, count))
    kwetsbaar = rng.random(count) < scenario.aandeel_kwetsbaar
    intake_time = rng.exponential(scenario.intake_dagen, count)
    desired_start = registered + rng.exponential(scenario.voorinschrijving_dagen, count)
    spread = scenario.schoolleeftijd_spreiding_dagen
    school_entry = desired_start + scenario.verblijf_dagen + rng.uniform(-spread, spread, count)
    return [Gezin(*values) for values in zip(range(count), kwetsbaar.tolist(), registered.tolist(),
                                             intake_time.tolist(), desired_start.tolist(),
                                             school_entry.tolist())]


class Loket:
    """The loket staff: a registration waits for the first free staff member, first come first served.

    Intake times are drawn at registration, so the FCFS queue is computed at arrival from the times
    at which each staff member is free again (the Kiefer-Wolfowitz recursion) instead of with a
    simpy.Resource: the same answer times (the tests check this) at less than half the cost per
    gezin, which is what lets a demo of 200 runs finish in seconds.
    """

    def __init__(self, env: simpy.Environment, medewerkers: int) -> None:
        self.env = env
        self._free_from = [0.0] * medewerkers

    def register(self, gezin: Gezin) -> None:
        gezin.intake_start = max(self.env.now, self._free_from[0])
        gezin.answered = gezin.intake_start + gezin.intake_time
        heapq.heapreplace(self._free_from, gezin.answered)


class Allocation:
    """The plaatsen of the gemeente and their waiting list.

    A plaats is held from allotment until the child's school entry, a date known in advance, so
    the release is scheduled at allotment. A gezin whose child reached school age while waiting is
    skipped when its turn comes, which is the same as removing it at that date.
    """

    def __init__(self, env: simpy.Environment, plaatsen: int, beleid: Beleid) -> None:
        self.env = env
        self.free = plaatsen
        self._priority = PRIORITY[beleid]
        self._waiting: list[tuple[tuple, int, Gezin]] = []

    def join_at(self, gezin: Gezin, time: float) -> None:
        self.env.timeout(time - self.env.now).callbacks.append(lambda _event: self._join(gezin))

    def _join(self, gezin: Gezin) -> None:
        heapq.heappush(self._waiting, (self._priority(gezin), gezin.number, gezin))
        self._allot()

    def _allot(self) -> None:
        now = self.env.now
        while self.free and self._waiting:
            gezin = heapq.heappop(self._waiting)[-1]
            if gezin.school_entry <= now:
                continue
            self.free -= 1
            gezin.allotted = now
            gezin.placed = max(now, gezin.desired_start)
            self.env.timeout(gezin.school_entry - now).callbacks.append(self._release)

    def _release(self, _event: simpy.Event) -> None:
        self.free += 1
        self._allot()


def arrivals(env: simpy.Environment, gezinnen: list[Gezin], loket: Loket, allocation: Allocation,
             ahead: float) -> Iterator[simpy.Event]:
    """Registrations in time order; a gezin joins the waiting list `ahead` days before its desired
    start, but not before the loket has answered it."""
    for gezin in gezinnen:
        yield env.timeout(gezin.registered - env.now)
        loket.register(gezin)
        allocation.join_at(gezin, max(gezin.answered, gezin.desired_start - ahead))


@dataclass(frozen=True)
class RunResult:
    """One replicatie: the gezinnen as simulated and the measures after the warm-up."""

    scenario: Scenario
    gezinnen: list[Gezin]
    measures: dict[str, float]


def run(scenario: Scenario, seed: int | np.random.SeedSequence) -> RunResult:
    """Simulate warm-up plus `jaren` years of one gemeente; the same seed gives the same result."""
    gezinnen = draw_gezinnen(scenario, np.random.default_rng(seed))
    env = simpy.Environment()
    loket = Loket(env, scenario.loket_medewerkers)
    allocation = Allocation(env, scenario.plaatsen, scenario.beleid)
    env.process(arrivals(env, gezinnen, loket, allocation, scenario.toewijzing_vooraf_dagen))
    env.run(until=scenario.eind_dagen)
    return RunResult(scenario, gezinnen, measures(scenario, gezinnen))


def measures(scenario: Scenario, gezinnen: list[Gezin]) -> dict[str, float]:
    """The measures of one run over the window after the warm-up, NaN where undefined.

    Loket measures (aanvragen_per_jaar, antwoordtijd_gemiddeld_dagen) count the gezinnen that
    registered in the window. Placement measures count the cohort whose desired start falls in the
    window. "Tijdig" means placed by the desired start itself (a grace of 0 days). Waits are
    censored at the end of the run and at school entry: a gezin of the cohort without a plaats
    counts as not placed on time (its desired start is already past) and is left out of the
    wachttijd quantiles, which therefore describe the gezinnen that did get a plaats. Time averages
    (bezetting, wachtlijst_gemiddeld, loket_bezetting) integrate exactly over the window; the
    wachtlijst holds gezinnen past their desired start without a plaats.
    """
    start, end = scenario.opwarm_dagen, scenario.eind_dagen
    span = end - start

    def column(name: str) -> np.ndarray:
        return np.array([getattr(gezin, name) for gezin in gezinnen], dtype=float)

    registered, answered, desired = column("registered"), column("answered"), column("desired_start")
    placed, school_entry, intake_start = column("placed"), column("school_entry"), column("intake_start")
    kwetsbaar = column("kwetsbaar").astype(bool)

    new = (registered >= start) & (registered < end)
    answer_times = (answered - registered)[new & (answered < end)]
    cohort = (desired >= start) & (desired < end)
    on_time = placed <= desired
    waits = (placed - desired)[cohort & ~np.isnan(placed)]
    present = _time_in_window(placed, school_entry, start, end)
    waiting = _time_in_window(desired, np.where(np.isnan(placed), school_entry, placed), start, end)
    busy = _time_in_window(intake_start, intake_start + column("intake_time"), start, end)

    values = {
        "aanvragen_per_jaar": new.sum() / scenario.jaren,
        "antwoordtijd_gemiddeld_dagen": _mean(answer_times),
        "wachttijd_mediaan_dagen": np.median(waits) if waits.size else np.nan,
        "wachttijd_p90_dagen": np.percentile(waits, 90) if waits.size else np.nan,
        "aandeel_tijdig_geplaatst": _mean(on_time[cohort]),
        "aandeel_tijdig_kwetsbaar": _mean(on_time[cohort & kwetsbaar]),
        "aandeel_tijdig_niet_kwetsbaar": _mean(on_time[cohort & ~kwetsbaar]),
        "bezetting": present / (scenario.plaatsen * span) if scenario.plaatsen else np.nan,
        "wachtlijst_gemiddeld": waiting / span,
        "loket_bezetting": busy / (scenario.loket_medewerkers * span),
    }
    return {name: float(value) for name, value in values.items()}


def _time_in_window(begin: np.ndarray, finish: np.ndarray, start: float, end: float) -> float:
    """Total time the intervals [begin, finish) spend inside [start, end); NaN intervals count 0."""
    inside = np.minimum(finish, end) - np.maximum(begin, start)
    return float(np.nansum(np.clip(inside, 0.0, None)))


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if values.size else np.nan
