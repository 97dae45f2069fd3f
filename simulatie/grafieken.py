"""Charts of simulation results: situations side by side, and scenarios as differences with the
current situation, each with its 95 % interval.

One small panel per measure, because the measures have different units (days, shares). The margins
are made to fit the titles and tick labels, measured text by text (`_fit`).
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from hvhk.base.figures import GREY, PALETTE
from simulatie.maten import LOKET_MATEN, MATEN


def situaties(summaries: dict[str, pd.DataFrame]) -> Figure:
    """Per measure of LOKET_MATEN a bar per situation (the mean) with its interval."""
    figure, panels = _panels(len(LOKET_MATEN), height=3.2, columns=3)
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(summaries))]
    for axes, maat in zip(panels, [MATEN[key] for key in LOKET_MATEN]):
        values = pd.DataFrame([summary.set_index("maat").loc[maat.key] for summary in summaries.values()])
        mean = values["gemiddelde"].to_numpy(dtype=float)
        errors = np.nan_to_num([mean - values["ci_laag"], values["ci_hoog"] - mean])  # no error bar where undefined
        axes.bar(range(len(summaries)), mean, yerr=errors, capsize=6, color=colours)
        axes.set_xticks(range(len(summaries)), list(summaries))
        axes.set_xlim(-0.6, len(summaries) - 0.4)  # keep an undefined bar's place
        if axes.get_ylim()[0] < maat.range[0]:  # bars of 0 only, which matplotlib centres: no negative days
            axes.set_ylim(maat.range[0], maat.range[0] + 1)
        for position in np.flatnonzero(np.isnan(mean)):
            axes.text(position, 0, "geen\nwaarde", ha="center", va="bottom", fontsize=9)
        for position in np.flatnonzero(mean == 0):  # a bar of 0 is not there: say so, unlike a missing value
            axes.text(position, 0, "0", ha="center", va="bottom", fontsize=9)
        axes.set_title(textwrap.fill(maat.label, 32), fontsize=10)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position, share=maat.is_share: _tick(value, share)))
    _fit(figure, panels, columns=3, title="Gemiddelde per situatie; het zwarte streepje toont het 95%-interval")
    return figure


def verschillen(table: pd.DataFrame, maten: list[str]) -> Figure:
    """Per measure a dot per scenario at its paired difference with the current situation, the line
    its interval; an interval that misses the grey zero line is unlikely to be chance. Shares are
    shown in percentage points."""
    scenarios = list(dict.fromkeys(table["scenario"]))
    figure, panels = _panels(len(maten), height=0.45 * len(scenarios) + 1.3, columns=2, sharey=True)
    for axes, maat in zip(panels, [MATEN[key] for key in maten]):
        rows = table.loc[table["maat"] == maat.key].set_index("scenario").reindex(scenarios)
        scale = maat.difference_scale
        y = np.arange(len(scenarios))[::-1]
        mean = rows["gemiddelde"].to_numpy(dtype=float) * scale
        errors = np.nan_to_num([mean - rows["ci_laag"] * scale, rows["ci_hoog"] * scale - mean])
        axes.axvline(0, color=GREY, linewidth=1)
        for index in range(len(scenarios)):  # colours as in `situaties`, where the current situation comes first
            colour = PALETTE[1 + index % (len(PALETTE) - 1)]
            axes.errorbar(mean[index], y[index], xerr=errors[:, [index]], fmt="o", color=colour, capsize=4)
        axes.set_yticks(y, [textwrap.fill(scenario, 26) for scenario in scenarios], fontsize=9)
        axes.set_ylim(-0.7, len(scenarios) - 0.3)
        axes.set_title(textwrap.fill(maat.difference_label, 44), fontsize=10)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: _tick(value, share=False)))
    _fit(figure, panels, columns=2, title="Verschil met de huidige situatie; de lijn toont het 95%-interval")
    return figure


def _panels(count: int, height: float, columns: int, sharey: bool = False) -> tuple[Figure, list]:
    """A figure with `count` panels in rows of `columns`; the unused places of the last row stay empty."""
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(10, height * rows))
    panels = list(figure.subplots(rows, columns, squeeze=False, sharey=sharey).flat)
    for axes in panels[count:]:
        axes.set_visible(False)
    for axes in panels:
        axes.spines[["top", "right"]].set_visible(False)
    return figure, panels[:count]


PAD = 5  # points between a panel's texts and the next panel or the edge
TICK = 7  # points from an axis to its tick labels: the tick's length and the label's pad, 3.5 each
TITLE = 6  # points from a panel to its title


def _fit(figure: Figure, panels: list, columns: int, title: str) -> None:
    """Set the margins and the gaps between the panels to what their tick labels and titles need,
    and put `title` above them all.

    Each text is measured once; matplotlib's constrained layout measured every panel twice and drew
    the whole figure once more besides, 40 % of the time of a report's chart.
    """
    renderer = FigureCanvasAgg(figure).get_renderer()
    point = figure.dpi / 72  # pixels

    def most(texts, side: int) -> float:
        """The largest width (side 0) or height (1) of the visible texts, in pixels."""
        sizes = [text.get_window_extent(renderer).size[side] for text in texts if text.get_visible() and text.get_text()]
        return max(sizes, default=0.0)

    rows = [panels[start:start + columns] for start in range(0, len(panels), columns)]
    x_labels = {axes: axes.get_xticklabels() for axes in panels}  # each call places the ticks anew
    titles = [most([axes.title for axes in row], 1) + TITLE * point for row in rows]
    below = [most([label for axes in row for label in x_labels[axes]], 1) + TICK * point for row in rows]
    beside = [most([label for axes in panels[column::columns] for label in axes.get_yticklabels()], 0) + TICK * point
              for column in range(min(columns, len(panels)))]
    overhang = most([label for labels in x_labels.values() for label in labels], 0) / 2  # a tick label at the edge
    width, height = figure.bbox.width, figure.bbox.height
    heading = figure.text(0.5, 1 - PAD * point / height, title, ha="center", va="top", fontsize="large")
    top = most([heading], 1) + 2 * PAD * point + titles[0]
    bottom, left, right = below[-1] + PAD * point, beside[0] + PAD * point, overhang + PAD * point
    gap_h = max((below[row] + titles[row + 1] + PAD * point for row in range(len(rows) - 1)), default=0.0)
    gap_w = max(beside[1:], default=0.0) + overhang + PAD * point
    panel_h = (height - top - bottom - gap_h * (len(rows) - 1)) / len(rows)
    panel_w = (width - left - right - gap_w * (len(beside) - 1)) / len(beside)
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                           hspace=gap_h / panel_h, wspace=gap_w / panel_w)


def _tick(value: float, share: bool) -> str:
    """An axis label with a decimal comma and as many decimals as the tick needs: `Maat.format`
    rounds, which would label 0.15 and 0.2 (or 1.2 % and 1.4 %) alike."""
    if share:
        return f"{value * 100:g}".replace(".", ",") + "\u00a0%"
    return f"{value:g}".replace(".", ",")
