"""Worker processes that end with the program that started them."""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def die_with_parent() -> None:
    """Ask Linux for SIGTERM when the parent dies (a pool's initializer). A program stopped with
    Ctrl+C stops its workers itself; one killed outright (SIGKILL, the out-of-memory killer) cannot,
    and its workers went on computing for nobody. Elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request was in place
        os.kill(os.getpid(), signal.SIGTERM)
