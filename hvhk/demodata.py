"""Seeded generator of fictitious demo data: Huizen, their rounds and answers, loket figures.

The Huizen carry real gemeente names and NIS codes so the reference data and the maps of a
report work as in real use, but every score, participant and figure is invented. Whatever shows
them must say so (`hvhk.base.demolabel.DEMO_LABEL`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hvhk.base.gemeenten import gemeenten

if TYPE_CHECKING:  # the scenario screen imports this module for loket_cijfers, without the Roadmap
    from roadmap.definition import Roadmap, Schaal

SEED = 2025
VLAAMS = "Vlaams Gewest"
AANDEEL_PLAATSEN = {"inkomenstarief": 0.6, "vaste_prijs": 0.35, "subsidie_kwetsbaar": 0.05}
"""The demo's split of a gemeente's places over the soorten of location: an invented order of magnitude."""
AANDEEL_NEDERLANDSTALIG = 0.3
"""The demo's share of requests with the Dutch-language priority, in a Brussels gemeente: invented."""

# The demo Huizen: real gemeenten (names as since the mergers of 2025) with rounded, approximate
# numbers of inhabitants; the groupings into regional Huizen are invented.
HUIZEN = (
    ("Huis van het Kind Nazareth-De Pinte", (("Nazareth-De Pinte", 23_000),)),
    ("Huis van het Kind Tongeren-Borgloon", (("Tongeren-Borgloon", 42_000),)),
    ("Huis van het Kind Mechelen", (("Mechelen", 88_000),)),
    ("Huis van het Kind Leuven", (("Leuven", 104_000),)),
    ("Huis van het Kind Genk", (("Genk", 67_000),)),
    ("Huis van het Kind Roeselare", (("Roeselare", 65_000),)),
    ("Huis van het Kind Lier", (("Lier", 37_000),)),
    ("Huis van het Kind Molenbeek", (("Sint-Jans-Molenbeek", 98_000),)),
    ("Huis van het Kind Meetjesland", (("Eeklo", 21_000), ("Kaprijke", 6_600), ("Maldegem", 24_000))),
    ("Huis van het Kind Kempen", (("Herentals", 29_000), ("Olen", 12_500), ("Grobbendonk", 11_500))),
    ("Huis van het Kind Westhoek", (("Poperinge", 20_000), ("Vleteren", 3_700), ("Heuvelland", 7_900))),
    ("Huis van het Kind Pajottenland", (("Pajottegem", 24_500), ("Lennik", 9_300), ("Bever", 2_300))),
)
RONDE_DATA = ("2025-03-18", "2026-03-17")

# The partner model is tuned on four niveaus and three values of belang, the bundled Roadmap's. On
# another Roadmap it is stretched onto that Roadmap's scale, so that its every niveau and belang occurs
# and the bundled Roadmap keeps exactly the data it always had.
MODEL_STAPPEN = 3  # steps from the lowest to the top niveau of the scale the model is tuned on
BELANG_KANSEN = (0.2, 0.45, 0.35)  # chance of the lowest, the middle and the top belang

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

ACTIES = (
    "Het aanbod van de partners in dit levensdomein in kaart brengen en delen",
    "Afspraken over warme doorverwijzing vastleggen en opvolgen",
    "Gezinnen bevragen over wat ze missen, met aandacht voor kwetsbare gezinnen",
    "Een gezamenlijk overleg met de partners van dit domein opstarten",
)


@dataclass(frozen=True)
class Demo:
    """All demo data: `huizen` (naam, gemeenten), `gemeenten` (loket figures) and `rondes`.

    `rondes` holds one entry per (Huis, round) with its participants, answers, belang, votes after
    the discussion, chosen priorities and actions, and the decisions of the discussion, as the
    store's `save_*` functions take them.
    """

    huizen: pd.DataFrame
    gemeenten: pd.DataFrame
    rondes: list[dict]


def generate(roadmap: Roadmap, seed: int = SEED) -> Demo:
    """The demo data set for `seed`: the same seed always gives the same data."""
    rng = np.random.default_rng(seed)
    talk = np.random.default_rng([seed, 16])  # the discussions draw apart: the answers stay as they were
    huizen = _huizen()
    figures = _loket_figures(rng)
    rondes = [
        ronde
        for huis in huizen.itertuples()
        for ronde in _rondes(rng, talk, huis.naam, roadmap)
    ]
    return Demo(huizen=huizen, gemeenten=figures, rondes=rondes)


