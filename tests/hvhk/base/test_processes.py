"""A program killed outright takes its worker processes with it (hvhk.base.processes)."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SIMULATION = """
import signal
signal.signal(signal.SIGTERM, lambda *_: None)  # as a server handles it, which its forked workers inherit
from simulatie.experiment import run_scenarios
from simulatie.scenario import Scenario
print("gestart", flush=True)
run_scenarios([Scenario(geboorten_per_jaar=4000, jaren=20)], replicaties=60, werkers=2)
"""


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_and_outlive(program: subprocess.Popen, children: list[int]) -> None:
    """Kill `program` outright; fail if any of its `children` is still there 15 s later."""
    os.kill(program.pid, signal.SIGKILL)
    program.wait()
    deadline = time.monotonic() + 15
    try:
        while any(alive(pid) for pid in children):
            assert time.monotonic() < deadline, f"{children} outlived their program"
            time.sleep(0.05)
    finally:  # a failure here must not leave them running for the rest of the test run
        for pid in filter(alive, children):
            os.kill(pid, signal.SIGKILL)


def test_the_simulation_workers_end_when_their_program_is_killed():
    """Each batch of runs takes tens of seconds here, so without the request to die with the parent
    the workers would compute on for nobody long after the 15 s this test waits."""
    program = subprocess.Popen([sys.executable, "-c", SIMULATION], stdout=subprocess.PIPE, text=True)
    assert program.stdout.readline().strip() == "gestart"
    deadline = time.monotonic() + 60
    while len(workers := children(program.pid)) < 2:
        assert time.monotonic() < deadline, "the pool did not start its two workers"
        time.sleep(0.05)
    kill_and_outlive(program, workers)


def test_a_pool_outlives_the_thread_that_started_its_workers():
    """The scenario explorer's pool is started by the first visitor's thread and used by the next
    visitor's; with Linux's parent-death signal its workers died with that first thread."""
    from simulatie.experiment import run_scenarios
    from simulatie.scenario import Scenario

    scenario = Scenario(geboorten_per_jaar=30, plaatsen=50, jaren=1, opwarmjaren=1)
    runs = []
    first = threading.Thread(target=lambda: runs.append(run_scenarios([scenario], 2, werkers=3)))
    first.start()
    first.join()
    runs.append(run_scenarios([scenario], 2, werkers=3))  # werkers=3: a pool of this test's own
    assert [len(table) for table in runs] == [2, 2]


def test_a_killed_workshop_takes_its_app_server_with_it(tmp_path):
    """`hvhk workshop` stops its servers itself on Ctrl+C; killed outright, its Solara server stayed,
    holding the port and the database (one was left after every test run)."""
    workshop = subprocess.Popen([sys.executable, "-m", "hvhk", "workshop", "--geen-browser", "--database",
                                 str(tmp_path / "hvhk.sqlite")], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    assert "draait op" in workshop.stdout.readline(), "the workshop started"
    servers = children(workshop.pid)
    assert servers, "its app server"
    kill_and_outlive(workshop, servers)
