"""The import layers (import-linter contracts in pyproject.toml) and the style (ruff) hold for the tree.

A newcomer who imports a screen from the store, or roadmap from simulatie, fails here with the
chain of imports that breaks the contract.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hvhk", "roadmap", "simulatie", "rapporten")
BIN = Path(sys.executable).parent


def _lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on the packages in `folder`, whatever is installed."""
    return subprocess.run([BIN / "lint-imports", "--no-cache"], cwd=folder, capture_output=True, text=True,
                          env={"PATH": str(BIN), "PYTHONPATH": str(folder)})


def test_imports_point_down_the_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / "roadmap" / "analysis.py").open("a") as analysis:
        analysis.write("\nfrom simulatie import model  # noqa: E402\n")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1
    assert "roadmap.analysis -> simulatie.model" in result.stdout


def test_the_style_holds():
    result = subprocess.run([BIN / "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# The start of a function name in Dutch verbs (imperative, as in `toon`, `laad`), which the naming rule
# of README.md replaces with English ones; nouns of the domain (huis, ronde, ...) are welcome.
DUTCH_VERBS = ("bewaar", "controleer", "exporteer", "importeer", "laad", "lees", "maak", "toon", "vul", "zoek",
               "schrijf", "bereken", "geef", "kies", "sluit", "voeg", "verwijder", "simuleer", "genereer", "teken",
               "stuur", "wacht", "vernieuw", "bouw", "meld", "tel", "zet", "haal", "voer", "werk", "naar")
CLI_COMMANDS = {"_sjabloon", "_importeer", "_exporteer", "_simuleer"}  # handlers named after their Dutch command


def dutch_verb_functions(source: str) -> list[str]:
    return [name for name in re.findall(r"^\s*def (\w+)\(", source, flags=re.MULTILINE)
            if re.fullmatch(rf"_*({'|'.join(DUTCH_VERBS)})(_\w*)?", name) and name not in CLI_COMMANDS]


def test_function_names_use_english_verbs():
    found = [f"{path.relative_to(ROOT)}: {name}" for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
             for name in dutch_verb_functions(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_dutch_verb_is_found():
    source = "def laad(path):\n    pass\n\nclass A:\n    def _toon_code(self): ...\n"
    assert dutch_verb_functions(source) == ["laad", "_toon_code"]
    assert dutch_verb_functions("def load(path): ...\ndef huis_id(x): ...\ndef _importeer(a): ...\ndef _werkmap(): ...") == []
