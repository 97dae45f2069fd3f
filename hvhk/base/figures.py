"""What every chart of the toolkit shares: colours colour-blind viewers can tell apart, PNG output."""

import io

from matplotlib.figure import Figure

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#999999"
PALETTE = (BLUE, ORANGE, "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
"""Colours for a series of situations, in turn."""


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, for reports and widgets alike (no pyplot state involved)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