def loket_cijfers(seed: int = SEED) -> pd.DataFrame:
    """The `gemeenten` table of `generate(roadmap, seed)` without drawing the rondes, which take
    nearly all of its time: for a screen that only fills in a demo gemeente's figures. They are
    the first draws of the seed, so they are the same numbers."""
    return _loket_figures(np.random.default_rng(seed))


def _huizen() -> pd.DataFrame:
    """The demo Huizen with the NIS codes of their gemeenten, looked up in the reference data."""
    codes = gemeenten().set_index("naam")["nis"]
    return pd.DataFrame(
        [{"naam": naam, "gemeenten": tuple(codes[g] for g, _ in members)} for naam, members in HUIZEN]
    )


def _loket_figures(rng: np.random.Generator) -> pd.DataFrame:
    """Births and childcare places in Flemish proportions: about 9 births per 1,000 inhabitants (a
    third more in Brussels) and about 55 places for every 100 children under three."""
    reference = gemeenten().set_index("naam")
    rows = [(g, inwoners) for _, members in HUIZEN for g, inwoners in members]
    names = [g for g, _ in rows]
    inwoners = np.array([n for _, n in rows], dtype=float)
    brussels = reference.loc[names, "gewest"].ne(VLAAMS).to_numpy()
    geboorten = (inwoners * rng.uniform(0.0080, 0.0105, len(rows)) * np.where(brussels, 1.35, 1.0)).round()
    plaatsen = (geboorten * 3 * rng.uniform(0.45, 0.65, len(rows))).round()
    return pd.DataFrame(
        {
            "nis": reference.loc[names, "nis"].to_list(),
            "gemeente": names,
            "inwoners": inwoners.astype(int),
            "geboorten_per_jaar": geboorten.astype(int),
            "plaatsen": plaatsen.astype(int),
            "loket_medewerkers": np.where(geboorten > 400, 2, 1),
        }
    )


def _rondes(rng: np.random.Generator, talk: np.random.Generator, huis: str, roadmap: Roadmap) -> list[dict]:
    """Two rounds of one Huis: a latent maturity per onderdeel that grows a little between rounds,
    partners with their own optimism, more "weet niet" outside a partner's own domain, and one
    onderdeel where the partners split into two camps; the latest round ends with a discussion
    (`_bespreking`, drawn from `talk`)."""
    stellingen, schaal = roadmap.stellingen, roadmap.schaal
    onderdeel = stellingen["onderdeel_id"].to_numpy()
    belang_kansen = _belang_kansen(schaal)
    levensdomeinen = [o.id for o in roadmap.levensdomeinen]
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
        mature = np.array([maturity[o] for o in onderdeel])
        for index, partner in enumerate(partner_rows):
            organisatie, domein = PARTNERS[partner]
            optimism = rng.normal(0, 0.35)
            camp = rng.choice([-0.9, 0.9])
            latent = mature + optimism + np.where(onderdeel == split, camp, 0.0)
            niveau = _niveau(latent + rng.normal(0, 0.5, len(onderdeel)), schaal)
            outside = onderdeel != domein
            draw = rng.random(len(onderdeel))
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
            # one draw per levensdomein, in their order, as separate calls would draw them
            belang = dict(zip(levensdomeinen, rng.choice(schaal.belang_waarden, len(levensdomeinen), p=belang_kansen).tolist()))
            deelnemers.append(
                {
                    "naam": f"{names[index + nummer - 1]} (demo)",
                    "organisatie": organisatie,
                    "levensdomein_id": domein,
                    "antwoorden": antwoorden,
                    "belang": belang,
                }
            )
        prioriteiten = sorted((o.id for o in roadmap.levensdomeinen), key=maturity.get)[:2]
        besluiten = _bespreking(talk, deelnemers, roadmap) if nummer == len(RONDE_DATA) else []
        result.append(
            {
                "huis": huis,
                "nummer": nummer,
                "datum": datum,
                "deelnemers": deelnemers,
                "prioriteiten": prioriteiten,
                "acties": _acties(prioriteiten, deelnemers, nummer, datum),
                "besluiten": besluiten,
            }
        )
    return result


