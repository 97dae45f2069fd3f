"""Benchmark: the loket simulation, from one run to every Flemish and Brussels gemeente.

1. Cost per gezin: a whole run of the loket model (draws, loket, allotment, measures) against a
   bare SimPy M/M/c queue and Ciw's M/M/c with as many customers (targets: at most 1.5x the bare
   queue, at least 2x faster than Ciw); and the allocation rules of today (three soorten of location,
   the huidige regels with priority levels and afwijking) against the model's single rule on one
   soort, in the same run (target: at most 1.2x).
2. One gemeente of 600 births a year, 5 simulated years, 30 replicaties, on the pool of processes the
   scenario explorer keeps (target: under 1 s, so that it can recompute when a slider is let go).
3. All 304 gemeenten x 3 scenarios x 30 replicaties over --workers processes, against a serial loop
   timed on a systematic sample of the gemeenten and extrapolated (target: under 3 minutes).

Statbel's births per gemeente are not bundled, so every gemeente gets plausible, seeded figures in the
proportions of the demo data: births drawn from a log-normal spread (median 150 a year in Flanders,
600 in the denser Brussels gemeenten, about 70 000 in all, near the real total), 55 places (45 to 65)
for every 100 children under three, and a second loket staff member above 400 births.
Run:  python benchmarks/bench_simulatie.py [--gemeenten N] [--replicaties N] [--workers N] [--sample N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from unittest import mock

import ciw
import numpy as np
import simpy

from hvhk.base.gemeenten import gemeenten
from simulatie.experiment import run_replicaties, run_scenarios
from simulatie.model import run
from simulatie.scenario import Scenario

SOORTEN = {"inkomenstarief": 0.6, "vaste_prijs": 0.35, "subsidie_kwetsbaar": 0.05}
ONE = Scenario(naam="600 geboorten", geboorten_per_jaar=600, plaatsen=990, loket_medewerkers=2, jaren=5,
               aandeel_plaatsen=SOORTEN)
SINGLE_RULE = dataclasses.replace(ONE, beleid="fifo", aandeel_plaatsen=None)
TARGET_OVERHEAD, TARGET_CIW, TARGET_RULES, TARGET_ONE, TARGET_ALL = 1.5, 2.0, 1.2, 1.0, 180.0


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it processes, for a run that is not timed."""

    steps = 0

    def step(self) -> None:
        CountingEnvironment.steps += 1
        super().step()


class TimingEnvironment(simpy.Environment):
    """A SimPy environment that adds up the time spent in `run`: the event loop without the set-up."""

    seconds = 0.0

    def run(self, until=None):
        start = time.perf_counter()
        try:
            return super().run(until)
        finally:
            TimingEnvironment.seconds += time.perf_counter() - start


def count_events(simulate: Callable[[], object]) -> int:
    """The events `simulate` processes, counted by swapping in CountingEnvironment for simpy.Environment."""
    CountingEnvironment.steps = 0
    with mock.patch.object(simpy, "Environment", CountingEnvironment):
        simulate()
    return CountingEnvironment.steps


def mmc(customers: int, servers: int, seed: int) -> None:
    """The textbook M/M/c queue in plain SimPy, its random numbers drawn up front like the model's."""
    rng = np.random.default_rng(seed)
    gaps, services = rng.exponential(1.0, customers).tolist(), rng.exponential(0.8 * servers, customers).tolist()
    env = simpy.Environment()
    desk = simpy.Resource(env, servers)

    def customer(service: float):
        with desk.request() as request:
            yield request
            yield env.timeout(service)

    def source():
        for gap, service in zip(gaps, services):
            yield env.timeout(gap)
            env.process(customer(service))

    env.process(source())
    env.run()


def ciw_mmc(customers: int, servers: int, seed: int) -> None:
    """The same M/M/c in Ciw, run until about as many customers have arrived."""
    network = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=1.0)],
                                 service_distributions=[ciw.dists.Exponential(rate=1 / (0.8 * servers))],
                                 number_of_servers=[servers])
    ciw.seed(seed)
    ciw.Simulation(network).simulate_until_max_time(customers)


def median_seconds(functions: list[Callable[[], object]], repeats: int) -> list[tuple[float, float]]:
    """Per function the median time of a call and the median time spent inside simpy's
    Environment.run (the event loop alone); run in turns so that other work slows all alike."""
    whole, loop = [[] for _ in functions], [[] for _ in functions]
    with mock.patch.object(simpy, "Environment", TimingEnvironment):
        for _ in range(repeats):
            for function, measured, looped in zip(functions, whole, loop):
                TimingEnvironment.seconds = 0.0
                start = time.perf_counter()
                function()
                measured.append(time.perf_counter() - start)
                looped.append(TimingEnvironment.seconds)
    return [(statistics.median(w), statistics.median(lp)) for w, lp in zip(whole, loop)]


