"""`pip install .` as a wheel, the way pip, conda and any non-editable install put the toolkit in place.

The wheel must hold every file the apps, reports and notebooks read, and work from a folder far
from the checkout: an editable install hides a missing file, because the checkout is still there.
"""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from roadmap import store

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hvhk", "roadmap", "simulatie", "rapporten", "notebooks")
NOT_SHIPPED = ("simulatie/voorbeelden/",)  # example scenario files that README commands name by path in the checkout


def _tracked(prefixes) -> list[str]:
    listed = subprocess.run(["git", "ls-files", *prefixes], cwd=ROOT, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.split() if (ROOT / name).exists()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the tracked files: a stale build/ in the checkout cannot slip in."""
    folder = tmp_path_factory.mktemp("wiel")
    source = folder / "bron"
    for name in _tracked(["pyproject.toml", "README.md", *PACKAGES]):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(folder / "dist"), str(source)], check=True, capture_output=True)
    return next((folder / "dist").glob("hvhk-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into a folder of its own (the dependencies come from this environment)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def _environment(installed: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(installed), "PYTHONUNBUFFERED": "1"}


def test_the_wheel_holds_every_file_of_the_packages(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {name for name in _tracked(PACKAGES) if not name.startswith(NOT_SHIPPED)}
    assert sorted(wanted - names) == []
    assert not [name for name in names if name.split("/")[0] not in PACKAGES and ".dist-info/" not in name]


def test_from_another_folder_the_installed_toolkit_is_the_one_that_runs(installed, tmp_path):
    found = subprocess.run([sys.executable, "-c", "import hvhk, notebooks, rapporten; print(hvhk.__file__)"],
                           cwd=tmp_path, env=_environment(installed), capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(installed)
    assert sorted(p.name for p in (installed / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")), "hvhk lab opens these"


def test_from_another_folder_a_report_renders(installed, demo_database, tmp_path):
    connection = store.connect(demo_database)
    naam = store.huizen(connection)["naam"].iloc[0]
    connection.close()
    result = subprocess.run(
        [sys.executable, "-m", "hvhk", "rapporten", "--huis", naam, "--database", str(demo_database),
         "--uitvoer", str(tmp_path / "rapporten")],
        cwd=tmp_path, env=_environment(installed), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (report,) = [p for p in (tmp_path / "rapporten").glob("*.html") if p.name != "index.html"]
    assert "Waar staan we?" in report.read_text()


def test_from_another_folder_the_workshop_serves_its_pages(installed, demo_database, tmp_path):
    database = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, database)
    connection = store.connect(database)
    code = store.new_toegangscode(connection, int(store.alle_rondes(connection)["ronde_id"].iloc[-1]))
    connection.close()
    log = tmp_path / "workshop.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hvhk", "workshop", "--geen-browser", "--netwerk", "--database", str(database)],
            stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path, env=_environment(installed))
    try:
        deadline = time.monotonic() + 120
        while not (partner := re.search(r"Partners openen .*:(\d+)/", log.read_text())):  # printed once they answer
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        page = urllib.request.urlopen(re.search(r"draait op (\S+)", log.read_text()).group(1), timeout=10).read().decode()
        assert "de app wordt geladen" in page, "the Dutch loader, a template shipped in the wheel"
        phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        form = urllib.parse.urlencode({"code": code, "naam": "Wiel"}).encode()
        page = phone.open(f"http://127.0.0.1:{partner.group(1)}/beginnen", form, timeout=10).read().decode()
        assert "stellingen beantwoord" in page and "wachtrij" in page, "the partner's pages, style and script"
    finally:
        process.terminate()
        process.wait(timeout=30)
