"""The user guide (docs/gebruikersgids.md) stays true: its commands are ones `hvhk` accepts, its links
lead somewhere, and its images are exactly the screenshots the browser tests write for it."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

from hvhk.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "gebruikersgids.md"
MAX_IMAGE_BYTES = 300_000


def _guide_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("hvhk ")]


def _heading_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("command", _guide_commands())
def test_every_command_in_the_guide_is_accepted_by_hvhk(command, capsys):
    try:
        build_parser().parse_args(shlex.split(command)[1:])
    except SystemExit:
        pytest.fail(f"hvhk weigert '{command}': {capsys.readouterr().err}")


def test_the_guide_has_commands_to_check():
    assert len(_guide_commands()) >= 10


def test_every_link_in_the_guide_leads_to_a_heading_or_a_file():
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {_heading_anchor(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets
    for target in targets:
        if target.startswith("#"):
            assert target[1:] in anchors, f"geen kop voor de link {target}"
        else:
            assert (GUIDE.parent / target).is_file(), f"het bestand van de link {target} bestaat niet"


def test_the_guide_shows_exactly_the_screenshots_the_browser_tests_make_for_it():
    spec = importlib.util.spec_from_file_location("browser_conftest", ROOT / "tests" / "browser" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    shown = re.findall(r"!\[([^\]]*)\]\(img/([^)]+)\.png\)", GUIDE.read_text(encoding="utf-8"))
    assert all(alt.strip() for alt, _ in shown), "every image needs a Dutch description"
    names = [name for _, name in shown]
    assert sorted(names) == sorted(set(names)), "an image is shown twice"
    assert set(names) == set(conftest.GIDS_BEELDEN), "guide and browser tests disagree on the images"
    files = {path.stem: path for path in conftest.GIDS.glob("*")}
    assert set(files) == set(names), "docs/img/ holds images the guide does not show, or misses some"
    for path in files.values():
        assert path.suffix == ".png" and path.stat().st_size < MAX_IMAGE_BYTES, path
