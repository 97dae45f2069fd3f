import fcntl
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from hvhk import demodata
from hvhk.demo import load
from roadmap import store
from roadmap.definition import load_roadmap

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def apt_programma():
    """A function giving the path of a program, installed from Debian with apt when missing: the
    system tools the tests use in earnest (chromium, strace), never downloaded some other way."""

    def programma(naam: str, pakket: str) -> str:
        if shutil.which(naam) is None:
            if os.geteuid() != 0 or not shutil.which("apt-get"):
                pytest.fail(f"installeer {naam} met: sudo apt-get install -y {pakket}")
            with open("/tmp/hvhk-tests-apt.lock", "w") as lock:  # test workers in parallel: one apt at a time
                fcntl.flock(lock, fcntl.LOCK_EX)
                if shutil.which(naam) is None:
                    subprocess.run(["apt-get", "update", "-qq"], check=True)
                    subprocess.run(["apt-get", "install", "-y", "-qq", pakket], check=True,
                                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return shutil.which(naam)

    return programma


@pytest.fixture(scope="session")
def chromium(apt_programma) -> Path:
    """Debian's chromium, installed with apt when this machine does not have it yet: the browser tests and
    the PDF reports use it."""
    return Path(apt_programma("chromium", "chromium"))


@pytest.fixture
def eerste_schema(tmp_path) -> Path:
    """A store as the first release wrote it (schema 1), holding one Huis without gemeente."""
    path = tmp_path / "oud.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(store.MIGRATIONS[0])
        raw.execute("PRAGMA user_version = 1")
        raw.execute("INSERT INTO huis (naam) VALUES ('Huis van het Kind Oud')")
    raw.close()
    return path


@pytest.fixture(autouse=True)
def eigen_uitvoer(tmp_path, monkeypatch):
    """Every test writes its output in its own folder, never in the project's uitvoer/ of a user."""
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path / "uitvoer"))


@pytest.fixture
def mini_roadmap():
    return load_roadmap(FIXTURES / "mini_roadmap.yaml")


@pytest.fixture
def connection(tmp_path):
    connection = store.connect(tmp_path / "hvhk.sqlite")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """A store holding the full demo data set, shared read-only by the tests of one session."""
    path = tmp_path_factory.mktemp("demo") / "hvhk.sqlite"
    roadmap = load_roadmap()
    connection = store.connect(path)
    load(connection, roadmap, demodata.generate(roadmap))
    connection.close()
    return path


# Hypothesis: few examples and no deadline, so that the property tests stay fast and never fail on
# a slow, shared CI machine; HYPOTHESIS_PROFILE=grondig searches much longer when hunting a bug.
settings.register_profile("hvhk", max_examples=50, deadline=None, print_blob=True)
settings.register_profile("grondig", parent=settings.get_profile("hvhk"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hvhk"))
