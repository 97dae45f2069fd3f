"""The content of a gemeente report: the loket kinderopvang as the simulation sees it.

The decree asks the loket to inform the local government, the organisers and Kind en Gezin about
demand; this report is that signal, with what would change under other scenarios. Every number
comes from the simulation table (`hvhk.demo.simulate` or the same columns), where tests check it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Image

from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from hvhk.base.formatting import as_number
from hvhk.base.gemeenten import gemeente_naam
from rapporten import RESULTATEN
from rapporten.opmaak import tabel
from simulatie import grafieken
from simulatie.maten import (
    BASIS,
    BELEID_LABELS,
    GROEP_LABELS,
    LOKET_MATEN,
    MATEN,
    SOORT_LABELS,
    groep_maten,
    interval,
    significance,
    soort_maten,
)
from simulatie.uitvoer import read_report_table

KWETSBAAR = ["aandeel_tijdig_kwetsbaar", "aandeel_tijdig_niet_kwetsbaar", "kloof_tijdig_kwetsbaar"]
VERGELEKEN = [*LOKET_MATEN, "opgegeven_per_jaar", "kloof_tijdig_kwetsbaar"]
VRAAG = ["vraag_per_jaar", "vraag_plaatsen", "opgegeven_per_jaar", "wachtlijst_gemiddeld"]


@dataclass(frozen=True)
class GemeenteRapport:
    nis: str
    naam: str
    demo: bool
    situaties: pd.DataFrame  # soort "situatie": per scenario and maat the mean and interval
    verschillen: pd.DataFrame  # soort "verschil": per scenario and maat the paired difference with BASIS

    @classmethod
    def load(cls, simulatie: str | Path, nis: str) -> GemeenteRapport:
        table = read_report_table(Path(simulatie)).loc[lambda s: s["nis"] == str(nis)]
        if table.empty:
            raise GebruikersFout(f"{simulatie}: geen simulatieresultaten voor gemeente {nis}")
        demo = "gegevens" in table and (table["gegevens"] == DEMO_LABEL).any()
        return cls(
            nis=str(nis), naam=gemeente_naam(nis), demo=bool(demo),
            situaties=table.loc[table["soort"] == "situatie"], verschillen=table.loc[table["soort"] == "verschil"],
        )

    def _rij(self, scenario: str, maat: str) -> pd.Series:
        return self.situaties.loc[(self.situaties["scenario"] == scenario) & (self.situaties["maat"] == maat)].iloc[0]

    def heading(self) -> HTML:
        basis = self.situaties.loc[self.situaties["scenario"] == BASIS].iloc[0]
        demo = f'<p class="demo">Dit rapport toont {DEMO_LABEL}: geen echte resultaten.</p>' if self.demo else ""
        return HTML(
            f"<h1>Lokaal loket kinderopvang {escape(self.naam)}</h1>"
            f"<p class='ondertitel'>NIS {escape(self.nis)} · {as_number(basis['geboorten_per_jaar'], 0)} geboorten per jaar ·"
            f" {as_number(basis['plaatsen'], 0)} plaatsen · {int(basis['loket_medewerkers'])} loketmedewerker(s) ·"
            f" {int(basis['n'])} replicaties</p>{demo}"
        )

    def _situatie(self, keys: Iterable[str]) -> list[list[str]]:
        """Per measure of the current situation its label, mean and 95 % interval."""
        return [[MATEN[key].label, *self._cellen([key])] for key in keys]

    def huidige_situatie(self) -> HTML:
        return HTML("<h2>Het loket vandaag</h2><p>Gemiddelde over de replicaties met het 95%-interval.</p>"
                    + tabel(["Maat", "Gemiddelde", "95%-interval"], self._situatie(LOKET_MATEN)))

    def kwetsbare_gezinnen(self) -> HTML:
        return HTML("<h2>Kwetsbare gezinnen</h2><p>Wie op de gewenste startdatum een plaats heeft, voor kwetsbare"
                    " en andere gezinnen; de achterstand is het verschil tussen beide.</p>"
                    + tabel(["Maat", "Gemiddelde", "95%-interval"], self._situatie(KWETSBAAR)))

    def voorrangsgroepen(self) -> HTML:
        """Per priority group of the decree: the share placed on time and the median time to an offer."""
        beleid = self.situaties.loc[self.situaties["scenario"] == BASIS, "beleid"].iloc[0]
        intro = ("<h2>Voorrangsgroepen</h2><p>Toewijzing van de plaatsen: "
                 f"{escape(BELEID_LABELS.get(beleid, str(beleid)).lower())}. Een gezin kan tot meer dan één groep"
                 " horen; andere gezinnen horen tot geen enkele.</p>")
        rows = [[label[:1].upper() + label[1:], *self._cellen(groep_maten(groep))] for groep, label in GROEP_LABELS.items()
                if self._gemeten(groep_maten(groep))]
        if not rows:
            return HTML(intro + "<p>Deze simulatie meet nog niet per groep: simuleer opnieuw met deze versie.</p>")
        return HTML(intro + tabel(["Groep", "Tijdig geplaatst", "95%-interval", "Tijd tot een aanbod, mediaan (dagen)",
                                   "95%-interval"], rows))

    def soorten_opvang(self) -> HTML:
        """Per soort of location that the gemeente has: occupancy and the gezinnen that gave up on it."""
        rows = [[label[:1].upper() + label[1:], *self._cellen(soort_maten(soort))] for soort, label in SOORT_LABELS.items()
                if self._gemeten(soort_maten(soort))]
        intro = ("<h2>Per soort opvang</h2><p>De bezetting van de plaatsen van elke soort, en hoeveel gezinnen per jaar"
                 " het opgaven zonder plaats, volgens hun eerste keuze: het vraagsignaal per soort.</p>")
        if not rows:
            return HTML(intro + "<p>Deze simulatie meet nog niet per soort: simuleer opnieuw met deze versie.</p>")
        return HTML(intro + tabel(["Soort", "Bezetting", "95%-interval", "Opgegeven per jaar", "95%-interval"], rows))

    def _gemeten(self, keys: Iterable[str]) -> bool:
        """Whether the current situation has a value for each measure: a soort the gemeente lacks has
        none, and a table simulated by an older version lacks the measures per group and soort."""
        keys = list(keys)
        rows = self.situaties.loc[(self.situaties["scenario"] == BASIS) & self.situaties["maat"].isin(keys)]
        return len(rows) == len(keys) and rows["gemiddelde"].notna().all()

    def _cellen(self, keys: Iterable[str]) -> list[str]:
        """Mean and 95 % interval of each measure of the current situation."""
        cells = []
        for maat in (MATEN[key] for key in keys):
            r = self._rij(BASIS, maat.key)
            cells += [maat.format(r["gemiddelde"]), interval(maat.format, r["ci_laag"], r["ci_hoog"])]
        return cells

    def scenarios(self) -> list:
        """Each scenario's paired difference with the current situation, as a chart and per scenario a
        table; * where it is not chance."""
        intro = ("<h2>Scenario's vergeleken</h2><p>Per scenario het verschil met de huidige situatie, op"
                 " dezelfde gezinnen, met het 95%-interval. Een * betekent dat het interval 0 niet bevat: het"
                 " verschil is waarschijnlijk geen toeval. Aandelen verschillen in procentpunt (%-punt).</p>")
        tables = []
        for scenario, rows in self.verschillen.groupby("scenario", sort=False):
            by_maat = rows.set_index("maat")
            lines = []
            for maat in (MATEN[key] for key in VERGELEKEN):
                r = by_maat.loc[maat.key]
                lines.append([maat.label, maat.format_difference(r["gemiddelde"]),
                              interval(maat.format_difference, r["ci_laag"], r["ci_hoog"]),
                              significance(r["ci_laag"], r["ci_hoog"])])
            tables.append(f"<h3>{escape(scenario[:1].upper() + scenario[1:])}</h3>"
                          + tabel(["Maat", "Verschil", "95%-interval", ""], lines))
        if not tables:
            return [HTML(intro + "<p>Voor deze gemeente werden geen andere scenario's gesimuleerd.</p>")]
        chart = Image(to_png(grafieken.verschillen(self.verschillen, VERGELEKEN)), metadata={
            "alt": "Grafiek: per maat het verschil van elk scenario met de huidige situatie, met het 95%-interval"})
        return [HTML(intro), chart, HTML("".join(tables))]

    def vraagsignaal(self) -> HTML:
        """What the decree asks the loket to report: demand, unmet demand and the waiting list."""
        plaatsen = self.situaties.loc[self.situaties["scenario"] == BASIS, "plaatsen"].iloc[0]
        return HTML("<h2>Vraagsignaal voor lokaal bestuur, organisatoren en Kind en Gezin</h2>"
                    f"<p>Ter vergelijking: de gemeente telt {as_number(plaatsen, 0)} plaatsen.</p>"
                    + tabel(["Maat", "Gemiddelde", "95%-interval"], self._situatie(VRAAG)))

    def methode(self) -> HTML:
        demo = f" Alle cijfers zijn {DEMO_LABEL}." if self.demo else ""
        return HTML("<h2>Methode</h2><p class='voetnoot'>Een SimPy-model van het loket: gezinnen melden zich"
                    " aan, krijgen een antwoord en wachten op een plaats in een van hun voorkeurlocaties. Elke"
                    " situatie is een aantal keer gesimuleerd (replicaties) met dezelfde gezinnen per"
                    " replicatie, zodat verschillen het effect van de wijziging tonen." + demo + "</p>")

    def resultaten(self) -> dict:
        """The report's key numbers as data (see `rapporten.RESULTATEN`)."""
        return {RESULTATEN: {maat: float(self._rij(BASIS, maat)["gemiddelde"]) for maat in [*LOKET_MATEN, *VRAAG]}}
