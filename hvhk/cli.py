"""The `hvhk` command: a thin Dutch layer over functions that notebooks and tests call too."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import hvhk
from hvhk.errors import GebruikersFout, describe_os_error
from hvhk.files import slug
from hvhk.paths import database_path, output_dir

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
    demo.add_argument("--werkers", type=_positive, default=2, metavar="N", help="aantal rapporten tegelijk (standaard: 2)")
    demo.set_defaults(run=_demo)

    workshop = commands.add_parser(
        "workshop",
        help="open de workshop-app in de browser",
        description="Start de apps (workshop, resultaten, loket-scenario's, rapporten) op deze computer"
        " (127.0.0.1) en toont hun adressen. Met --netwerk kunnen partners op hun eigen toestel invullen.",
    )
    _add_database(workshop)
    workshop.add_argument("--poort", type=_port, default=0, metavar="POORT", help="poort (standaard: een vrije poort)")
    workshop.add_argument("--geen-browser", action="store_true", help="open niet zelf een browservenster")
    workshop.add_argument(
        "--netwerk", action="store_true",
        help="laat partners op hun eigen toestel invullen via het lokale netwerk, met een toegangscode per ronde",
    )
    workshop.set_defaults(run=_workshop)
    _add_roadmap_commands(commands)
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
    load.add_argument("--datum", type=_date, default=None, metavar="JJJJ-MM-DD", help="datum van een nieuwe ronde (standaard: vandaag)")
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


def _sjabloon(arguments: argparse.Namespace) -> int:
    from roadmap.definition import load_roadmap
    from roadmap.io.excel import sjabloon

    path = arguments.uitvoer or output_dir() / "sjablonen" / f"roadmap-{slug(arguments.huis)}.xlsx"
    sjabloon(path, load_roadmap(arguments.roadmap), arguments.huis, arguments.deelnemers)
    print(f"Sjabloon geschreven: {path}")
    return 0


def _importeer(arguments: argparse.Namespace) -> int:
    from hvhk.formatting import getal
    from hvhk.gemeenten import zoek_gemeente
    from roadmap import store
    from roadmap.definition import load_roadmap
    from roadmap.io.importing import importeer

    roadmap = load_roadmap(arguments.roadmap)
    connection = store.connect(arguments.database or database_path())
    try:
        with store.transaction(connection):  # a new Huis is only kept when its file is read in too
            if arguments.gemeente:
                huis_id = store.save_huis(connection, arguments.huis, [zoek_gemeente(g) for g in arguments.gemeente])
            else:
                huis_id = store.huis_id(connection, arguments.huis)
            verslag = importeer(connection, arguments.bestand, huis_id, roadmap, arguments.ronde, arguments.datum)
    finally:
        connection.close()
    print(
        f"Ingelezen in ronde {verslag.nummer} van '{arguments.huis}': {getal(verslag.deelnemers, 0)} deelnemers,"
        f" {getal(verslag.antwoorden, 0)} antwoorden en {getal(verslag.belangen, 0)} keer belang."
    )
    return 0


def _exporteer(arguments: argparse.Namespace) -> int:
    from roadmap import store
    from roadmap.io.export import exporteer

    path = arguments.uitvoer or output_dir() / "export" / f"{slug(arguments.huis)}.xlsx"
    connection = store.connect(arguments.database or database_path())
    try:
        exporteer(connection, store.huis_id(connection, arguments.huis), path, arguments.ronde, arguments.met_namen)
    finally:
        connection.close()
    print(f"Geëxporteerd naar {path}" + ("" if arguments.met_namen else " (deelnemers zonder naam)"))
    return 0


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
    except KeyboardInterrupt:
        print("hvhk: onderbroken", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
