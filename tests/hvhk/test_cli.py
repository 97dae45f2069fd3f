"""The `hvhk` command as a user meets it: Dutch help, Dutch one-line errors, exit codes."""

import subprocess
import sys

import pytest

from hvhk.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("hvhk 0.")


def test_help_is_dutch(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: hvhk")
    for word in ("opties:", "opdrachten:", "toon deze hulp en stop", "toon het versienummer en stop", "demo", "workshop"):
        assert word in out


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["onzin"], "onbekende keuze: 'onzin'"),
        (["demo", "--werkers", "0"], "--werkers: moet 1 of meer zijn"),
        (["demo", "--werkers", "twee"], "'twee' is geen geheel getal"),
        (["workshop", "--poort", "70000"], "een poort ligt tussen 1 en 65535"),
        (["demo", "--onbekend"], "onbekende argumenten: --onbekend"),
    ],
)
def test_wrong_arguments_give_dutch_usage_errors(capsys, arguments, expected):
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "fout:" in err


def test_file_that_is_not_a_database_gives_one_dutch_line(tmp_path, capsys):
    not_a_database = tmp_path / "notities.sqlite"
    not_a_database.write_text("boodschappenlijst")
    assert main(["demo", "--database", str(not_a_database), "--uitvoer", str(tmp_path / "uit")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"hvhk: fout: {not_a_database}: geen bruikbare hvhk-database (het bestand is geen SQLite-database)"]
    assert not_a_database.read_text() == "boodschappenlijst"


def test_output_folder_that_is_a_file_gives_one_dutch_line_before_any_work(tmp_path, capsys):
    a_file = tmp_path / "uitvoer"
    a_file.write_text("")
    assert main(["demo", "--database", str(tmp_path / "db.sqlite"), "--uitvoer", str(a_file)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == f"hvhk: fout: {a_file}: bestaat al als bestand; een map werd verwacht"
    assert not (tmp_path / "db.sqlite").exists()


def test_database_in_a_folder_that_cannot_exist(tmp_path, capsys):
    blocker = tmp_path / "bestand"
    blocker.write_text("")
    assert main(["demo", "--database", str(blocker / "hvhk.sqlite"), "--uitvoer", str(tmp_path / "uit")]) == 1
    assert "hvhk: fout: kan de database" in capsys.readouterr().err


def test_installed_command_runs_as_module():
    result = subprocess.run([sys.executable, "-m", "hvhk", "--version"], check=False, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("hvhk ")
