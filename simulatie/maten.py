"""The loket measures people read, with their Dutch label and how to format them.

Reports, the scenario explorer and the CLI show the same measures in the same words.
"""

from hvhk.formatting import getal, procent

LOKET_MATEN = {
    "antwoordtijd_gemiddeld_dagen": ("Tijd tot eerste antwoord van het loket (dagen)", getal),
    "wachttijd_mediaan_dagen": ("Wachttijd op een plaats, mediaan (dagen)", getal),
    "wachttijd_p90_dagen": ("Wachttijd op een plaats, 90e percentiel (dagen)", getal),
    "aandeel_tijdig_geplaatst": ("Tijdig geplaatst, alle gezinnen", procent),
    "aandeel_tijdig_kwetsbaar": ("Tijdig geplaatst, kwetsbare gezinnen", procent),
    "bezetting": ("Bezetting van de plaatsen", procent),
}