def overhead(repeats: int) -> None:
    gezinnen = len(run(ONE, 1).gezinnen)
    events = count_events(lambda: run(ONE, 1))
    bare_events = count_events(lambda: mmc(gezinnen, ONE.loket_medewerkers, 1))
    (model, model_loop), (bare, _), (single, _), (theirs, _) = median_seconds(
        [lambda: run(ONE, 1), lambda: mmc(gezinnen, ONE.loket_medewerkers, 1), lambda: run(SINGLE_RULE, 1),
         lambda: ciw_mmc(gezinnen, ONE.loket_medewerkers, 1)], repeats
    )
    print("1. cost per gezin (one run of the 600-births gemeente, median of", repeats, "runs)")
    print(f"   loket model: {1e6 * model / gezinnen:.1f} µs per gezin ({gezinnen:,} gezinnen, {events:,} events;"
          f" whole run: draws, loket, allotment, measures; {1e6 * model_loop / gezinnen:.1f} µs in the event loop)")
    print(f"   bare SimPy M/M/{ONE.loket_medewerkers}, as many customers: {1e6 * bare / gezinnen:.1f} µs per customer"
          f" ({bare_events:,} events)")
    print(f"   Ciw M/M/{ONE.loket_medewerkers}, as many customers: {1e6 * theirs / gezinnen:.1f} µs per customer")
    print(f"   ratio model / bare: {model / bare:.2f}x (target at most {TARGET_OVERHEAD}x)")
    print(f"   Ciw / model: {theirs / model:.2f}x faster (target at least {TARGET_CIW}x)")
    print(f"   huidige regels on three soorten against one rule (fifo) on one soort: {model / single:.2f}x"
          f" (target at most {TARGET_RULES}x)")


def one_gemeente(replicaties: int, workers: int, repeats: int) -> None:
    run_replicaties(ONE, 1, werkers=workers)  # starts the pool, as the explorer's first run does
    (serial, _), (parallel, _) = median_seconds(
        [lambda: run_replicaties(ONE, replicaties), lambda: run_replicaties(ONE, replicaties, werkers=workers)], repeats
    )
    print(f"2. one gemeente, 600 births a year, {ONE.jaren} years (+{ONE.opwarmjaren} warm-up), {replicaties} replicaties")
    print(f"   serial: {serial:.2f} s, {workers} workers: {parallel:.2f} s (target under {TARGET_ONE:.0f} s),"
          f" speed-up {serial / parallel:.1f}x")


def flemish_scenarios(count: int | None, seed: int = 0) -> list[list[Scenario]]:
    """Per gemeente its three scenarios: the current loket (huidige regels, three soorten), 10 % more
    places, and a fifth of the inkomenstarief places reserved for kwetsbare gezinnen."""
    table = gemeenten()
    rng = np.random.default_rng(seed)
    brussels = (table["gewest"] != "Vlaams Gewest").to_numpy()
    births = np.maximum(20, np.round(rng.lognormal(np.log(np.where(brussels, 600, 150)), 0.75)))
    places = np.round(births * 3 * rng.uniform(0.45, 0.65, len(table))).astype(int)
    result = []
    for nis, born, plaatsen in zip(table["nis"], births.tolist(), places.tolist()):
        basis = Scenario(naam=f"{nis} basis", gemeente=nis, geboorten_per_jaar=born, plaatsen=plaatsen,
                         loket_medewerkers=2 if born > 400 else 1, aandeel_plaatsen=SOORTEN)
        result.append([basis, dataclasses.replace(basis, naam=f"{nis} meer plaatsen", plaatsen=round(plaatsen * 1.1)),
                       dataclasses.replace(basis, naam=f"{nis} voorbehouden",
                                           regels={"inkomenstarief": {"gereserveerd": 0.2}})])
    return result[:count]


def all_gemeenten(count: int | None, replicaties: int, workers: int, sample: int) -> None:
    per_gemeente = flemish_scenarios(count)
    births = sum(scenarios[0].geboorten_per_jaar for scenarios in per_gemeente)
    by_size = sorted(per_gemeente, key=lambda scenarios: scenarios[0].geboorten_per_jaar)
    step = max(1, len(by_size) // sample)
    chosen = by_size[step // 2::step][:sample]  # every step-th gemeente by size: small ones and large ones

    start = time.perf_counter()
    for scenarios in chosen:  # the loop an analyst would write: gemeente by gemeente, scenario by scenario
        for scenario in scenarios:
            run_replicaties(scenario, replicaties)
    serial = (time.perf_counter() - start) * len(per_gemeente) / len(chosen)

    start = time.perf_counter()
    runs = run_scenarios([s for scenarios in per_gemeente for s in scenarios], replicaties, werkers=workers)
    parallel = time.perf_counter() - start
    print(f"3. {len(per_gemeente)} gemeenten ({births:,.0f} births a year) x 3 scenarios x {replicaties} replicaties"
          f" = {len(runs):,} runs")
    print(f"   serial loop: {serial:.0f} s, EXTRAPOLATED from {len(chosen)} gemeenten spread over the sizes")
    print(f"   run_scenarios, {workers} workers: {parallel:.0f} s measured (target under {TARGET_ALL / 60:.0f} min)")
    print(f"   speed-up: {serial / parallel:.1f}x")


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=positive, default=None, help="only the first N gemeenten (default: all 304)")
    parser.add_argument("--replicaties", type=positive, default=30)
    parser.add_argument("--workers", type=positive, default=2)
    parser.add_argument("--sample", type=positive, default=12, help="gemeenten in the serial baseline of part 3")
    parser.add_argument("--repeats", type=positive, default=5, help="repeats of part 2 (median); part 1 repeats 5 times as often")
    arguments = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other work slows the parallel parts most")
    overhead(5 * arguments.repeats)  # its turns take a tenth of a second: more of them steady its ratios
    one_gemeente(arguments.replicaties, arguments.workers, arguments.repeats)
    all_gemeenten(arguments.gemeenten, arguments.replicaties, arguments.workers, arguments.sample)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
