"""`hvhk simuleer` as a loket coordinator uses it: scenario files in, a tidy table and a Dutch summary out."""

import re

import openpyxl
import pandas as pd
import pytest

from hvhk import demodata
from hvhk.cli import main
from simulatie import profiel
from simulatie.experiment import run_replicaties
from simulatie.scenario import Scenario, scaled_locaties

SHORT = "naam: basis\njaren: 2\nopwarmjaren: 1\n"


def _file(folder, name, content):
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def test_demo_gemeente_gives_tidy_csv_and_dutch_summary(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path / "uitvoer"))
    scenario = _file(tmp_path, "basis.yaml", SHORT)
    assert main(["simuleer", "--gemeente", "Kaprijke", "--scenario", str(scenario), "--replicaties", "3",
                 "--werkers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lokaal loket kinderopvang van Kaprijke (43007): 3 replicaties per scenario, seed 43007.\n")
    assert "uit de fictieve demogegevens: geboorten_per_jaar, plaatsen, loket_medewerkers" in out
    assert re.search(r"^Maat +basis +95%-interval$", out, re.MULTILINE)
    assert re.search(r"^Tijdig geplaatst, alle gezinnen +\d+,\d\u00a0% +\d+,\d\u00a0% – \d+,\d\u00a0%$", out, re.MULTILINE)
    assert "Verschil" not in out

    path = tmp_path / "uitvoer" / "simulatie" / "kaprijke-basis.csv"
    assert f"\nResultaten per scenario, replicatie en maat: {path}\n" in out
    assert out.rstrip().endswith("Het loketrapport van Kaprijke (het eerste scenario als huidige situatie):"
                                 " hvhk rapporten --gemeente 43007")
    table = pd.read_csv(path, dtype={"gemeente": str})
    assert list(table.columns) == ["gemeente", "scenario", "replicatie", "maat", "waarde"]
    assert set(table["gemeente"]) == {"43007"} and set(table["scenario"]) == {"basis"}
    # the demo figures of Kaprijke and its NIS code as seed: the numbers of the API itself
    figures = demodata.loket_cijfers().set_index("nis").loc["43007"]
    expected = run_replicaties(Scenario(gemeente="43007", geboorten_per_jaar=float(figures["geboorten_per_jaar"]),
                                        plaatsen=int(figures["plaatsen"]),
                                        loket_medewerkers=int(figures["loket_medewerkers"]), jaren=2, opwarmjaren=1),
                               3, seed=43007)
    wide = table.pivot(index="replicatie", columns="maat", values="waarde")[expected.columns[1:]]
    pd.testing.assert_frame_equal(wide.reset_index(), expected, check_names=False)
    assert table["maat"].head(len(expected.columns) - 1).tolist() == list(expected.columns[1:])  # run by run


def test_second_scenario_is_compared_with_the_first(tmp_path, capsys):
    basis = _file(tmp_path, "basis.yaml", SHORT)
    minder = _file(tmp_path, "minder.json", '{"naam": "minder plaatsen", "plaatsen": 60}')
    output = tmp_path / "vergelijking.parquet"
    assert main(["simuleer", "--gemeente", "43007", "--scenario", str(basis), "--scenario", str(minder),
                 "--replicaties", "4", "--werkers", "2", "--seed", "7", "--uitvoer", str(output)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Maat +basis +95%-interval +minder plaatsen +95%-interval$", out, re.MULTILINE)
    assert "\nVerschil minder plaatsen − basis (per replicatie dezelfde gezinnen):\n" in out
    assert re.search(r"^Aanvragen bij het loket per jaar +0,0 +0,0 – 0,0$", out, re.MULTILINE)  # the same gezinnen
    assert re.search(r"^Tijdig geplaatst, alle gezinnen \(%-punt\) +-\d+,\d +-\d+,\d – -\d+,\d +\*$", out, re.MULTILINE)
    assert "* het 95%-interval bevat 0 niet" in out

    table = pd.read_parquet(output)
    assert table.groupby("scenario").size().to_dict() == {"basis": 4 * table["maat"].nunique(),
                                                         "minder plaatsen": 4 * table["maat"].nunique()}
    requests = table.loc[table["maat"] == "aanvragen_per_jaar"].pivot(index="replicatie", columns="scenario",
                                                                     values="waarde")
    assert (requests["basis"] == requests["minder plaatsen"]).all()  # same streams, and jaren from the first file


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("onbekend.yaml", "plaats: 300\n", "Scenario 'onbekend': onbekend veld 'plaats' (bedoelt u 'plaatsen'?)"),
        ("negatief.yaml", "plaatsen: -3\n", "Scenario 'negatief', veld plaatsen: moet 0 of meer zijn (gekregen: -3)"),
        ("kapot.yaml", "plaatsen: [3\n", "geen geldig YAML-bestand (fout op regel 2)"),
        ("kapot.json", '{"plaatsen": 3,}', "geen geldig JSON-bestand (fout op regel 1)"),
        ("lijst.yaml", "- plaatsen\n", "verwacht velden van een scenario met hun waarde"),
        ("ontbreekt.yaml", None, "bestaat niet"),
    ],
)
def test_bad_scenario_file_is_one_dutch_line_naming_the_file(tmp_path, capsys, name, content, problem):
    path = tmp_path / name if content is None else _file(tmp_path, name, content)
    assert main(["simuleer", "--gemeente", "Kaprijke", "--scenario", str(path), "--werkers", "1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"hvhk: fout: {path}: ") and problem in error
    assert error.count("\n") == 1
    assert not (tmp_path / "uitvoer").exists()


def test_unknown_gemeente_and_missing_figures_are_dutch_errors(tmp_path, capsys):
    scenario = _file(tmp_path, "basis.yaml", SHORT)
    assert main(["simuleer", "--gemeente", "Atlantis", "--scenario", str(scenario)]) == 1
    assert capsys.readouterr().err.startswith("hvhk: fout: onbekende gemeente 'Atlantis'")
    assert main(["simuleer", "--gemeente", "Gent", "--scenario", str(scenario)]) == 1
    assert capsys.readouterr().err == (
        f"hvhk: fout: {scenario}: geen democijfers voor Gent (44021); geef geboorten_per_jaar, plaatsen,"
        " loket_medewerkers in het scenariobestand\n"
    )
    other = _file(tmp_path, "elders.yaml", "gemeente: 44021\n")
    assert main(["simuleer", "--gemeente", "Kaprijke", "--scenario", str(other)]) == 1
    assert "veld gemeente (44021) verschilt van --gemeente (43007)" in capsys.readouterr().err


def test_the_loket_report_shows_the_scenarios_of_hvhk_simuleer(tmp_path, capsys, demo_database):
    basis = _file(tmp_path, "basis.yaml", SHORT)
    meer = _file(tmp_path, "meer.yaml", "naam: dubbel zoveel plaatsen\nplaatsen: 200\n")
    assert main(["simuleer", "--gemeente", "Kaprijke", "--scenario", str(basis), "--scenario", str(meer),
                 "--replicaties", "3", "--werkers", "1"]) == 0
    assert main(["simuleer", "--gemeente", "Eeklo", "--scenario", str(basis), "--replicaties", "2", "--werkers", "1"]) == 0
    capsys.readouterr()
    table = pd.read_csv(tmp_path / "uitvoer" / "simulatie" / "loket.csv", dtype={"nis": str})
    assert set(table["nis"]) == {"43007", "43005"}  # a second gemeente is added, the first one kept
    assert set(table.loc[table["nis"] == "43007", "scenario"]) == {"huidige situatie", "dubbel zoveel plaatsen"}

    output = tmp_path / "rapporten"
    assert main(["rapporten", "--gemeente", "Kaprijke", "--database", str(demo_database), "--uitvoer", str(output)]) == 0
    assert "1 rapporten: 1 gemaakt" in capsys.readouterr().out
    html = (output / "gemeente-43007-kaprijke.html").read_text(encoding="utf-8")
    assert "Dubbel zoveel plaatsen" in html and "fictieve demogegevens" in html  # its figures came from the demo

    long_form = next((tmp_path / "uitvoer" / "simulatie").glob("kaprijke-*.csv"))
    assert main(["rapporten", "--gemeente", "Kaprijke", "--database", str(demo_database), "--uitvoer", str(output),
                 "--simulatie", str(long_form)]) == 1
    error = capsys.readouterr().err
    assert f"hvhk: fout: {long_form}: geen simulatietabel voor de loketrapporten; kolommen ontbreken: nis," in error
    assert "Dit is een resultatenbestand van hvhk simuleer" in error


def _profile(tmp_path, capsys, gemeenten):
    """A gemeenteprofiel made with hvhk simuleer --profiel-sjabloon and filled in as a gemeente would."""
    path = tmp_path / "profiel.xlsx"
    assert main(["simuleer", "--profiel-sjabloon", str(path)]) == 0
    assert capsys.readouterr().out == f"Sjabloon geschreven: {path}\nVul het in en simuleer met: hvhk simuleer --profiel {path}\n"
    book = openpyxl.load_workbook(path)
    for gemeente, geboorten, locaties in gemeenten:
        book["gemeenten"].append([gemeente, geboorten, 1, 4, 5, 0.2, 0.8, 0.2, 0.01])
        for naam, soort, plaatsen in locaties:
            book["locaties"].append([gemeente, naam, soort, plaatsen])
    book.save(path)
    return path


KAPRIJKE = ("Kaprijke", 60, [("De Speelboot", "inkomenstarief", 30), ("Het Kabouterhuis", "vaste_prijs", 12)])
EEKLO = ("43005", 80, [("De Vlinder", "subsidie_kwetsbaar", 50)])


def test_one_gemeente_of_a_profile_is_its_current_situation(tmp_path, capsys):
    path = _profile(tmp_path, capsys, [KAPRIJKE, EEKLO])
    assert main(["simuleer", "--profiel", str(path), "--gemeente", "Kaprijke", "--replicaties", "2", "--werkers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lokaal loket kinderopvang van Kaprijke (43007): 2 replicaties per scenario, seed 43007.\n"
                          f"De huidige situatie komt uit het gemeenteprofiel {path}.\n")
    assert re.search(r"^Maat +huidige situatie +95%-interval$", out, re.MULTILINE) and "Eeklo" not in out

    table = pd.read_csv(tmp_path / "uitvoer" / "simulatie" / "kaprijke-huidige-situatie.csv", dtype={"gemeente": str})
    expected = run_replicaties(profiel.read(path)["43007"], 2, seed=43007)
    wide = table.pivot(index="replicatie", columns="maat", values="waarde")[expected.columns[1:]]
    pd.testing.assert_frame_equal(wide.reset_index(), expected, check_names=False)
    report = pd.read_csv(tmp_path / "uitvoer" / "simulatie" / "loket.csv", dtype={"nis": str})
    assert set(report["nis"]) == {"43007"} and set(report["gegevens"]) == {"gemeenteprofiel"}
    assert set(report["plaatsen"]) == {42} and set(report["geboorten_per_jaar"]) == {60}


def test_all_gemeenten_of_a_profile_are_compared_with_a_scenario_file(tmp_path, capsys):
    path = _profile(tmp_path, capsys, [KAPRIJKE, EEKLO])
    fifo = _file(tmp_path, "fifo.yaml", "naam: wie eerst komt\nbeleid: fifo\n")
    assert main(["simuleer", "--profiel", str(path), "--scenario", str(fifo), "--replicaties", "2", "--werkers", "1"]) == 0
    out = capsys.readouterr().out
    assert "\n\nLokaal loket kinderopvang van Eeklo (43005): 2 replicaties per scenario, seed 43005.\n" in out
    assert out.count("\nVerschil wie eerst komt − huidige situatie (per replicatie dezelfde gezinnen):\n") == 2
    report = pd.read_csv(tmp_path / "uitvoer" / "simulatie" / "loket.csv", dtype={"nis": str})
    assert report.groupby("nis")["scenario"].unique().map(set).to_dict() == {
        "43005": {"huidige situatie", "wie eerst komt"}, "43007": {"huidige situatie", "wie eerst komt"}}
    assert set(report.loc[report["nis"] == "43005", "plaatsen"]) == {50}  # the file changes the beleid only
    assert {p.name for p in (tmp_path / "uitvoer" / "simulatie").iterdir()} == {
        "loket.csv", "kaprijke-huidige-situatie-wie-eerst-komt.csv", "eeklo-huidige-situatie-wie-eerst-komt.csv"}


def test_a_profile_with_a_mistake_simulates_nothing(tmp_path, capsys):
    path = _profile(tmp_path, capsys, [KAPRIJKE, ("Eeklo", 80, [("De Vlinder", "crèche", 50)])])
    assert main(["simuleer", "--profiel", str(path), "--replicaties", "2", "--werkers", "1"]) == 1
    assert capsys.readouterr().err == (f"hvhk: fout: {path}: blad 'locaties', rij 4, kolom C (soort): onbekende soort"
                                       " 'crèche'; kies inkomenstarief, vaste_prijs of subsidie_kwetsbaar\n")
    assert not (tmp_path / "uitvoer").exists()  # Kaprijke, before the mistake, is not simulated either


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["--gemeente", "Kaprijke"], "geef --gemeente en --scenario BESTAND, of --profiel BESTAND met de eigen cijfers"
         " van de gemeenten (een leeg profiel maakt u met --profiel-sjabloon BESTAND)"),
        (["--profiel", "{profiel}", "--gemeente", "Gent"], "{profiel}: Gent (44021) staat niet in het profiel; het bevat"
         " Kaprijke, Eeklo"),
        (["--profiel", "{profiel}", "--uitvoer", "alles.csv"], "--uitvoer schrijft één gemeente, maar {profiel} bevat er 2;"
         " kies er één met --gemeente, of laat --uitvoer weg voor een bestand per gemeente"),
        (["--profiel-sjabloon", "nieuw.xlsx", "--gemeente", "Gent"], "--profiel-sjabloon schrijft alleen het sjabloon;"
         " geef het zonder --gemeente, --scenario of --profiel"),
        (["--profiel-sjabloon", "nieuw.ods"], "nieuw.ods: een sjabloon is een .xlsx- of .csv-bestand"),
    ],
)
def test_profile_options_that_do_not_fit_are_dutch_errors(tmp_path, capsys, monkeypatch, arguments, problem):
    monkeypatch.chdir(tmp_path)
    path = str(_profile(tmp_path, capsys, [KAPRIJKE, EEKLO]))
    assert main(["simuleer", *(a.format(profiel=path) for a in arguments)]) == 1
    assert capsys.readouterr().err == f"hvhk: fout: {problem.format(profiel=path)}\n"
    assert not (tmp_path / "uitvoer").exists() and not (tmp_path / "nieuw.xlsx").exists()


def test_a_scenario_with_more_places_grows_each_location_of_the_profile_in_proportion(tmp_path, capsys):
    path = _profile(tmp_path, capsys, [KAPRIJKE])  # 30 places inkomenstarief, 12 vaste prijs
    meer = _file(tmp_path, "meer.yaml", "naam: dubbel\nplaatsen: 84\n")
    assert main(["simuleer", "--profiel", str(path), "--scenario", str(meer), "--replicaties", "2", "--werkers", "1"]) == 0
    report = pd.read_csv(tmp_path / "uitvoer" / "simulatie" / "loket.csv", dtype={"nis": str})
    assert set(report.loc[report["scenario"] == "dubbel", "plaatsen"]) == {84}
    assert scaled_locaties((30, 12), 84) == (60, 24) and scaled_locaties((30, 12), 43) == (31, 12)
