"""The `hvhk` command: a thin Dutch layer over functions that notebooks and tests call too."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import hvhk
from hvhk.base.errors import GebruikersFout, describe_os_error
from hvhk.base.files import slug
from hvhk.base.paths import database_path, output_dir
from hvhk.base.processes import end_quickly

if TYPE_CHECKING:
    from simulatie.scenario import Scenario

# argparse builds its own messages with gettext; these are the ones a user of `hvhk` can meet.
_ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "onbekende keuze: %(value)r (kies uit %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "expected one argument": "verwacht één waarde",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_DUTCH.get(text, text)  # type: ignore[attr-defined]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"moet 1 of meer zijn (gekregen: {value})")
    return value


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"een poort ligt tussen 1 en 65535 (gekregen: {value})")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hvhk",
        description="Toolkit voor de Huizen van het Kind: Roadmap-zelfevaluatie, simulatie van het"
        " lokaal loket kinderopvang en rapporten per Huis.",
    )
    parser.add_argument(
        "--version", action="version", version=f"hvhk {hvhk.__version__}", help="toon het versienummer en stop"
    )
    commands = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", title="opdrachten")

    demo = commands.add_parser(
        "demo",
        help="laad de demogegevens, simuleer de loketten en maak de rapporten",
        description="Laadt de fictieve demogegevens in de database, simuleert het lokaal loket"
        " kinderopvang van elke demogemeente en maakt één rapport per Huis met een overzichtspagina.",
    )
    _add_database(demo)
    demo.add_argument(
        "--uitvoer", type=Path, default=None, metavar="MAP", help="map voor de rapporten (standaard: uitvoer)"
    )
    demo.add_argument("--werkers", type=_positive, default=2, metavar="N",
                      help="aantal processen tegelijk voor de simulaties en de rapporten (standaard: 2)")
    demo.set_defaults(run=_demo)

    workshop = commands.add_parser(
        "workshop",
        help="open de workshop-app in de browser",
        description="Start de apps (workshop, resultaten, loket-scenario's, rapporten) op deze computer"
        " (127.0.0.1) en toont hun adressen. Met --netwerk kunnen partners op hun eigen toestel invullen.",
    )
    _add_database(workshop)
    _add_server_options(workshop)
    workshop.add_argument(
        "--netwerk", action="store_true",
        help="laat partners op hun eigen toestel invullen via het lokale netwerk, met een toegangscode per ronde",
    )
    workshop.set_defaults(run=_workshop)

    lab = commands.add_parser(
        "lab",
        help="open JupyterLab met de notebooks, voor eigen analyses",
        description="Start JupyterLab op deze computer (127.0.0.1) in de map notebooks, met de notebooks van de"
        " toolkit (die er nog niet staan, worden erin gekopieerd; uw eigen versies blijven staan). Elk notebook"
        " werkt met de gekozen database; analyse.ipynb laadt alle Huizen in tabellen (pandas).",
    )
    _add_database(lab)
    _add_server_options(lab)
    lab.set_defaults(run=_lab)
    _add_roadmap_commands(commands)
    _add_bundel_commands(commands)
    _add_rapporten_command(commands)
    _add_simuleer_command(commands)
    _add_controle_command(commands)
    return parser


def _add_roadmap_commands(commands: argparse._SubParsersAction) -> None:
    roadmap = commands.add_parser(
        "roadmap",
        help="Excel-sjabloon maken, antwoorden inlezen of exporteren",
        description="Werken met Roadmap-antwoorden buiten de workshop-app: een Excel-sjabloon per Huis"
        " maken, ingevulde sjablonen of CSV-bestanden inlezen, en de gegevens van een Huis exporteren.",
    )
    actions = roadmap.add_subparsers(dest="actie", metavar="ACTIE", title="acties", required=True)

    template = actions.add_parser(
        "sjabloon",
        help="maak een Excel-sjabloon om in te vullen",
        description="Maakt een Excel-bestand met een kolom per partner en keuzelijsten op de schaal.",
    )
    template.add_argument("--huis", required=True, metavar="NAAM", help="naam van het Huis van het Kind")
    template.add_argument(
        "--deelnemers", type=_positive, default=12, metavar="N", help="aantal kolommen voor partners (standaard: 12)"
    )
    template.add_argument(
        "--uitvoer", type=Path, default=None, metavar="BESTAND",
        help="het .xlsx-bestand (standaard: uitvoer/sjablonen/roadmap-HUIS.xlsx)",
    )
    _add_roadmap_file(template)
    template.set_defaults(run=_sjabloon)

    load = actions.add_parser(
        "importeer",
        help="lees een ingevuld sjabloon (.xlsx) of CSV-bestand in",
        description="Leest een ingevuld Excel-sjabloon of een CSV-bestand in lange vorm"
        " (deelnemer;organisatie;levensdomein;id;antwoord;toelichting) in een ronde van een Huis."
        " Bevat het bestand een fout, dan wordt niets ingelezen en staat elke fout met rij en kolom in de melding.",
    )
    load.add_argument("bestand", type=Path, metavar="BESTAND", help="het .xlsx- of .csv-bestand")
    load.add_argument("--huis", required=True, metavar="NAAM", help="naam van het Huis van het Kind")
    load.add_argument(
        "--gemeente", action="append", default=[], metavar="GEMEENTE",
        help="gemeente (naam of NIS-code) van een nieuw Huis; herhaal voor meer gemeenten",
    )
    load.add_argument(
        "--ronde", type=_positive, default=None, metavar="N", help="ronde om in te lezen (standaard: een nieuwe ronde)"
    )
    load.add_argument("--datum", type=_date, default=None, metavar="JJJJ-MM-DD",
                      help="datum van een nieuwe ronde (standaard: vandaag)")
    _add_database(load)
    _add_roadmap_file(load)
    load.set_defaults(run=_importeer)

    export = actions.add_parser(
        "exporteer",
        help="exporteer de gegevens van een Huis",
        description="Schrijft één ronde als CSV in lange vorm (.csv, opnieuw in te lezen) of alle gegevens van"
        " een Huis als Excel-werkmap (.xlsx). Deelnemers heten 'Partner A', 'Partner B', ... tenzij u"
        " --met-namen opgeeft.",
    )
    export.add_argument("--huis", required=True, metavar="NAAM", help="naam van het Huis van het Kind")
    export.add_argument(
        "--uitvoer", type=Path, default=None, metavar="BESTAND",
        help=".csv of .xlsx (standaard: uitvoer/export/HUIS.xlsx)",
    )
    export.add_argument("--ronde", type=_positive, default=None, metavar="N", help="ronde voor een .csv (standaard: de laatste)")
    export.add_argument("--met-namen", action="store_true", help="toon de namen en organisaties van de deelnemers")
    _add_database(export)
    export.set_defaults(run=_exporteer)


def _add_bundel_commands(commands: argparse._SubParsersAction) -> None:
    bundel = commands.add_parser(
        "bundel",
        help="een Huis als één bestand meenemen naar een andere database",
        description="Een bundel is één bestand met alles van een Huis: gemeenten, rondes met hun Roadmap-tekst,"
        " deelnemers, antwoorden, belang, toelichtingen, de bespreking, prioriteiten en acties. Een trainer"
        " verzamelt de bundels van de Huizen en leest ze in één database in, zonder dubbels.",
    )
    actions = bundel.add_subparsers(dest="actie", metavar="ACTIE", title="acties", required=True)
    export = actions.add_parser(
        "exporteer", help="schrijf de bundel van een Huis",
        description="Schrijft de bundel van een Huis. Deelnemers heten 'Partner A', 'Partner B', ... en staan er"
        " zonder organisatie in, tenzij u --met-namen opgeeft.",
    )
    export.add_argument("--huis", required=True, metavar="NAAM", help="naam van het Huis van het Kind")
    export.add_argument("--uitvoer", type=Path, default=None, metavar="BESTAND",
                        help="het bundelbestand (standaard: uitvoer/bundels/HUIS.zip)")
    export.add_argument("--met-namen", action="store_true", help="neem de namen en organisaties van de deelnemers op")
    _add_database(export)
    export.set_defaults(run=_bundel_exporteer)
    load = actions.add_parser(
        "importeer", help="lees bundels in",
        description="Leest bundels in deze database in. Elke bundel wordt helemaal of helemaal niet ingelezen."
        " Dezelfde bundel opnieuw verandert niets; een nieuwere bundel van hetzelfde Huis voegt zijn nieuwe"
        " rondes en wijzigingen toe. Heeft deze database zelf iets gewijzigd dat de bundel anders heeft, dan"
        " wordt de bundel geweigerd, met het Huis, de ronde en de deelnemer in de melding.",
    )
    load.add_argument("bestanden", type=Path, nargs="+", metavar="BESTAND", help="een of meer bundels")
    _add_database(load)
    load.set_defaults(run=_bundel_importeer)


def _add_simuleer_command(commands: argparse._SubParsersAction) -> None:
    simuleer = commands.add_parser(
        "simuleer",
        help="simuleer het lokaal loket van een gemeente en vergelijk scenario's",
        description="Simuleert het lokaal loket kinderopvang van een gemeente voor een scenario uit een YAML- of"
        " JSON-bestand, een aantal keer met telkens andere toevalsgetallen (replicaties), en toont per maat het"
        " gemiddelde en het 95%-interval. Elk volgend --scenario wordt vergeleken met het eerste: per replicatie"
        " krijgen beide scenario's dezelfde gezinnen, zodat het verschil het effect van de wijziging is; zo'n"
        " bestand geeft alleen de velden die veranderen. Voor een demogemeente vullen de fictieve democijfers"
        " geboorten_per_jaar, plaatsen en loket_medewerkers aan; voor een andere gemeente geeft het eerste"
        " scenariobestand ze. Het eerste scenario is de huidige situatie: de resultaten komen ook in"
        " uitvoer/simulatie/loket.csv, waaruit hvhk rapporten --gemeente het loketrapport maakt. Met --profiel komt"
        " de huidige situatie uit een gemeenteprofiel met de eigen cijfers van de gemeente (geboorten, locaties met"
        " hun soort en plaatsen, loket, aandelen per groep); elk --scenario wordt er dan mee vergeleken. Een leeg"
        " profiel om in te vullen maakt u met --profiel-sjabloon.",
    )
    simuleer.add_argument(
        "--gemeente", metavar="GEMEENTE",
        help="naam of NIS-code van de gemeente; met --profiel: alleen deze gemeente uit het profiel",
    )
    simuleer.add_argument(
        "--scenario", action="append", default=[], type=Path, metavar="BESTAND",
        help="scenariobestand (.yaml of .json); herhaal om scenario's te vergelijken met het eerste, of met --profiel"
        " met de huidige situatie uit het profiel",
    )
    simuleer.add_argument(
        "--profiel", type=Path, default=None, metavar="BESTAND",
        help="gemeenteprofiel (.xlsx of .csv) met de eigen cijfers van een of meer gemeenten: hun huidige situatie;"
        " zonder --gemeente worden alle gemeenten erin gesimuleerd, na elkaar",
    )
    simuleer.add_argument(
        "--profiel-sjabloon", type=Path, default=None, metavar="BESTAND",
        help="schrijf een leeg gemeenteprofiel om in te vullen (.xlsx met uitleg, of .csv) en stop",
    )
    simuleer.add_argument(
        "--replicaties", type=_positive, default=30, metavar="N", help="aantal replicaties per scenario (standaard: 30)"
    )
    simuleer.add_argument(
        "--seed", type=_positive, default=None, metavar="N",
        help="startgetal van het toeval: hetzelfde getal geeft dezelfde resultaten (standaard: de NIS-code)",
    )
    simuleer.add_argument("--werkers", type=_positive, default=2, metavar="N", help="aantal processen tegelijk (standaard: 2)")
    simuleer.add_argument(
        "--dask", default=None, metavar="ADRES",
        help="reken op een Dask-cluster (bv. tcp://server:8786) in plaats van op deze computer",
    )
    simuleer.add_argument(
        "--uitvoer", type=_result_file, default=None, metavar="BESTAND",
        help="resultaten per scenario, replicatie en maat als .csv of .parquet, voor één gemeente"
        " (standaard: uitvoer/simulatie/GEMEENTE-SCENARIO.csv)",
    )
    simuleer.set_defaults(run=_simuleer)


def _result_file(text: str) -> Path:
    path = Path(text)
    if path.suffix not in (".csv", ".parquet"):
        raise argparse.ArgumentTypeError(f"'{text}' moet eindigen op .csv of .parquet")
    return path


def _add_rapporten_command(commands: argparse._SubParsersAction) -> None:
    reports = commands.add_parser(
        "rapporten",
        help="maak de rapporten per Huis, met een overzichtspagina",
        description="Maakt één rapport per Huis en, uit de loketsimulatie, één loketrapport per gemeente (HTML,"
        " en PDF met --pdf), met een overzichtspagina index.html."
        " Rapporten waarvan niets veranderde, blijven staan; een onderbroken opdracht maakt bij een volgende"
        " keer alleen af wat ontbreekt. Mislukt een rapport, dan gaan de andere door en eindigt de opdracht"
        " met code 1.",
    )
    which = reports.add_mutually_exclusive_group(required=True)
    which.add_argument("--alle", action="store_true", help="alle Huizen in de database")
    which.add_argument("--huis", action="append", metavar="NAAM", help="één Huis; herhaal voor meer Huizen")
    which.add_argument(
        "--gemeente", action="append", metavar="GEMEENTE",
        help="het loketrapport van één gemeente (naam of NIS-code); herhaal voor meer gemeenten",
    )
    reports.add_argument("--pdf", action="store_true", help="maak ook een PDF van elk rapport (met chromium)")
    reports.add_argument(
        "--werkers", type=_positive, default=2, metavar="N", help="aantal rapporten tegelijk (standaard: 2)"
    )
    reports.add_argument(
        "--dask", default=None, metavar="ADRES",
        help="maak de rapporten op een Dask-cluster (bv. tcp://server:8786) in plaats van op deze computer;"
        " de werkers moeten de database en de uitvoermap op hetzelfde pad zien",
    )
    reports.add_argument(
        "--uitvoer", type=Path, default=None, metavar="MAP", help="map voor de rapporten (standaard: uitvoer/rapporten)"
    )
    reports.add_argument(
        "--simulatie", type=Path, default=None, metavar="BESTAND",
        help="resultaten van de loketsimulatie (standaard: uitvoer/simulatie/loket.csv, die hvhk demo en hvhk"
        " simuleer bijwerken)",
    )
    _add_database(reports)
    reports.set_defaults(run=_rapporten)


def _add_controle_command(commands: argparse._SubParsersAction) -> None:
    controle = commands.add_parser(
        "controle",
        help="controleer een database en het Roadmap-bestand",
        description="Controleert of de database een onbeschadigde hvhk-database is, of de antwoorden, deelnemers"
        " en belangen van elke ronde bij de Roadmap-versie van die ronde passen, of elk Huis bestaande gemeenten"
        " heeft, en of het Roadmap-bestand klopt. Elk probleem staat op één regel. De database wordt alleen"
        " gelezen, nooit gewijzigd, behalve met --herstel. Eindigt met code 1 als er fouten zijn.",
    )
    _add_database(controle)
    _add_roadmap_file(controle)
    controle.add_argument(
        "--herstel", action="store_true",
        help="schrijf eerst de antwoorden die de vergelijking van alle rondes leest opnieuw uit de bewaarde"
        " antwoorden (nodig als een ander programma antwoorden schreef), en controleer dan",
    )
    controle.set_defaults(run=_controle)


def _add_roadmap_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--roadmap", type=Path, default=None, metavar="BESTAND",
        help="een aangepast Roadmap-bestand (standaard: de meegeleverde Roadmap)",
    )


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum (JJJJ-MM-DD)") from None


def _add_database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", type=Path, default=None, metavar="BESTAND",
        help="SQLite-bestand (standaard: data/hvhk.sqlite)",
    )


def _demo(arguments: argparse.Namespace) -> int:
    from hvhk.demo import run_demo

    index = run_demo(
        database=arguments.database or database_path(),
        uitvoer=arguments.uitvoer or output_dir(),
        werkers=arguments.werkers,
    )
    print(f"Klaar. Open de rapporten via {index}")
    return 0


def _workshop(arguments: argparse.Namespace) -> int:
    from hvhk.workshop import serve

    serve(
        arguments.database or database_path(), arguments.poort, open_browser=not arguments.geen_browser,
        netwerk=arguments.netwerk,
    )


def _add_server_options(command: argparse.ArgumentParser) -> None:
    """The options of a command that serves pages in the browser: its port, and whether to open a window."""
    command.add_argument("--poort", type=_port, default=0, metavar="POORT", help="poort (standaard: een vrije poort)")
    command.add_argument("--geen-browser", action="store_true", help="open niet zelf een browservenster")


def _lab(arguments: argparse.Namespace) -> int:
    from hvhk.lab import serve

    return serve(arguments.database or database_path(), arguments.poort, open_browser=not arguments.geen_browser)


def _sjabloon(arguments: argparse.Namespace) -> int:
    from roadmap.definition import load_roadmap
    from roadmap.io.excel import write_template

    path = arguments.uitvoer or output_dir() / "sjablonen" / f"roadmap-{slug(arguments.huis)}.xlsx"
    write_template(path, load_roadmap(arguments.roadmap), arguments.huis, arguments.deelnemers)
    print(f"Sjabloon geschreven: {path}")
    return 0


def _importeer(arguments: argparse.Namespace) -> int:
    from hvhk.base.formatting import as_number
    from hvhk.base.gemeenten import find_gemeente
    from roadmap import store
    from roadmap.definition import load_roadmap
    from roadmap.io.importing import import_file

    roadmap = load_roadmap(arguments.roadmap)
    connection = store.connect(arguments.database or database_path())
    try:
        with store.transaction(connection):  # a new Huis is only kept when its file is read in too
            if arguments.gemeente:
                huis_id = store.save_huis(connection, arguments.huis, [find_gemeente(g) for g in arguments.gemeente])
            else:
                huis_id = store.huis_id(connection, arguments.huis)
            verslag = import_file(connection, arguments.bestand, huis_id, roadmap, arguments.ronde, arguments.datum)
    finally:
        connection.close()
    print(
        f"Ingelezen in ronde {verslag.nummer} van '{arguments.huis}': {as_number(verslag.deelnemers, 0)} deelnemers,"
        f" {as_number(verslag.antwoorden, 0)} antwoorden en {as_number(verslag.belangen, 0)} keer belang."
    )
    return 0


def _exporteer(arguments: argparse.Namespace) -> int:
    from roadmap import store
    from roadmap.io.export import export_huis

    path = arguments.uitvoer or output_dir() / "export" / f"{slug(arguments.huis)}.xlsx"
    connection = store.connect(arguments.database or database_path())
    try:
        export_huis(connection, store.huis_id(connection, arguments.huis), path, arguments.ronde, arguments.met_namen)
    finally:
        connection.close()
    print(f"Geëxporteerd naar {path}" + ("" if arguments.met_namen else " (deelnemers zonder naam)"))
    return 0


def _bundel_exporteer(arguments: argparse.Namespace) -> int:
    from roadmap import store
    from roadmap.io.bundel import export_bundel

    path = arguments.uitvoer or output_dir() / "bundels" / f"{slug(arguments.huis)}.zip"
    connection = store.connect(arguments.database or database_path())
    try:
        export_bundel(connection, store.huis_id(connection, arguments.huis), path, arguments.met_namen)
    finally:
        connection.close()
    print(f"Bundel geschreven: {path}" + ("" if arguments.met_namen else " (deelnemers zonder naam)"))
    return 0


def _bundel_importeer(arguments: argparse.Namespace) -> int:
    from roadmap import store
    from roadmap.io.bundel import import_bundels

    connection = store.connect(arguments.database or database_path())
    try:
        results = import_bundels(connection, arguments.bestanden)
    finally:
        connection.close()
    for path, verslag in zip(arguments.bestanden, results):
        if isinstance(verslag, GebruikersFout):
            print(f"fout: {verslag}")
        else:
            print(f"{path}: Huis '{verslag.huis}': {verslag.nieuw} nieuwe ronde(s), {verslag.bijgewerkt} bijgewerkt,"
                  f" {verslag.ongewijzigd} ongewijzigd.")
    failed = sum(isinstance(verslag, GebruikersFout) for verslag in results)
    if failed == len(results):
        print("Geen enkele bundel ingelezen.")
    elif failed:
        print(f"{failed} van {len(arguments.bestanden)} bundel(s) niet ingelezen; de andere wel.")
    return 1 if failed else 0


def _controle(arguments: argparse.Namespace) -> int:
    from hvhk.controle import check, repair

    database = arguments.database or database_path()
    if arguments.herstel:
        repair(database)
        print(f"Hersteld: de vergelijking van alle rondes leest weer de bewaarde antwoorden van {database}.")
    findings = check(database, arguments.roadmap)
    for finding in findings:
        print(finding)
    errors = sum(not finding.warning for finding in findings)
    summary = f"{errors} fout(en), {len(findings) - errors} waarschuwing(en)" if findings else "alles in orde"
    print(f"Controle van {database} en {arguments.roadmap or 'de meegeleverde Roadmap'}: {summary}.")
    return 1 if errors else 0


_DEMO_FIGURES = ("geboorten_per_jaar", "plaatsen", "loket_medewerkers")


def _rapporten(arguments: argparse.Namespace) -> int:
    from hvhk.base.gemeenten import find_gemeente
    from rapporten import pipeline
    from roadmap import store

    database = arguments.database or database_path()
    connection = store.connect(database)
    try:
        huizen = store.huizen(connection)
        chosen = None if arguments.alle else {store.huis_id(connection, n) for n in arguments.huis or []}
    finally:
        connection.close()
    simulatie = arguments.simulatie or output_dir() / "simulatie" / "loket.csv"
    if huizen.empty and not arguments.gemeente and not simulatie.exists():  # a loket report needs no Huis
        raise GebruikersFout(f"{database}: er staan nog geen Huizen in de database")
    if arguments.gemeente and not simulatie.exists():
        raise GebruikersFout(f"{simulatie}: geen simulatieresultaten; draai eerst hvhk demo of geef --simulatie")
    results, index = pipeline.run(
        database, simulatie, arguments.uitvoer or output_dir() / "rapporten", huizen=chosen,
        gemeenten=None if arguments.alle else [find_gemeente(g) for g in arguments.gemeente or []],
        pdf=arguments.pdf, werkers=arguments.werkers, dask_adres=arguments.dask,
    )
    failed = [r for r in results if not r.gelukt]
    unchanged = sum(r.ongewijzigd for r in results)
    print(f"{len(results)} rapporten: {len(results) - unchanged - len(failed)} gemaakt, {unchanged} ongewijzigd,"
          f" {len(failed)} mislukt. Overzicht: {index}")
    for result in failed:
        print(f"hvhk: mislukt: {result.opdracht.naam}: {result.fout}", file=sys.stderr)
    return 1 if failed else 0


def _simuleer(arguments: argparse.Namespace) -> int:
    from simulatie import profiel

    if arguments.profiel_sjabloon:
        if arguments.gemeente or arguments.scenario or arguments.profiel:
            raise GebruikersFout("--profiel-sjabloon schrijft alleen het sjabloon; geef het zonder --gemeente,"
                                 " --scenario of --profiel")
        profiel.write_template(arguments.profiel_sjabloon)
        print(f"Sjabloon geschreven: {arguments.profiel_sjabloon}\nVul het in en simuleer met: hvhk simuleer"
              f" --profiel {arguments.profiel_sjabloon}")
        return 0
    if arguments.profiel:
        plans = _profile_plans(arguments, profiel.read(arguments.profiel))
    elif arguments.gemeente and arguments.scenario:
        plans = [_file_plan(arguments)]
    else:
        raise GebruikersFout("geef --gemeente en --scenario BESTAND, of --profiel BESTAND met de eigen cijfers van"
                             " de gemeenten (een leeg profiel maakt u met --profiel-sjabloon BESTAND)")
    if arguments.uitvoer and len(plans) > 1:
        raise GebruikersFout(f"--uitvoer schrijft één gemeente, maar {arguments.profiel} bevat er {len(plans)}; kies er"
                             " één met --gemeente, of laat --uitvoer weg voor een bestand per gemeente")
    for number, plan in enumerate(plans):
        if number:
            print()
        _simulate(arguments, plan)
    return 0


class _Plan(NamedTuple):
    """What `_simulate` runs for one gemeente: its scenarios, the current situation first; where their
    figures come from, in the report table (gegevens) and in a line for the user (herkomst)."""

    nis: str
    scenarios: list[Scenario]
    gegevens: str
    herkomst: str | None = None


def _file_plan(arguments: argparse.Namespace) -> _Plan:
    """The scenario files of one gemeente, the demo's figures filling in what the first one lacks."""
    from hvhk.base.demolabel import DEMO_LABEL
    from hvhk.base.gemeenten import find_gemeente, gemeente_naam

    nis = find_gemeente(arguments.gemeente)
    files = [(path, _scenario_file(path, nis)) for path in arguments.scenario]
    demo = _demo_figures(nis)
    first_path, first = files[0]
    missing = [field for field in _DEMO_FIGURES if field not in demo and field not in first]
    if missing:
        raise GebruikersFout(f"{first_path}: geen democijfers voor {gemeente_naam(nis)} ({nis}); geef"
                             f" {', '.join(missing)} in het scenariobestand")
    from_demo = [field for field in demo if field not in first]
    scenarios = _scenarios(files, {"gemeente": nis, **demo})
    if not from_demo:
        return _Plan(nis, scenarios, "eigen scenariobestanden")
    return _Plan(nis, scenarios, DEMO_LABEL, f"Niet in het scenariobestand, dus uit de {DEMO_LABEL}:"
                 f" {', '.join(from_demo)}; vervang ze door de echte cijfers van de gemeente.")


