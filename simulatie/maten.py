"""The registry of the measures the model records: per measure its Dutch label, kind, range and format.

Every measure of `simulatie.model.measures` has one entry here (a test holds them together); the
experiment (which clips intervals to a measure's range), the output tables, the charts, the
gemeente report and the scenario explorer read it from here, so a measure added to the model needs
one entry and shows in the same words and format everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from hvhk.base.formatting import MISSING, as_difference, as_number, as_percent

BASIS = "huidige situatie"  # the scenario that stands for a gemeente's current loket in result tables

Kind = Literal["getal", "aandeel", "kloof"]
"""getal: a count or a time in days, 0 or more; aandeel: a share 0 to 1; kloof: one share minus
another, -1 to 1. A label names its unit where a reader needs one ("(dagen)", "per jaar")."""

RANGES: dict[Kind, tuple[float, float]] = {"getal": (0.0, math.inf), "aandeel": (0.0, 1.0), "kloof": (-1.0, 1.0)}
PROCENTPUNT = "%-punt"
UITLEG_VERSCHIL = "* het 95%-interval bevat 0 niet: het verschil is waarschijnlijk geen toeval. %-punt: procentpunt."
"""What the * after a difference and the %-punt mean, under every table that shows them."""


@dataclass(frozen=True)
class Maat:
    """One measure: its key in the model's results, the Dutch label people read, and its kind,
    which sets its range and how it is written."""

    key: str
    label: str
    kind: Kind

    @property
    def range(self) -> tuple[float, float]:
        """The values the measure can take; a confidence interval is clipped to them."""
        return RANGES[self.kind]

    @property
    def is_share(self) -> bool:
        """Shares and gaps between shares read as percentages, and their differences in %-punt."""
        return self.kind != "getal"

    @property
    def difference_scale(self) -> float:
        """100 for a share, whose differences read in percentage points; 1 for the rest."""
        return 100.0 if self.is_share else 1.0

    @property
    def difference_label(self) -> str:
        """The label over a column of differences, with %-punt where the cells leave it out."""
        return f"{self.label} ({PROCENTPUNT})" if self.is_share else self.label

    def format(self, value: float | None, decimals: int | None = None) -> str:
        """`12 %` for a share, `2,5` for anything else; `decimals` overrides the 0 and 1 decimals."""
        if self.is_share:
            return as_percent(value, 0 if decimals is None else decimals)
        return as_number(value, 1 if decimals is None else decimals)

    def format_difference(self, value: float | None, unit: bool = True) -> str:
        """A difference with its sign, `+2,5 %-punt` for shares; `unit=False` leaves the %-punt to the
        column label (`difference_label`)."""
        text = as_difference(None if value is None else self.difference_scale * value)
        return f"{text} {PROCENTPUNT}" if unit and self.is_share and text != MISSING else text


GROEP_LABELS = {"kwetsbaar": "kwetsbare gezinnen", "werkend": "werkende of studerende ouders",
                "broer_zus": "broer of zus in de opvang", "pleegkind": "pleegkinderen",
                "nederlandstalig": "Nederlandstalige gezinnen (Brussel)", "anderen": "gezinnen zonder voorrangsgrond"}
"""The priority groups of the decree (simulatie.scenario.GROEPEN) and the rest, as readers see them."""
SOORT_LABELS = {"inkomenstarief": "inkomenstarief", "vaste_prijs": "vaste prijs",
                "subsidie_kwetsbaar": "extra subsidie voor kwetsbare gezinnen"}
"""The soorten of location (simulatie.scenario.SOORTEN) as readers see them."""


BELEID_LABELS = {
    "huidige_regels": "Huidige regels (sinds 1 april 2024)",
    "fifo": "Wie eerst komt, eerst maalt",
    "kwetsbaar_eerst": "Voorrang voor kwetsbare gezinnen",
    "reservering": "Plaatsen voorbehouden aan kwetsbare gezinnen",
    "broer_zus": "Voorrang voor broers en zussen",
    "werkend_eerst": "Voorrang voor werkende of studerende ouders",
}
"""Every beleid of simulatie.scenario.Beleid as readers see it."""


def groep_maten(groep: str) -> tuple[str, str]:
    """The keys of a priority group's measures: share placed on time, median time to an offer."""
    return f"aandeel_tijdig_{groep}", f"tijd_tot_aanbod_{groep}_dagen"


