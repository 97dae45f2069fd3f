"""The results of `hvhk simuleer`: a tidy file to analyse further, and a summary to read on screen."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from hvhk.files import write_atomic
from hvhk.formatting import MISSING, getal, procent, verschil
from simulatie.experiment import is_aandeel
from simulatie.maten import label


def lange_vorm(runs: pd.DataFrame, gemeente: str) -> pd.DataFrame:
    """One row per scenario × replicatie × maat: gemeente, scenario, replicatie, maat, waarde.

    The long form, so that one filter or group-by on `maat` serves every measure, and a model that
    adds measures adds rows, not columns that a script must know of.
    """
    long = runs.melt(["scenario", "replicatie"], var_name="maat", value_name="waarde", ignore_index=False)
    long = long.sort_index(kind="stable").reset_index(drop=True)  # back in run order, measures within
    return long.assign(gemeente=gemeente)[["gemeente", "scenario", "replicatie", "maat", "waarde"]]


def schrijf(table: pd.DataFrame, path: Path) -> None:
    """CSV, or Parquet (typed and compact for large runs) when the path ends in .parquet; atomically."""
    if path.suffix == ".parquet":
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        write_atomic(path, buffer.getvalue())
    else:
        write_atomic(path, table.to_csv(index=False))


def samenvatting_tekst(summaries: dict[str, pd.DataFrame]) -> str:
    """Per measure the mean and 95 % interval of every scenario (samenvatting tables by naam), side by side."""
    header = ["Maat"] + [column for naam in summaries for column in (naam, "95%-interval")]
    tables = [summary.set_index("maat") for summary in summaries.values()]
    rows = []
    for maat in tables[0].index:
        cells = [label(maat)]
        for table in tables:
            row = table.loc[maat]
            cells += [_value(maat, row["gemiddelde"]), _range(maat, row["ci_laag"], row["ci_hoog"], _value)]
        rows.append(cells)
    return _columns(header, rows)


def verschillen_tekst(differences: pd.DataFrame) -> str:
    """Per measure the paired difference and its 95 % interval, starred where the interval excludes 0.

    A difference of shares is in percentage points, said once in the label rather than in every cell.
    """
    rows = [
        [label(row.maat) + (" (%-punt)" if is_aandeel(row.maat) else ""), _change(row.maat, row.verschil),
         _range(row.maat, row.ci_laag, row.ci_hoog, _change), "*" if row.ci_laag > 0 or row.ci_hoog < 0 else ""]
        for row in differences.itertuples()
    ]
    note = "* het 95%-interval bevat 0 niet: het verschil is waarschijnlijk geen toeval. %-punt: procentpunt."
    return _columns(["Maat", "verschil", "95%-interval", ""], rows) + "\n" + note


def _value(maat: str, value: float) -> str:
    return procent(value, 1) if is_aandeel(maat) else getal(value, 1)


def _change(maat: str, value: float) -> str:
    """A difference with its sign, shares in percentage points."""
    return verschil(100 * value if is_aandeel(maat) else value)


def _range(maat: str, low: float, high: float, fmt: Callable[[str, float], str]) -> str:
    return MISSING if pd.isna(low) or pd.isna(high) else f"{fmt(maat, low)} – {fmt(maat, high)}"


def _columns(header: list[str], rows: list[list[str]]) -> str:
    """Plain-text columns padded to their widest cell: labels left, numbers right."""
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [cells[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:])]
        return "  ".join(padded).rstrip()

    return "\n".join(line(cells) for cells in [header, *rows])
