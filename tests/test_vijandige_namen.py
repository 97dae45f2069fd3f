"""Names a careless or hostile user types — HTML, paths, quotes, emoji, right-to-left marks — travel
through the store, the export and the report batch: stored unchanged, shown escaped, and never
able to write outside the output folder."""

from html import unescape
from pathlib import Path

import openpyxl
import pandas as pd

from hvhk.cli import main
from roadmap import store
from roadmap.definition import load_roadmap

NAMEN = [
    "<img src=x onerror=alert(1)>",
    "../../../tmp/ontsnapt",
    "Huis \"De Brug\" 's-Gravenwezel & co",
    "Huis 🎈 Zoë\u202eevil",
]


def _database(path: Path) -> Path:
    roadmap = load_roadmap()
    stellingen = roadmap.stellingen["stelling_id"].head(3).tolist()
    connection = store.connect(path)
    for index, naam in enumerate(NAMEN):
        huis = store.save_huis(connection, naam, ["44086"])
        ronde = store.save_ronde(connection, huis, 1, "2026-03-01", roadmap)
        deelnemer = store.save_deelnemer(connection, ronde, f"{naam} (deelnemer)", NAMEN[index - 1], "onderwijs")
        store.save_antwoorden(connection, deelnemer, pd.DataFrame(
            {"stelling_id": stellingen, "keuze": "niveau", "niveau": [1, 2, 3], "toelichting": naam}))
    connection.close()
    return path


def test_names_are_stored_as_typed_exported_only_when_asked_and_kept_inside_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path / "uitvoer"))
    monkeypatch.chdir(tmp_path)
    database = _database(tmp_path / "hvhk.sqlite")
    connection = store.connect(database)
    assert sorted(store.huizen(connection)["naam"]) == sorted(NAMEN)
    connection.close()

    for naam in NAMEN:
        assert main(["roadmap", "exporteer", "--huis", naam, "--database", str(database)]) == 0
        assert main(["roadmap", "exporteer", "--huis", naam, "--met-namen", "--database", str(database),
                     "--uitvoer", str(tmp_path / "met-namen.xlsx")]) == 0
        cells = {cell.value for sheet in openpyxl.load_workbook(tmp_path / "met-namen.xlsx")
                 for row in sheet.iter_rows() for cell in row}
        assert f"{naam} (deelnemer)" in cells  # asked for: the name exactly as typed
    exports = list((tmp_path / "uitvoer" / "export").iterdir())
    assert len(exports) == len(NAMEN) and all(path.suffix == ".xlsx" for path in exports)
    for path in exports:
        cells = {cell.value for sheet in openpyxl.load_workbook(path) for row in sheet.iter_rows() for cell in row}
        assert not any(f"{naam} (deelnemer)" in cells for naam in NAMEN)  # not asked for: no names
    assert not (Path("/tmp") / "ontsnapt").exists() and not list(tmp_path.parent.glob("ontsnapt*"))


def test_reports_show_the_names_escaped_and_stay_in_their_folder(tmp_path):
    database = _database(tmp_path / "hvhk.sqlite")
    output = tmp_path / "rapporten"
    assert main(["rapporten", "--alle", "--database", str(database), "--uitvoer", str(output),
                 "--simulatie", str(tmp_path / "geen.csv")]) == 0
    written = [path for path in tmp_path.rglob("*") if path.is_file() and path != database
               and not path.name.startswith("hvhk.sqlite")]
    assert written and all(path.resolve().is_relative_to(output.resolve()) for path in written)
    index = (output / "index.html").read_text(encoding="utf-8")
    reports = [path.read_text(encoding="utf-8") for path in output.glob("0*.html")]
    assert len(reports) == len(NAMEN)
    for page in [index, *reports]:
        assert "<img src=x" not in page and "onerror=alert(1)>" not in page
    shown = [unescape(page) for page in reports]  # the text a reader sees
    for naam in NAMEN:
        assert naam in unescape(index)
        assert sum(naam in page for page in shown) == 1  # its own report, and only that one
    assert not any(f"{naam} (deelnemer)" in page for naam in NAMEN for page in [index, *reports])