def soort_maten(soort: str) -> tuple[str, str]:
    """The keys of a soort of location's measures: occupancy, gezinnen per year that gave up on it."""
    return f"bezetting_{soort}", f"opgegeven_per_jaar_{soort}"


def _index(*maten: Maat) -> dict[str, Maat]:
    """The registry by key; a key given twice would let one entry hide the other."""
    registry = {maat.key: maat for maat in maten}
    if len(registry) < len(maten):
        raise ValueError("a key of simulatie.maten appears twice")
    return registry


MATEN = _index(
    Maat("aanvragen_per_jaar", "Aanvragen bij het loket per jaar", "getal"),
    Maat("antwoordtijd_gemiddeld_dagen", "Tijd tot eerste antwoord van het loket (dagen)", "getal"),
    Maat("antwoordtijd_p90_dagen", "Tijd tot eerste antwoord, 90e percentiel (dagen)", "getal"),
    Maat("loket_bezetting", "Bezetting van de loketmedewerkers", "aandeel"),
    Maat("vraag_per_jaar", "Gewenste starten in de opvang per jaar", "getal"),
    Maat("vraag_plaatsen", "Plaatsen die de vraag zou vullen", "getal"),
    Maat("wachttijd_gemiddeld_dagen", "Wachttijd op een plaats, gemiddeld (dagen)", "getal"),
    Maat("wachttijd_mediaan_dagen", "Wachttijd op een plaats, mediaan (dagen)", "getal"),
    Maat("wachttijd_p90_dagen", "Wachttijd op een plaats, 90e percentiel (dagen)", "getal"),
    Maat("tijd_tot_aanbod_mediaan_dagen", "Tijd tot een aanbod, mediaan (dagen)", "getal"),
    Maat("tijd_tot_aanbod_p90_dagen", "Tijd tot een aanbod, 90e percentiel (dagen)", "getal"),
    Maat("aandeel_tijdig_geplaatst", "Tijdig geplaatst, alle gezinnen", "aandeel"),
    Maat("aandeel_tijdig_kwetsbaar", "Tijdig geplaatst, kwetsbare gezinnen", "aandeel"),
    Maat("aandeel_tijdig_niet_kwetsbaar", "Tijdig geplaatst, andere gezinnen", "aandeel"),
    Maat("kloof_tijdig_kwetsbaar", "Achterstand van kwetsbare gezinnen (tijdig geplaatst)", "kloof"),
    Maat("opgegeven_per_jaar", "Gezinnen die het opgaven, per jaar", "getal"),
    Maat("aanbiedingen_geweigerd_per_jaar", "Geweigerde aanbiedingen per jaar", "getal"),
    Maat("bezetting", "Bezetting van de plaatsen", "aandeel"),
    Maat("wachtlijst_gemiddeld", "Wachtlijst, gemiddeld aantal gezinnen", "getal"),
    *(Maat(groep_maten(groep)[0], f"Tijdig geplaatst, {label}", "aandeel")
      for groep, label in GROEP_LABELS.items() if groep != "kwetsbaar"),  # kwetsbaar: above
    *(Maat(groep_maten(groep)[1], f"Tijd tot een aanbod, mediaan, {label} (dagen)", "getal")
      for groep, label in GROEP_LABELS.items()),
    *(measure for soort, label in SOORT_LABELS.items() for measure in (
        Maat(soort_maten(soort)[0], f"Bezetting van de plaatsen, {label}", "aandeel"),
        Maat(soort_maten(soort)[1], f"Gezinnen die het opgaven, per jaar, eerste keuze {label}", "getal"))),
)
"""Every measure of `simulatie.model.measures`, in its order (a test checks that they match)."""

LOKET_MATEN = ("antwoordtijd_gemiddeld_dagen", "wachttijd_mediaan_dagen", "wachttijd_p90_dagen",
               "aandeel_tijdig_geplaatst", "aandeel_tijdig_kwetsbaar", "bezetting")
"""The keys of the measures a report and the scenario explorer show first; MATEN holds the rest."""


def significance(low: float, high: float) -> str:
    """`*` where a difference's interval excludes 0, so the difference is unlikely to be chance."""
    return "*" if low > 0 or high < 0 else ""


def interval(fmt: Callable[[float], str], low: float, high: float) -> str:
    """`low – high` in `fmt`, one dash where either end is undefined (fewer than two replicaties)."""
    return MISSING if pd.isna(low) or pd.isna(high) else f"{fmt(low)} – {fmt(high)}"
