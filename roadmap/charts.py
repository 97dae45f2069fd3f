"""Matplotlib figures of a round, in colours that colour-blind viewers can tell apart.

Every function takes `groot` for the projector: text grows more than the figure, so that it
reads from the back of the room.
"""

import textwrap
from collections.abc import Mapping

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hvhk.base.figures import BLUE, GREY, ORANGE
from hvhk.base.formatting import as_number
from roadmap import analysis
from roadmap.definition import Schaal, reeks

GEEN_SCORE = "#E8E8E8"  # background of a heatmap cell without scores
# cividis: a sequential colour map made to read the same with and without colour blindness.
NIVEAUKLEUREN = matplotlib.colormaps["cividis"].with_extremes(bad=GEEN_SCORE)


def _figuur(breedte: float, hoogte: float, groot: bool) -> tuple[Figure, float]:
    """A new figure and the factor for its font sizes (larger in projector mode)."""
    schaal = 1.25 if groot else 1.0
    return Figure(figsize=(breedte * schaal, hoogte * schaal), layout="constrained"), 1.6 if groot else 1.0


def _niveau_ticks(schaal: Schaal) -> tuple[list[int], list[str]]:
    """The ticks of a level axis: every niveau of the round's scale."""
    return list(schaal.niveau_waarden), [str(waarde) for waarde in schaal.niveau_waarden]