def _profile_plans(arguments: argparse.Namespace, profile: dict[str, Scenario]) -> list[_Plan]:
    """Every gemeente of the profile, or the one of --gemeente: its situation, then the scenario files,
    each starting from that situation."""
    from dataclasses import asdict

    from hvhk.base.gemeenten import find_gemeente, gemeente_naam

    if arguments.gemeente:
        nis = find_gemeente(arguments.gemeente)
        if nis not in profile:
            raise GebruikersFout(f"{arguments.profiel}: {gemeente_naam(nis)} ({nis}) staat niet in het profiel; het"
                                 f" bevat {', '.join(gemeente_naam(code) for code in profile)}")
        profile = {nis: profile[nis]}
    herkomst = f"De huidige situatie komt uit het gemeenteprofiel {arguments.profiel}."
    return [_Plan(nis, _scenarios([(arguments.profiel, asdict(basis))]
                                  + [(path, _scenario_file(path, nis)) for path in arguments.scenario], {"gemeente": nis}),
                  "gemeenteprofiel", herkomst)
            for nis, basis in profile.items()]


def _simulate(arguments: argparse.Namespace, plan: _Plan) -> None:
    """Run one gemeente's scenarios, write their results and its rows of the report table, and print a summary."""
    from hvhk.base.gemeenten import gemeente_naam
    from simulatie import uitvoer
    from simulatie.experiment import run_scenarios, samenvatting, verschillen

    nis, scenarios = plan.nis, plan.scenarios
    naam = gemeente_naam(nis)
    seed = int(nis) if arguments.seed is None else arguments.seed
    names = "-".join(slug(scenario.naam, "scenario") for scenario in scenarios)
    path = arguments.uitvoer or output_dir() / "simulatie" / f"{slug(naam)}-{names}.csv"

    runs = run_scenarios(scenarios, arguments.replicaties, seed, werkers=arguments.werkers, dask_adres=arguments.dask)
    uitvoer.write(uitvoer.long_form(runs, nis), path)
    report_table = output_dir() / "simulatie" / "loket.csv"
    uitvoer.update_report_table(report_table, uitvoer.to_report_table(runs, scenarios).assign(gegevens=plan.gegevens))

    print(f"Lokaal loket kinderopvang van {naam} ({nis}): {arguments.replicaties} replicaties per scenario, seed {seed}.")
    if plan.herkomst:
        print(plan.herkomst)
    summaries = {s.naam: samenvatting(runs.loc[runs["scenario"] == s.naam]) for s in scenarios}
    print("\n" + uitvoer.summary_text(summaries))
    basis = scenarios[0].naam
    for scenario in scenarios[1:]:
        print(f"\nVerschil {scenario.naam} − {basis} (per replicatie dezelfde gezinnen):")
        print(uitvoer.differences_text(verschillen(runs, basis, scenario.naam)))
    print(f"\nResultaten per scenario, replicatie en maat: {path}")
    print(f"Het loketrapport van {naam} (het eerste scenario als huidige situatie): hvhk rapporten --gemeente {nis}")


