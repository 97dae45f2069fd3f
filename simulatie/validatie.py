"""Exact queueing results to validate the model against: Erlang B and C for M/M/c, Cobham's mean waits
of priority classes, and Little's law.

With Poisson arrivals, exponential stays, one location of c places, FIFO and patient gezinnen, the
places form an M/M/c queue, whose waiting is known exactly (Erlang C); with gezinnen that leave when
no plaats is free, they form the M/M/c/c loss system (Erlang B). With priority classes served without
pre-emption the mean wait of each class is known too (Cobham). Little's law holds for any system
in steady state. References: Kleinrock, Queueing Systems I (1975), sections 3.5-3.6; Gross, Shortle,
Thompson and Harris, Fundamentals of Queueing Theory (4th ed., 2008), sections 2.3-2.5 and 3.4;
Cobham, Operations Research 2(1) (1954) 70-76; Little, Operations Research 9 (1961) 383-387.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def erlang_b(servers: int, load: float) -> float:
    """Probability that an arrival finds all servers busy in M/M/c/c (and is lost), for an offered
    load of arrival rate / service rate, by the recursion B(k) = a B(k-1) / (k + a B(k-1)), which
    unlike the textbook ratio of sums does not overflow for many servers."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival has to wait in M/M/c: C = B / (1 - rho (1 - B)), rho = load / c < 1."""
    rho = load / servers
    if rho >= 1:
        raise ValueError(f"M/M/c has no steady state for utilisation {rho:g} >= 1")
    blocking = erlang_b(servers, load)
    return blocking / (1 - rho * (1 - blocking))


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in queue of M/M/c: Wq = C / (c mu - lambda)."""
    return erlang_c(servers, arrival_rate / service_rate) / (servers * service_rate - arrival_rate)


def priority_mean_waits(servers: int, arrival_rates: Sequence[float], service_rate: float) -> np.ndarray:
    """Mean time in queue of each class of M/M/c with non-preemptive priorities, highest first, all with
    the same service rate (Cobham): W_k = C / (c mu) / ((1 - sigma_{k-1}) (1 - sigma_k)), where sigma_k
    is the utilisation by classes 1 to k. Whether an arrival waits does not depend on its class, so C
    is that of FIFO; how long it waits then depends on the load of its own class and those ahead of it."""
    wait = erlang_c(servers, sum(arrival_rates) / service_rate) / (servers * service_rate)
    sigma = np.cumsum(arrival_rates) / (servers * service_rate)
    return wait / ((1 - np.concatenate(([0.0], sigma[:-1]))) * (1 - sigma))


def littles_law(arrival: np.ndarray, departure: np.ndarray, start: float, end: float) -> tuple[float, float, float]:
    """L, lambda and W over the window [start, end) from each customer's arrival and departure.

    L is the time-average number present, integrated exactly; lambda counts the arrivals in the
    window per time unit and W is their mean time in the system, also after `end`. L and lambda W
    differ only by edge effects: the time in the window of those who arrived before it, minus the
    time after it of those who arrived in it. These cancel on average in steady state and shrink
    relative to L as the window grows, so a larger gap means lost or double-counted time.
    """
    span = end - start
    present = np.clip(np.minimum(departure, end) - np.maximum(arrival, start), 0.0, None)
    arrived = (arrival >= start) & (arrival < end)
    return float(present.sum() / span), float(arrived.sum() / span), float(np.mean((departure - arrival)[arrived]))