def spider(niveaus: pd.DataFrame, schaal: Schaal, title: str = "", groot: bool = False) -> Figure:
    """Spider chart of the median level per onderdeel (from 0 to the top of `schaal`), with the IQR as a band.

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

    figure, letters = _figuur(7.5, 6.5, groot)
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_offset(np.pi / 2)  # first onderdeel at the top, then clockwise
    axes.set_theta_direction(-1)
    axes.fill_between(closed, ring("q1"), ring("q3"), color=ORANGE, alpha=0.3, label="spreiding (middelste helft)")
    axes.plot(closed, ring("mediaan"), color=BLUE, linewidth=2.5, marker="o", label="mediaan")
    axes.set_xticks(angles, labels, fontsize=9 * letters)
    axes.tick_params(axis="x", pad=20)
    axes.set_ylim(0, schaal.hoogste)
    axes.set_yticks(*_niveau_ticks(schaal), color=GREY, fontsize=8 * letters)
    axes.set_rlabel_position(90)
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=9 * letters, frameon=False)
    if title:
        axes.set_title(title, pad=24, fontsize=12 * letters)
    return figure


def heatmap(
    antwoorden: pd.DataFrame,
    deelnemers: pd.DataFrame,
    stellingen: pd.DataFrame,
    schaal: Schaal,
    namen: Mapping[int, str] | None = None,
    title: str = "Niveau per partner",
    groot: bool = False,
) -> Figure:
    """Each partner's level per onderdeel: a column of mixed colours is a disagreement.

    A partner's level is the mean of their scores on the onderdeel's stellingen, as in
    `analysis.per_onderdeel`; `stellingen` holds the onderdelen to show. Rows are pseudonyms with
    the partner's own levensdomein ("Partner A (Onderwijs)"), never names unless the caller passes
    `namen` (deelnemer id -> label). A cell without scores shows "–" on grey. The colours run over
    the niveaus of `schaal`, with white text on the darker lower half.
    """
    onderdelen = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id")["onderdeel"]
    rows = sorted(deelnemers["id"])
    namen = analysis.partners(deelnemers, stellingen) if namen is None else namen
    levels = analysis.niveau_per_deelnemer(antwoorden, stellingen)
    matrix = levels.reindex(pd.MultiIndex.from_product([onderdelen.index, rows])).to_numpy(dtype=float)
    matrix = matrix.reshape(len(onderdelen), len(rows)).T

    figure, letters = _figuur(4 + 0.8 * len(onderdelen), 2.8 + 0.38 * len(rows), groot)
    axes = figure.add_subplot()
    laagste, hoogste = schaal.niveau_waarden[0], schaal.hoogste
    image = axes.imshow(np.ma.masked_invalid(matrix), cmap=NIVEAUKLEUREN, vmin=laagste, vmax=hoogste, aspect="auto")
    midden = (laagste + hoogste) / 2
    for (row, column), value in np.ndenumerate(matrix):
        text, colour = ("–", "black") if np.isnan(value) else (as_number(value), "white" if value < midden else "black")
        axes.text(column, row, text, ha="center", va="center", color=colour, fontsize=8 * letters)
    axes.set_xticks(range(len(onderdelen)), onderdelen, fontsize=9 * letters, rotation=30, ha="right",
                    rotation_mode="anchor")
    axes.set_yticks(range(len(rows)), [namen[i] for i in rows], fontsize=9 * letters)
    axes.set_xticks(np.arange(len(onderdelen) + 1) - 0.5, minor=True)
    axes.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    axes.grid(which="minor", color="white", linewidth=2)
    axes.tick_params(which="both", length=0)
    axes.spines[:].set_visible(False)
    axes.set_xlabel("– = geen score (alleen 'weet niet' of niet ingevuld)", fontsize=8 * letters)
    colorbar = figure.colorbar(image, ax=axes, ticks=list(schaal.niveau_waarden), shrink=0.8)
    colorbar.set_label("niveau", fontsize=9 * letters)
    colorbar.ax.tick_params(labelsize=8 * letters)
    axes.set_title(title, fontsize=12 * letters)
    return figure


def prioriteitenmatrix(
    prioriteiten: pd.DataFrame, schaal: Schaal, title: str = "", groot: bool = False
) -> Figure:
    """The levensdomeinen on belang against distance to the top niveau, from `analysis.prioriteiten`.

    The axes span the round's `schaal`: distance from 0 to the top niveau minus one, belang over
    its values. The upper right quadrant (important and still far from the top) is shaded: the
    candidates for the group's priorities. Points carry their rank, listed with the names beside
    the chart, because belang takes few values and names on the points would overlap. Domains
    without a score or belang have no point; the list says so. Without `title`, the chart names
    the top niveau.
    """
    hoogste, belangen = schaal.hoogste, schaal.belang_waarden
    verste = hoogste - schaal.niveau_waarden[0]  # the largest distance: a median on the lowest niveau
    rechts, boven = verste + 0.2, belangen[-1] + 0.25
    midden_afstand, midden_belang = verste / 2, (belangen[0] + belangen[-1]) / 2
    shown = prioriteiten.dropna(subset=["afstand", "belang"])
    figure, letters = _figuur(10, 6, groot)
    axes = figure.add_subplot()
    axes.fill_between([midden_afstand, rechts], midden_belang, boven, color=ORANGE, alpha=0.15, linewidth=0)
    axes.axvline(midden_afstand, color=GREY, linewidth=1)
    axes.axhline(midden_belang, color=GREY, linewidth=1)
    axes.text(verste + 0.15, belangen[-1] + 0.2, "belangrijk én nog ver weg", ha="right", va="top", fontsize=9 * letters,
              style="italic")
    axes.scatter(shown["afstand"], shown["belang"], s=60 * letters, color=BLUE, zorder=3)
    spots = shown.sort_values(["belang", "afstand"]).groupby(["belang", "afstand"], sort=False)["rang"]
    for index, ((belang, afstand), ranks) in enumerate(spots):
        # neighbours alternate above and below their point, so close ranks do not overlap
        axes.annotate(", ".join(map(str, ranks)), (afstand, belang), xytext=(0, -11 if index % 2 else 11),
                      textcoords="offset points", ha="center", va="center", fontsize=9 * letters, fontweight="bold")
    names = [
        f"{r.rang}. {r.onderdeel}" + ("" if r.Index in shown.index else " (geen score)")
        for r in prioriteiten.itertuples()
    ]
    axes.text(1.03, 1, "\n".join(names), transform=axes.transAxes, va="top", fontsize=9 * letters)
    axes.set_xlim(-0.15, rechts)
    axes.set_ylim(belangen[0] - 0.2, boven)
    axes.set_xticks(range(verste + 1), [str(afstand) for afstand in range(verste + 1)], fontsize=9 * letters)
    axes.set_yticks(belangen, [str(waarde) for waarde in belangen], fontsize=9 * letters)
    axes.set_xlabel(f"Afstand tot niveau {hoogste} ({hoogste} − mediaan niveau)", fontsize=10 * letters)
    axes.set_ylabel(f"Belang (mediaan van de partners, {reeks(belangen)})", fontsize=10 * letters)
    axes.set_title(title or f"Belang en afstand tot niveau {hoogste}", fontsize=12 * letters)
    return figure


def afgelegde_weg(
    weg: pd.DataFrame,
    schaal: Schaal,
    vorige: str = "vorige ronde",
    huidige: str = "deze ronde",
    title: str = "De afgelegde weg",
    groot: bool = False,
) -> Figure:
    """Per onderdeel the median level of the previous and the current round, joined by a line.

    `weg` is the first frame of `analysis.afgelegde_weg`. The previous round is an open circle,
    the current one a filled circle, so the two differ in shape as well as colour. A round
    without scores on an onderdeel has no circle there.
    """
    y = np.arange(len(weg))[::-1]  # the first onderdeel at the top
    figure, letters = _figuur(8, 1.4 + 0.45 * len(weg), groot)
    axes = figure.add_subplot()
    axes.hlines(y, weg["vorige"], weg["huidige"], color=GREY, linewidth=2)
    axes.scatter(weg["vorige"], y, s=60 * letters, facecolors="white", edgecolors=ORANGE, linewidths=2, zorder=3,
                 label=vorige)
    axes.scatter(weg["huidige"], y, s=60 * letters, color=BLUE, zorder=3, label=huidige)
    axes.set_yticks(y, [textwrap.fill(naam, 30) for naam in weg["onderdeel"]], fontsize=9 * letters)
    axes.set_xlim(schaal.niveau_waarden[0] - 0.2, schaal.hoogste + 0.2)
    axes.set_xticks(*_niveau_ticks(schaal), fontsize=9 * letters)
    axes.set_xlabel("Mediaan niveau", fontsize=10 * letters)
    axes.grid(axis="x", color=GEEN_SCORE)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=9 * letters, frameon=False)
    axes.set_title(title, fontsize=12 * letters, pad=28 * letters)
    return figure