def _bespreking(rng: np.random.Generator, deelnemers: list[dict], roadmap: Roadmap) -> list[dict]:
    """The discussion of the two stellingen the agreement rule proposes first: each partner who scored
    one votes again (`stemmen` of each deelnemer), most for the level in the middle of the group,
    some keeping theirs; the group records the agreed level where the votes agree, else none."""
    from roadmap import bespreking  # here: the scenario screen imports this module without the Roadmap

    antwoorden = pd.concat([d["antwoorden"].assign(deelnemer_id=i) for i, d in enumerate(deelnemers)])
    belangen = pd.DataFrame([(i, o, b) for i, d in enumerate(deelnemers) for o, b in d["belang"].items()],
                            columns=["deelnemer_id", "onderdeel_id", "belang"])
    besproken = bespreking.voorstel(antwoorden, roadmap.stellingen, belangen, roadmap.schaal)["stelling_id"].head(2)
    votes = []
    for stelling_id in besproken:
        scored = antwoorden.loc[(antwoorden["stelling_id"] == stelling_id) & (antwoorden["keuze"] == "niveau")]
        middle = int(np.ceil(scored["niveau"].median()))
        for row in scored.itertuples():
            votes.append((row.deelnemer_id, stelling_id, "niveau", middle if rng.random() < 0.7 else int(row.niveau)))
    votes = pd.DataFrame(votes, columns=["deelnemer_id", "stelling_id", "keuze", "niveau"])
    for index, deelnemer in enumerate(deelnemers):
        deelnemer["stemmen"] = votes.loc[votes["deelnemer_id"] == index].drop(columns="deelnemer_id")
    agreed = bespreking.overeenstemming(votes, roadmap.stellingen, roadmap.schaal).set_index("stelling_id")
    return [
        {"stelling_id": stelling_id, "niveau": int(np.ceil(agreed.at[stelling_id, "mediaan"])), "notitie":
         "Na het gesprek zag de groep het zo (demo)."} if agreed.at[stelling_id, "eens"] else
        {"stelling_id": stelling_id, "niveau": None, "notitie": "Blijft verdeeld: volgende ronde opnieuw bekijken (demo)."}
        for stelling_id in besproken
    ]


def _niveau(model: np.ndarray, schaal: Schaal) -> np.ndarray:
    """Levels on the model's four niveaus (1 the lowest), stretched onto `schaal` and rounded into it."""
    laagste, hoogste = schaal.niveau_waarden[0], schaal.hoogste
    rek = (hoogste - laagste) / MODEL_STAPPEN
    return np.clip(np.rint(laagste + (model - 1) * rek), laagste, hoogste).astype(int)


def _belang_kansen(schaal: Schaal) -> np.ndarray:
    """`BELANG_KANSEN` spread over the belang values of `schaal` by interpolation: three values take them as they are."""
    plaatsen = np.linspace(0, 1, len(schaal.belang_waarden))
    kansen = np.interp(plaatsen, np.linspace(0, 1, len(BELANG_KANSEN)), BELANG_KANSEN)
    return kansen / kansen.sum()


def _acties(prioriteiten: list[str], deelnemers: list[dict], nummer: int, datum: str) -> list[dict]:
    """An action per chosen priority, led by a partner from that domain where one took part.

    Drawn without the random generator, so adding them changed none of the other demo data;
    the first round's actions are further along, as a year later they would be.
    """
    termijn = (date.fromisoformat(datum) + timedelta(days=182)).isoformat()
    status = ("klaar", "bezig") if nummer == 1 else ("gepland", "gepland")
    acties = []
    for index, onderdeel_id in enumerate(prioriteiten):
        leaders = [d["organisatie"] for d in deelnemers if d["levensdomein_id"] == onderdeel_id]
        acties.append(
            {
                "onderdeel_id": onderdeel_id,
                "omschrijving": ACTIES[(nummer + index) % len(ACTIES)],
                "trekker": (leaders or [deelnemers[0]["organisatie"]])[0],
                "partners": ", ".join(sorted({d["organisatie"] for d in deelnemers[1:3]})),
                "termijn": termijn,
                "status": status[index],
            }
        )
    return acties
