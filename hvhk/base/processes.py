"""Worker processes: pools that live as long as the program, and workers that end with it, quickly."""

import gc
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

WATCH_SECONDS = 0.5  # how often a worker looks whether its program still runs


def die_with_parent() -> None:
    """End this process soon after the program that started it ends (a pool's initializer). A program
    stopped with Ctrl+C stops its workers itself; one killed outright (SIGKILL, the out-of-memory
    killer) cannot, and its workers went on computing for nobody.

    A thread watches for the parent to change, rather than Linux's parent-death signal: that signal
    comes when the *thread* that started the worker ends, and a pool that lives as long as the
    program starts its workers from whichever thread uses it first, such as a visitor's of the
    scenario explorer, who may leave.

    The signal it sends itself ends it by default again: a worker forked from a server inherits the
    server's handler (uvicorn's graceful shutdown), under which it lived on for nobody. Only the main
    thread may set it, where a pool's initializer runs.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def end_quickly() -> None:
    """Let this process end without freeing, one by one, the objects its modules hold: the operating
    system takes the memory back at once. Called as the work is done.

    At its end Python collects the cycles of every module, and nbformat's schema checker (its
    grammar of URIs) made that cost 0.3 to 0.6 s in each process that renders reports, which the
    program waited for at every `hvhk demo` and batch. Frozen objects are not collected.
    """
    gc.freeze()


_POOLS: dict[tuple[str, int], ProcessPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


@contextmanager
def shared_pool(name: str, werkers: int, **options) -> Iterator[ProcessPoolExecutor]:
    """The pool `name` of `werkers` processes (made with `options` the first time), which lives as
    long as the program.

    Starting processes costs a tenth of a second and more, with a report kernel seconds, as much as
    the work of a small batch: the scenario explorer recomputes at every stop of a slider and the
    report app makes batch after batch, so they reuse their pool. Visitors share it from their own
    threads, which submit and wait without holding the GIL. A pool whose worker died (killed, out
    of memory) is dropped when it raises, so that the next call starts a new one.
    """
    with _POOLS_LOCK:
        pool = _POOLS.get((name, werkers))
        if pool is None:
            pool = _POOLS[(name, werkers)] = ProcessPoolExecutor(werkers, **options)
    try:
        yield pool
    except BrokenProcessPool:
        with _POOLS_LOCK:
            if _POOLS.get((name, werkers)) is pool:
                del _POOLS[(name, werkers)]
        raise
