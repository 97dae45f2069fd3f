"""Seeded generator of fictitious demo data: Huizen, their rounds and answers, loket figures.

The Huizen carry real gemeente names and NIS codes so the reference data and the maps of a
report work as in real use, but every score, participant and figure is invented. Whatever shows
them must say "fictieve demogegevens" (`LABEL`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hvhk.gemeenten import gemeenten
from roadmap.definition import Roadmap

LABEL = "fictieve demogegevens"
SEED = 2025
VLAAMS = "Vlaams Gewest"

# Sizes of the 12 demo Huizen in gemeenten: most Huizen serve one gemeente, some a region.
HUIS_SIZES = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3)
RONDE_DATA = ("2025-03-18", "2026-03-17")

# Typical partners of a Huis van het Kind, with the levensdomein they come from.
PARTNERS = (
    ("Kind en Gezin, lokaal team", "gezondheidszorg"),
    ("Consultatiebureau", "gezondheidszorg"),
    ("Huisartsenkring", "gezondheidszorg"),
    ("Vroedvrouwenpraktijk", "gezins_kraamzorg"),
    ("Dienst voor gezinszorg", "gezins_kraamzorg"),
    ("Kinderdagverblijf De Rups", "kinderopvang"),
    ("Lokaal loket kinderopvang", "kinderopvang"),
    ("Basisschool De Regenboog", "onderwijs"),
    ("CLB", "onderwijs"),
    ("Centrum voor geestelijke gezondheidszorg", "geestelijk_welbevinden"),
    ("Jeugddienst", "cultuur_sport_jeugd"),
    ("Bibliotheek", "cultuur_sport_jeugd"),
    ("OCMW, sociale dienst", "socio_economische_determinanten"),
    ("Vereniging waar armen het woord nemen", "socio_economische_determinanten"),
    ("Buurtwerk", "sociale_cohesie"),
    ("Opvoedingswinkel", "ouderschap_partnerschap"),
    ("CAW", "ouderschap_partnerschap"),
    ("Jeugdhulp, netwerk", "jeugdhulp"),
)
FIRST_NAMES = (
    "An", "Bart", "Charlotte", "Dries", "Els", "Fien", "Goedele", "Hanne", "Ilse", "Jan", "Karim", "Lies",
    "Marieke", "Nathalie", "Olivier", "Pieter", "Rania", "Sofie", "Tom", "Valerie", "Wim", "Yasmina", "Zeynep",
)


@dataclass(frozen=True)
class Demo:
    """All demo data: `huizen` (naam, gemeenten), `gemeenten` (loket figures) and `rondes`.

    `rondes` holds one entry per (Huis, round) with its participants, answers and belang, as the
    store's `save_*` functions take them.
    """

    huizen: pd.DataFrame
    gemeenten: pd.DataFrame
    rondes: list[dict]


def generate(roadmap: Roadmap, seed: int = SEED) -> Demo:
    """The demo data set for `seed`: the same seed always gives the same data."""
    rng = np.random.default_rng(seed)
    huizen = _huizen(rng)
    figures = _loket_figures(rng, [nis for codes in huizen["gemeenten"] for nis in codes])
    rondes = [
        ronde
        for huis in huizen.itertuples()
        for ronde in _rondes(rng, huis.naam, roadmap)
    ]
    return Demo(huizen=huizen, gemeenten=figures, rondes=rondes)


def _huizen(rng: np.random.Generator) -> pd.DataFrame:
    """Twelve Huizen over twenty Flemish gemeenten; a multi-gemeente Huis takes neighbours."""
    flemish = gemeenten().loc[lambda g: g["gewest"] == VLAAMS]
    arrondissements = flemish["nis"].str[:2].unique()
    chosen = rng.choice(arrondissements, size=len(HUIS_SIZES), replace=False)
    rows = []
    for size, arrondissement in zip(HUIS_SIZES, chosen):
        pool = flemish.loc[flemish["nis"].str[:2] == arrondissement]
        picked = pool.iloc[np.sort(rng.choice(len(pool), size=min(size, len(pool)), replace=False))]
        names = list(picked["naam"])
        naam = f"Huis van het Kind {names[0]}" if size == 1 else f"Huis van het Kind regio {names[0]}"
        rows.append({"naam": naam, "gemeenten": tuple(picked["nis"])})
    return pd.DataFrame(rows)


def _loket_figures(rng: np.random.Generator, nis_codes: list[str]) -> pd.DataFrame:
    """Births and childcare places in Flemish proportions (about 9 births per 1,000 inhabitants;
    about 55 places for every 100 children under three)."""
    inwoners = np.clip(rng.lognormal(np.log(16_000), 0.6, len(nis_codes)), 4_000, 160_000).round(-2)
    geboorten = (inwoners * rng.uniform(0.0080, 0.0105, len(nis_codes))).round()
    plaatsen = (geboorten * 3 * rng.uniform(0.45, 0.65, len(nis_codes))).round()
    names = gemeenten().set_index("nis")["naam"]
    return pd.DataFrame(
        {
            "nis": nis_codes,
            "gemeente": [names[nis] for nis in nis_codes],
            "inwoners": inwoners.astype(int),
            "geboorten_per_jaar": geboorten.astype(int),
            "plaatsen": plaatsen.astype(int),
            "loket_medewerkers": np.where(geboorten > 700, 2, 1),
        }
    )


def _rondes(rng: np.random.Generator, huis: str, roadmap: Roadmap) -> list[dict]:
    """Two rounds of one Huis: a latent maturity per onderdeel that grows a little between rounds,
    partners with their own optimism, more "weet niet" outside a partner's own domain, and one
    onderdeel where the partners split into two camps."""
    stellingen = roadmap.stellingen
    onderdelen = [o.id for o in roadmap.onderdelen]
    maturity = dict(zip(onderdelen, rng.uniform(1.3, 3.2, len(onderdelen))))
    split = rng.choice(onderdelen)
    size = int(rng.integers(6, 13))
    partner_rows = rng.choice(len(PARTNERS), size=size, replace=False)
    names = rng.choice(FIRST_NAMES, size=size + 4, replace=False)
    result = []
    for nummer, datum in enumerate(RONDE_DATA, start=1):
        if nummer > 1:
            maturity = {k: v + rng.uniform(-0.1, 0.6) for k, v in maturity.items()}
            size = int(np.clip(size + rng.integers(-2, 3), 6, 12))
            partner_rows = rng.choice(len(PARTNERS), size=size, replace=False)
        deelnemers = []
        for index, partner in enumerate(partner_rows):
            organisatie, domein = PARTNERS[partner]
            optimism = rng.normal(0, 0.35)
            camp = rng.choice([-0.9, 0.9])
            latent = stellingen["onderdeel_id"].map(maturity) + optimism
            latent = latent + np.where(stellingen["onderdeel_id"] == split, camp, 0.0)
            niveau = np.clip(np.rint(latent + rng.normal(0, 0.5, len(stellingen))), 1, 4).astype(int)
            outside = stellingen["onderdeel_id"] != domein
            draw = rng.random(len(stellingen))
            keuze = np.where(
                draw < np.where(outside, 0.18, 0.03),
                "weet_niet",
                np.where(draw > 0.98, "niet_van_toepassing", "niveau"),
            )
            antwoorden = pd.DataFrame(
                {
                    "stelling_id": stellingen["stelling_id"],
                    "keuze": keuze,
                    "niveau": np.where(keuze == "niveau", niveau, 0),
                    "toelichting": "",
                }
            )
            belang = {o.id: int(rng.choice([1, 2, 3], p=[0.2, 0.45, 0.35])) for o in roadmap.levensdomeinen}
            deelnemers.append(
                {
                    "naam": f"{names[index + nummer - 1]} (demo)",
                    "organisatie": organisatie,
                    "levensdomein_id": domein,
                    "antwoorden": antwoorden,
                    "belang": belang,
                }
            )
        result.append({"huis": huis, "nummer": nummer, "datum": datum, "deelnemers": deelnemers})
    return result