def _demo_figures(nis: str) -> dict[str, float | int]:
    """The demo's births, places and staff of a demo gemeente, as the scenario explorer fills them in."""
    from hvhk import demodata

    demo = demodata.loket_cijfers().set_index("nis")
    if nis not in demo.index:
        return {}
    row = demo.loc[nis]
    return {"geboorten_per_jaar": float(row["geboorten_per_jaar"]), "plaatsen": int(row["plaatsen"]),
            "loket_medewerkers": int(row["loket_medewerkers"])}


def _scenario_file(path: Path, nis: str) -> dict:
    """The fields of a YAML or JSON scenario file; a file that is not one is a Dutch error naming it."""
    import json

    import yaml

    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    content = path.read_bytes()
    try:
        fields = json.loads(content) if kind == "JSON" else yaml.safe_load(content)
    except (ValueError, yaml.YAMLError) as error:  # ValueError: bad JSON, or bytes that are no text
        mark = getattr(error, "problem_mark", None)
        line = getattr(error, "lineno", None) or (mark.line + 1 if mark else None)
        raise GebruikersFout(f"{path}: geen geldig {kind}-bestand" + (f" (fout op regel {line})" if line else "")) from None
    if not isinstance(fields, dict):
        raise GebruikersFout(f"{path}: verwacht velden van een scenario met hun waarde, zoals 'plaatsen: 320'")
    if str(fields.get("gemeente", nis)) != nis:
        raise GebruikersFout(f"{path}: veld gemeente ({fields['gemeente']}) verschilt van --gemeente ({nis});"
                             " laat het weg of geef dezelfde NIS-code")
    return fields


