"""Matplotlib figures of a round, in colours that colour-blind viewers can tell apart."""

import io
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#999999"


def spider(niveaus: pd.DataFrame, title: str = "") -> Figure:
    """Spider chart of the median level per onderdeel (0-4 axis), with the IQR as a band.

    `niveaus` is `analysis.per_onderdeel` for the onderdelen to show; onderdelen without scores
    are drawn at 0 and marked with "(geen scores)" so a blind spot is visible, not hidden.
    """
    labels = [
        textwrap.fill(naam, 16) + ("" if n else "\n(geen scores)") for naam, n in zip(niveaus["onderdeel"], niveaus["n"])
    ]
    angles = np.linspace(0, 2 * np.pi, len(niveaus), endpoint=False)
    closed = np.append(angles, angles[:1])

    def ring(column: str) -> np.ndarray:
        values = niveaus[column].fillna(0).to_numpy(dtype=float)
        return np.append(values, values[:1])

    figure = Figure(figsize=(7.5, 6.5), layout="constrained")
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_offset(np.pi / 2)  # first onderdeel at the top, then clockwise
    axes.set_theta_direction(-1)
    axes.fill_between(closed, ring("q1"), ring("q3"), color=ORANGE, alpha=0.3, label="spreiding (middelste helft)")
    axes.plot(closed, ring("mediaan"), color=BLUE, linewidth=2.5, marker="o", label="mediaan")
    axes.set_xticks(angles, labels, fontsize=9)
    axes.tick_params(axis="x", pad=20)
    axes.set_ylim(0, 4)
    axes.set_yticks([1, 2, 3, 4], ["1", "2", "3", "4"], color=GREY, fontsize=8)
    axes.set_rlabel_position(90)
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=9, frameon=False)
    if title:
        axes.set_title(title, pad=24, fontsize=12)
    return figure


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, for reports and widgets alike (no pyplot state involved)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
