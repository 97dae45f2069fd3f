"""The loket measures people read, with their Dutch label and how to format them.

Reports, the scenario explorer and the CLI show the same measures in the same words.
"""

from hvhk.base.formatting import getal, procent

BASIS = "huidige situatie"  # the scenario that stands for a gemeente's current loket in result tables

MATEN = {
    "aanvragen_per_jaar": "Aanvragen bij het loket per jaar",
    "antwoordtijd_gemiddeld_dagen": "Tijd tot eerste antwoord van het loket (dagen)",
    "antwoordtijd_p90_dagen": "Tijd tot eerste antwoord, 90e percentiel (dagen)",
    "loket_bezetting": "Bezetting van de loketmedewerkers",
    "vraag_per_jaar": "Gewenste starten in de opvang per jaar",
    "vraag_plaatsen": "Plaatsen die de vraag zou vullen",
    "wachttijd_gemiddeld_dagen": "Wachttijd op een plaats, gemiddeld (dagen)",
    "wachttijd_mediaan_dagen": "Wachttijd op een plaats, mediaan (dagen)",
    "wachttijd_p90_dagen": "Wachttijd op een plaats, 90e percentiel (dagen)",
    "tijd_tot_aanbod_mediaan_dagen": "Tijd tot een aanbod, mediaan (dagen)",
    "tijd_tot_aanbod_p90_dagen": "Tijd tot een aanbod, 90e percentiel (dagen)",
    "aandeel_tijdig_geplaatst": "Tijdig geplaatst, alle gezinnen",
    "aandeel_tijdig_kwetsbaar": "Tijdig geplaatst, kwetsbare gezinnen",
    "aandeel_tijdig_niet_kwetsbaar": "Tijdig geplaatst, andere gezinnen",
    "kloof_tijdig_kwetsbaar": "Achterstand van kwetsbare gezinnen (tijdig geplaatst)",
    "opgegeven_per_jaar": "Gezinnen die het opgaven, per jaar",
    "aanbiedingen_geweigerd_per_jaar": "Geweigerde aanbiedingen per jaar",
    "bezetting": "Bezetting van de plaatsen",
    "wachtlijst_gemiddeld": "Wachtlijst, gemiddeld aantal gezinnen",
}

# The measures a report and the scenario explorer show, with how to format them.
LOKET_MATEN = {
    maat: (MATEN[maat], fmt)
    for maat, fmt in [
        ("antwoordtijd_gemiddeld_dagen", getal),
        ("wachttijd_mediaan_dagen", getal),
        ("wachttijd_p90_dagen", getal),
        ("aandeel_tijdig_geplaatst", procent),
        ("aandeel_tijdig_kwetsbaar", procent),
        ("bezetting", procent),
    ]
}


def label(maat: str) -> str:
    """The Dutch label of a measure; its id for one the model added later without a label yet."""
    return MATEN.get(maat, maat)