def _scenarios(files: list[tuple[Path, dict]], defaults: dict) -> list[Scenario]:
    """One scenario per file, named after the file unless it gives a naam; every file after the first
    starts from the first, so it only needs the fields that change. A file that changes only the
    places spreads them over the first one's locations, in proportion."""
    from simulatie.scenario import Scenario, scaled_locaties

    base, scenarios = defaults, []
    for path, fields in files:
        if "plaatsen" in fields and "locaties" not in fields and isinstance(base.get("locaties"), list | tuple):
            fields = {**fields, "locaties": scaled_locaties(tuple(base["locaties"]), fields["plaatsen"])}
        fields = {**base, "naam": path.stem, **fields, "gemeente": defaults["gemeente"]}
        try:
            scenario = Scenario.from_dict(fields)
        except GebruikersFout as error:
            raise GebruikersFout(f"{path}: {error}") from None
        if not scenarios:
            base = fields
        scenarios.append(scenario)
    return scenarios


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 2
    try:
        return arguments.run(arguments)
    except GebruikersFout as error:
        print(f"hvhk: fout: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"hvhk: fout: {describe_os_error(error)}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as error:  # damage that opening the database could not see
        print(f"hvhk: fout: de database is beschadigd (SQLite meldt: {error}); zoek de schade met 'hvhk controle'"
              " en gebruik zo nodig een reservekopie", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hvhk: onderbroken", file=sys.stderr)
        return 130


def console() -> None:
    """The `hvhk` command: `main`, then an exit that does not wait for Python to tidy up."""
    code = main()
    end_quickly()
    sys.exit(code)


if __name__ == "__main__":
    console()
