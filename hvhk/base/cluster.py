"""Work on a dask.distributed cluster, for a user who outgrows one machine: connecting, its Dutch
errors, and the results back in order. Simulations and report renders both go through here.

The client is asynchronous so that it can be closed when connecting fails (a synchronous one
cannot, and hangs the exit), and runs in a thread of its own so that this also works where an
event loop is already running, as in Jupyter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from hvhk.base.errors import GebruikersFout

TIMEOUT = 10
"""Seconds to reach the scheduler before a wrong address is reported."""

T = TypeVar("T")
R = TypeVar("R")


def on_cluster(
    function: Callable[[T], R], items: Sequence[T], adres: str, klaar: Callable[[R], None] | None = None
) -> list[R]:
    """`function` of every item, computed on the cluster whose scheduler is at `adres` (such as
    tcp://host:8786), in the order of `items`; `klaar` is called with each result as it comes in."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _gather(function, items, adres, klaar)).result()


async def _gather(function, items, adres, klaar):
    from distributed import Client, as_completed

    client = Client(adres, asynchronous=True, timeout=TIMEOUT)
    try:
        await client
    except (OSError, ValueError) as error:
        await client.close()
        problem = (f"geen antwoord binnen {TIMEOUT} s" if isinstance(error, OSError)
                   else "geen geldig adres, verwacht iets als tcp://host:8786")
        raise GebruikersFout(f"Dask-scheduler '{adres}': {problem}") from None
    try:
        futures = client.map(function, items, pure=False)
        if klaar is not None:
            async for future in as_completed(futures):
                klaar(await future)
        return await client.gather(futures)
    finally:
        await client.close()
