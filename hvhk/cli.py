"""The `hvhk` command: a thin Dutch layer over functions that notebooks and tests call too."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import hvhk
from hvhk.errors import GebruikersFout, describe_os_error
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
        description="Start de workshop-app (Voilà) op deze computer (127.0.0.1) en toont het adres.",
    )
    _add_database(workshop)
    workshop.add_argument("--poort", type=_port, default=0, metavar="POORT", help="poort (standaard: een vrije poort)")
    workshop.add_argument("--geen-browser", action="store_true", help="open niet zelf een browservenster")
    workshop.set_defaults(run=_workshop)
    return parser


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

    serve(arguments.database or database_path(), arguments.poort, open_browser=not arguments.geen_browser)


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
