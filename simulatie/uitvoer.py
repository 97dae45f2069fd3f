"""The results of `hvhk simuleer`: a tidy file to analyse further, a summary to read on screen, and
the table the loket reports read (`to_report_table`), which `hvhk demo` writes as well.
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

import pandas as pd

from hvhk.base.errors import GebruikersFout
from hvhk.base.files import write_atomic
from simulatie.experiment import samenvatting, verschillen
from simulatie.maten import BASIS, MATEN, UITLEG_VERSCHIL, interval, significance
from simulatie.scenario import Scenario

SCENARIO_INPUTS = ["geboorten_per_jaar", "plaatsen", "loket_medewerkers"]
RAPPORTTABEL = ["nis", "scenario", "soort", *SCENARIO_INPUTS, "beleid", "maat", "gemiddelde", "ci_laag", "ci_hoog", "n"]
"""The columns of the report table: per gemeente, scenario and maat a mean (soort "situatie") or a
paired difference with the current situation (soort "verschil"), with its 95 % interval."""


def long_form(runs: pd.DataFrame, gemeente: str) -> pd.DataFrame:
    """One row per scenario × replicatie × maat: gemeente, scenario, replicatie, maat, waarde.

    The long form, so that one filter or group-by on `maat` serves every measure, and a model that
    adds measures adds rows, not columns that a script must know of.
    """
    long = runs.melt(["scenario", "replicatie"], var_name="maat", value_name="waarde", ignore_index=False)
    long = long.sort_index(kind="stable").reset_index(drop=True)  # back in run order, measures within
    return long.assign(gemeente=gemeente)[["gemeente", "scenario", "replicatie", "maat", "waarde"]]


def to_report_table(runs: pd.DataFrame, scenarios: list[Scenario]) -> pd.DataFrame:
    """The report table of one gemeente's runs (`run_scenarios`): the first scenario is its current
    situation, named BASIS there as the reports expect; the others are compared with it."""
    basis, tables = scenarios[0], []
    for scenario in scenarios:
        summary = samenvatting(runs.loc[runs["scenario"] == scenario.naam]).assign(soort="situatie")
        if scenario is not basis:
            difference = verschillen(runs, basis.naam, scenario.naam).rename(columns={"verschil": "gemiddelde"})
            summary = pd.concat([summary, difference.assign(soort="verschil")])
        inputs = {name: getattr(scenario, name) for name in SCENARIO_INPUTS}
        naam = BASIS if scenario is basis else scenario.naam
        tables.append(summary.assign(nis=scenario.gemeente, scenario=naam, beleid=scenario.beleid, **inputs))
    return pd.concat(tables, ignore_index=True)[RAPPORTTABEL]


def read_report_table(path: Path) -> pd.DataFrame:
    """The report table at `path`, with a Dutch error when the file is something else."""
    try:
        table = pd.read_csv(path, dtype={"nis": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise GebruikersFout(f"{path}: geen leesbare simulatietabel ({error})") from None
    missing = [column for column in RAPPORTTABEL if column not in table and column != "beleid"]  # beleid: for people
    if missing:
        hint = (" Dit is een resultatenbestand van hvhk simuleer; de loketrapporten lezen de tabel die hvhk simuleer"
                " bijwerkt in uitvoer/simulatie/loket.csv." if {"replicatie", "waarde"} <= set(table) else "")
        raise GebruikersFout(f"{path}: geen simulatietabel voor de loketrapporten; kolommen ontbreken:"
                             f" {', '.join(missing)}.{hint}")
    return table


def update_report_table(path: Path, table: pd.DataFrame) -> None:
    """Replace the rows of the gemeenten in `table` in the report table at `path` (created if missing),
    atomically, keeping the other gemeenten's rows."""
    if path.exists():
        old = read_report_table(path)
        table = pd.concat([old.loc[~old["nis"].isin(table["nis"])], table], ignore_index=True)
    write_atomic(path, table.to_csv(index=False))


def write(table: pd.DataFrame, path: Path) -> None:
    """CSV, or Parquet (typed and compact for large runs) when the path ends in .parquet; atomically."""
    if path.suffix == ".parquet":
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        write_atomic(path, buffer.getvalue())
    else:
        write_atomic(path, table.to_csv(index=False))


def summary_text(summaries: dict[str, pd.DataFrame]) -> str:
    """Per measure the mean and 95 % interval of every scenario (samenvatting tables by naam), side by
    side, with one decimal for shares too."""
    header = ["Maat"] + [column for naam in summaries for column in (naam, "95%-interval")]
    tables = [summary.set_index("maat") for summary in summaries.values()]
    rows = []
    for key in tables[0].index:
        maat = MATEN[key]
        value = partial(maat.format, decimals=1)
        cells = [maat.label]
        for table in tables:
            row = table.loc[key]
            cells += [value(row["gemiddelde"]), interval(value, row["ci_laag"], row["ci_hoog"])]
        rows.append(cells)
    return _columns(header, rows)


def differences_text(differences: pd.DataFrame) -> str:
    """Per measure the paired difference and its 95 % interval, starred where the interval excludes 0.

    A difference of shares is in percentage points, said once in the label rather than in every cell.
    """
    rows = []
    for row in differences.itertuples():
        maat = MATEN[row.maat]
        change = partial(maat.format_difference, unit=False)
        rows.append([maat.difference_label, change(row.verschil), interval(change, row.ci_laag, row.ci_hoog),
                     significance(row.ci_laag, row.ci_hoog)])
    return _columns(["Maat", "verschil", "95%-interval", ""], rows) + "\n" + UITLEG_VERSCHIL


def _columns(header: list[str], rows: list[list[str]]) -> str:
    """Plain-text columns padded to their widest cell: labels left, numbers right."""
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [cells[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:])]
        return "  ".join(padded).rstrip()

    return "\n".join(line(cells) for cells in [header, *rows])
