"""The results of one round: every table the dashboard and the Huis report show, computed once.

Both screens draw the same numbers, so they read them from one `RondeResultaten` rather than each
calling the analysis (and looking up the previous round) in its own way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pandas as pd

from roadmap import analysis, bespreking, store
from roadmap.definition import Schaal


@dataclass(frozen=True)
class RondeResultaten:
    """A round's answers and what `roadmap.analysis` makes of them.

    `schaal` is the scale of the Roadmap the round was given under: the analysis reads its camps and
    its top niveau from it, and the screens their chart axes and texts, so a round keeps its scale.
    `onenigheid` is `analysis.onenigheid` with each stelling's text and, as `partners_laag` and
    `partners_hoog`, the pseudonyms in each camp (empty text for a camp nobody is in).
    `prioriteiten` is the ranking the analysis proposes; `gekozen` names the levensdomeinen the
    group itself chose, and `acties` carries the name of each action's onderdeel. `besproken` is
    `bespreking.voor_en_na`: the stellingen the group discussed again, before and after. `vorig_nummer`
    and `weg` (the per-onderdeel frame of `analysis.afgelegde_weg`) are None in a Huis's first round.
    """

    nummer: int
    datum: str
    roadmap_versie: str
    schaal: Schaal
    stellingen: pd.DataFrame
    deelnemers: pd.DataFrame
    antwoorden: pd.DataFrame
    niveaus: pd.DataFrame
    onenigheid: pd.DataFrame
    blinde_vlekken: pd.DataFrame
    prioriteiten: pd.DataFrame
    gekozen: list[str]
    acties: pd.DataFrame
    besproken: pd.DataFrame
    vorig_nummer: int | None
    weg: pd.DataFrame | None

    @classmethod
    def load(cls, connection: sqlite3.Connection, ronde_id: int) -> RondeResultaten:
        """Read round `ronde_id` and the Huis's previous round from the store, and analyse them.

        The previous round is the one with the highest nummer below this one's: numbers, not ids or
        the order of saving, say which round came first, and they may skip one.
        """
        ronde = store.ronde(connection, ronde_id)
        roadmap = store.ronde_roadmap(connection, ronde_id)
        schaal, stellingen = roadmap.schaal, roadmap.stellingen
        antwoorden = store.antwoorden(connection, ronde_id)
        deelnemers = store.deelnemers(connection, ronde_id)
        niveaus = analysis.per_onderdeel(antwoorden, stellingen)
        kampen = analysis.kampen(analysis.posities(antwoorden, deelnemers, stellingen), schaal).add_prefix("partners_")
        onenigheid = (
            analysis.onenigheid(antwoorden, stellingen, schaal)
            .merge(stellingen[["stelling_id", "tekst"]])
            .join(kampen, on="stelling_id")
            .fillna(dict.fromkeys(kampen.columns, ""))
        )
        namen = stellingen.drop_duplicates("onderdeel_id").set_index("onderdeel_id")["onderdeel"]
        eerdere = store.rondes(connection, ronde["huis_id"]).loc[lambda r: r["nummer"] < ronde["nummer"]]
        vorig_nummer = weg = None
        if len(eerdere):
            vorige = eerdere.loc[eerdere["nummer"].idxmax()]
            vorig_nummer = int(vorige["nummer"])
            weg = analysis.weg_per_onderdeel(
                analysis.per_onderdeel(store.antwoorden(connection, int(vorige["id"])), stellingen), niveaus)
        return cls(
            nummer=int(ronde["nummer"]),
            datum=ronde["datum"],
            roadmap_versie=ronde["roadmap_versie"],
            schaal=schaal,
            stellingen=stellingen,
            deelnemers=deelnemers,
            antwoorden=antwoorden,
            niveaus=niveaus,
            onenigheid=onenigheid,
            blinde_vlekken=analysis.blinde_vlekken(antwoorden, stellingen, deelnemers),
            prioriteiten=analysis.prioriteiten(niveaus, store.belangen(connection, ronde_id), schaal.hoogste),
            gekozen=[namen[onderdeel_id] for onderdeel_id in store.prioriteiten(connection, ronde_id)],
            acties=store.acties(connection, ronde_id).assign(onderdeel=lambda a: a["onderdeel_id"].map(namen)),
            besproken=bespreking.voor_en_na(antwoorden, store.stemmen(connection, ronde_id),
                                            store.besprekingen(connection, ronde_id), stellingen, schaal),
            vorig_nummer=vorig_nummer,
            weg=weg,
        )

    @property
    def levensdomeinen(self) -> pd.DataFrame:
        """The rows of `niveaus` for the levensdomeinen: what the spider chart and the key numbers show."""
        return self.niveaus.loc[self.niveaus["soort"] == "levensdomein"]
