"""Worker processes that end with the program that started them."""

import os
import signal
import threading
import time

WATCH_SECONDS = 0.5  # how often a worker looks whether its program still runs


def die_with_parent() -> None:
    """End this process soon after the program that started it ends (a pool's initializer). A program
    stopped with Ctrl+C stops its workers itself; one killed outright (SIGKILL, the out-of-memory
    killer) cannot, and its workers went on computing for nobody.

    A thread watches for the parent to change, rather than Linux's parent-death signal: that signal
    comes when the *thread* that started the worker ends, and a pool that lives as long as the
    program starts its workers from whichever thread uses it first, such as a visitor's of the
    scenario explorer, who may leave.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
