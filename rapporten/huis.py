"""The content of a Huis report: data gathered once, shown section by section by the template.

The template notebook only calls these methods, so every number it shows comes from
`roadmap.resultaten` (the round, as the dashboard shows it) or `roadmap.analysis` (the comparison
with other Huizen), where tests check it. User text (names, organisations) is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Image

from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from hvhk.base.formatting import as_date, as_difference, as_number, as_percent
from hvhk.base.gemeenten import gemeente_naam
from rapporten import RESULTATEN
from rapporten.opmaak import tabel
from roadmap import aggregate, analysis, bespreking, charts, store
from roadmap.definition import reeks
from roadmap.resultaten import RondeResultaten
from simulatie.maten import BASIS, LOKET_MATEN, MATEN, interval
from simulatie.uitvoer import read_report_table


@dataclass(frozen=True)
class HuisRapport:
    """A Huis, the results of its latest round (None before its first), and how it compares."""

    naam: str
    demo: bool
    gemeenten: list[str]
    ronde: RondeResultaten | None
    vergelijking: pd.DataFrame
    loket: pd.DataFrame

    @classmethod
    def load(
        cls, database: str | Path, huis_id: int, simulatie: str | Path | None = None,
        vergelijking: str | Path | None = None,
    ) -> HuisRapport:
        """Gather everything the report of Huis `huis_id` shows, from its latest round.

        `vergelijking` is a CSV of `aggregate.per_onderdeel_alle_rondes`, computed once for a whole
        batch; without it the comparison group is computed here.
        """
        connection = store.connect(database)
        try:
            huizen = store.huizen(connection).set_index("id")
            if huis_id not in huizen.index:
                raise GebruikersFout(f"Huis {huis_id} staat niet in de database {database}")
            huis = huizen.loc[huis_id]
            rondes = store.rondes(connection, huis_id)
            ronde = RondeResultaten.load(connection, int(rondes["id"].iloc[-1])) if len(rondes) else None
            peers = huizen.index[huizen["demo"] == huis["demo"]]  # demo data never mixes with real Huizen
            alle = (
                pd.read_csv(vergelijking, dtype={"onderdeel_id": str}) if vergelijking
                else aggregate.per_onderdeel_alle_rondes(connection)
            )
            vergelijking = analysis.vergelijking(alle.loc[alle["huis_id"].isin(peers)], huis_id)
        finally:
            connection.close()
        loket = pd.DataFrame()
        if simulatie and Path(simulatie).exists():
            loket = read_report_table(Path(simulatie)).loc[
                lambda s: s["nis"].isin(huis["gemeenten"]) & (s["soort"] == "situatie") & (s["scenario"] == BASIS)
            ]
        return cls(
            naam=huis["naam"],
            demo=bool(huis["demo"]),
            gemeenten=[gemeente_naam(nis) for nis in huis["gemeenten"]],
            ronde=ronde,
            vergelijking=vergelijking,
            loket=loket,
        )

    def heading(self) -> HTML:
        demo = f'<p class="demo">Dit rapport toont {DEMO_LABEL}: geen echte resultaten.</p>' if self.demo else ""
        if self.ronde is None:
            ronde = "Nog geen zelfevaluatie afgenomen."
        else:
            ronde = f"Zelfevaluatie ronde {self.ronde.nummer} van {as_date(self.ronde.datum)}"
        return HTML(
            f"<h1>{escape(self.naam)}</h1>"
            f'<p class="ondertitel">Gemeenten: {escape(", ".join(self.gemeenten))}<br>{ronde}</p>{demo}'
        )

    def resultaten(self) -> dict:
        """The report's key numbers as data (see `rapporten.RESULTATEN`), unformatted."""
        ronde = self.ronde
        if ronde is None:
            return {RESULTATEN: {"ronde": None, "deelnemers": 0, "mediaan_per_levensdomein": {}, "onenig": 0,
                                 "prioriteiten": [], "besproken": 0, "besluiten": {}}}
        return {
            RESULTATEN: {
                "ronde": ronde.nummer,
                "deelnemers": len(ronde.deelnemers),
                "mediaan_per_levensdomein": {r.onderdeel_id: _number(r.mediaan) for r in ronde.levensdomeinen.itertuples()},
                "onenig": int(ronde.onenigheid["onenig"].sum()),
                "prioriteiten": ronde.prioriteiten["onderdeel_id"].head(5).tolist(),
                "besproken": len(ronde.besproken),
                "besluiten": {r.stelling_id: _number(r.niveau) for r in ronde.besproken.itertuples() if r.vastgelegd},
            }
        }

    def kengetallen(self) -> HTML:
        ronde = self.ronde
        items = [
            ("deelnemers", str(0 if ronde is None else len(ronde.deelnemers))),
            ("organisaties", str(0 if ronde is None else ronde.deelnemers["organisatie"].nunique())),
            ("mediaan over de levensdomeinen", as_number(None if ronde is None else ronde.levensdomeinen["mediaan"].median())),
        ]
        cells = "".join(f"<li><strong>{value}</strong>{label}</li>" for label, value in items)
        return HTML(f'<h2>Samenvatting</h2><ul class="kengetallen">{cells}</ul>')

    def waar_staan_we(self) -> list:
        """The spider chart and table of the levensdomeinen: median level and spread."""
        if self.ronde is None:
            return [HTML("<h2>Waar staan we?</h2>"), HTML("<p>Geen antwoorden.</p>")]
        schaal = self.ronde.schaal
        heading = HTML(
            f"<h2>Waar staan we?</h2><p>Per levensdomein het mediane niveau ({reeks(schaal.niveau_waarden, ' tot ')})"
            " dat de partners gaven, met de middelste helft van hun scores als band.</p>"
        )
        domeinen = self.ronde.levensdomeinen
        table = HTML(
            tabel(
                ["Levensdomein", "Mediaan", "Middelste helft", "Partners met score", "Weet niet"],
                [
                    [r.onderdeel, as_number(r.mediaan), f"{as_number(r.q1)} – {as_number(r.q3)}", r.n,
                     as_percent(r.aandeel_weet_niet)]
                    for r in domeinen.itertuples()
                ],
            )
        )
        spider = Image(to_png(charts.spider(domeinen, schaal)), metadata={
            "alt": "Spinnenweb: per levensdomein het mediane niveau, met de middelste helft van de scores als band"})
        return [heading, spider, table]

    def afgelegde_weg(self) -> HTML:
        """Median level per levensdomein in the previous and the latest round."""
        heading = "<h2>De afgelegde weg</h2>"
        if self.ronde is None or self.ronde.weg is None:
            return HTML(heading + "<p>Er is nog maar één ronde: de vergelijking volgt na de volgende ronde.</p>")
        vorige, huidige = self.ronde.vorig_nummer, self.ronde.nummer
        domeinen = self.ronde.weg.loc[self.ronde.weg["soort"] == "levensdomein"]
        table = tabel(
            ["Levensdomein", f"Ronde {vorige}", f"Ronde {huidige}", "Verschil"],
            [[r.onderdeel, as_number(r.vorige), as_number(r.huidige), as_difference(r.verschil)] for r in domeinen.itertuples()],
        )
        return HTML(heading + f"<p>Mediaan niveau per levensdomein in ronde {vorige} en ronde {huidige}.</p>{table}")

    def prioriteiten_tabel(self, aantal: int = 5) -> HTML:
        if self.ronde is None:
            return HTML("<h2>Mogelijke prioriteiten</h2><p>Geen antwoorden.</p>")
        schaal = self.ronde.schaal
        heading = (
            "<h2>Mogelijke prioriteiten</h2><p>De levensdomeinen die de partners belangrijk vinden én die"
            f" nog ver van niveau {schaal.hoogste} staan: score = belang (mediaan, {reeks(schaal.belang_waarden)})"
            f" × afstand tot niveau {schaal.hoogste}. Dit is een voorstel voor het gesprek; de groep kiest zelf haar"
            " prioriteiten.</p>"
        )
        return HTML(
            heading
            + tabel(
                ["Rang", "Levensdomein", "Belang", "Afstand", "Score"],
                [
                    [r.rang, r.onderdeel, as_number(r.belang), as_number(r.afstand), as_number(r.score)]
                    for r in self.ronde.prioriteiten.head(aantal).itertuples()
                ],
                text_columns=(1,),
            )
        )

    def waar_oneens(self, aantal: int = 10) -> HTML:
        """The stellingen where partners split most evenly into two camps, and who sits where."""
        if self.ronde is None:
            return HTML("<h2>Waar zijn we het oneens?</h2><p>Op geen enkele stelling vallen de partners in twee"
                        " kampen uiteen.</p>")
        schaal = self.ronde.schaal
        laag, hoog = f"niveau {reeks(schaal.laag)}", f"niveau {reeks(schaal.hoog)}"
        midden = f" Wie niveau {schaal.midden} gaf, staat in geen van beide kampen." if schaal.midden else ""
        heading = (
            "<h2>Waar zijn we het oneens?</h2><p>Stellingen waarop de partners in twee kampen uiteenvallen:"
            f" een deel ziet het nog niet gebeuren ({laag}), een deel wel ({hoog}).{midden} Zulke verschillen"
            " zijn een goed vertrekpunt voor het gesprek. Partners heten hier Partner A, B, ..., met het"
            " levensdomein waaruit ze komen; namen worden niet getoond.</p>"
        )
        if not self.ronde.onenigheid["onenig"].any():
            return HTML(heading + "<p>Op geen enkele stelling vallen de partners in twee kampen uiteen.</p>")
        split = self.ronde.onenigheid.loc[self.ronde.onenigheid["onenig"]]
        evenness = split[["laag", "hoog"]].min(axis=1) / split["n"]
        shown = split.assign(evenness=evenness).sort_values("evenness", ascending=False, kind="stable").head(aantal)
        rows = [[r.onderdeel, r.tekst, r.partners_laag, r.partners_hoog] for r in shown.itertuples()]
        rest = split.loc[~split["stelling_id"].isin(shown["stelling_id"])]
        per_onderdeel = rest.groupby("onderdeel", sort=False).size().sort_values(ascending=False, kind="stable")
        where = ", ".join(f"{count} in {escape(onderdeel)}" for onderdeel, count in per_onderdeel.items())
        tail = f"<p>En nog {len(rest)} stelling(en) met twee kampen: {where}.</p>" if len(rest) else ""
        return HTML(
            heading
            + tabel(["Onderdeel", "Stelling", f"Op {laag}", f"Op {hoog}"], rows, text_columns=(0, 1, 2, 3))
            + tail
        )

    def bespreking(self) -> HTML:
        """The stellingen the group discussed again: before and after, what it decided, what stays split."""
        heading = "<h2>De bespreking</h2>"
        besproken = None if self.ronde is None else self.ronde.besproken
        if besproken is None or besproken.empty:
            return HTML(heading + "<p>De groep besprak in deze ronde geen stellingen opnieuw.</p>")
        uitleg = (f"<p>De stellingen die de groep na het invullen opnieuw besprak en waarover de partners opnieuw"
                  f" stemden, anoniem. Voor: de eerste antwoorden; na: de stemmen na het gesprek (wie niet opnieuw"
                  f" stemde, telt daar niet mee). {bespreking.regel()}</p>")
        rows = [[r.onderdeel, r.tekst, _oordeel(r.mediaan_voor, r.eens_voor, r.n_voor),
                 _oordeel(r.mediaan_na, r.eens_na, r.n_na), r.veranderd, _besluit(r), r.notitie]
                for r in besproken.itertuples()]
        table = tabel(["Onderdeel", "Stelling", "Voor", "Na", "Veranderd", "Besluit", "Notitie"], rows,
                      text_columns=(0, 1, 2, 3, 5, 6))
        split = besproken.loc[besproken["niveau"].isna() & ~besproken["eens_na"].eq(True)]
        rest = "<p>Op alle besproken stellingen vond de groep een gedeeld niveau.</p>" if split.empty else (
            "<p>Nog verdeeld: " + "; ".join(escape(tekst) for tekst in split["tekst"]) + ".</p>")
        return HTML(heading + uitleg + table + rest)

    def actieplan(self) -> HTML:
        """The priorities the group chose in this round and its action plan."""
        heading = "<h2>Gekozen prioriteiten en actieplan</h2>"
        if self.ronde is None or (not self.ronde.gekozen and self.ronde.acties.empty):
            return HTML(heading + "<p>De groep koos in deze ronde nog geen prioriteiten of acties.</p>")
        gekozen, acties = self.ronde.gekozen, self.ronde.acties
        chosen = f"<p>Gekozen prioriteiten: {escape(', '.join(gekozen))}.</p>" if gekozen else ""
        if acties.empty:
            return HTML(heading + chosen + "<p>Nog geen acties vastgelegd.</p>")
        rows = [
            [a.omschrijving, a.onderdeel, a.trekker, a.partners, as_date(a.termijn) if a.termijn else as_number(None), a.status]
            for a in acties.itertuples()
        ]
        table = tabel(["Actie", "Onderdeel", "Trekker", "Partners", "Termijn", "Status"], rows, text_columns=range(6))
        return HTML(heading + chosen + table)

    def andere_huizen(self) -> HTML:
        """The Huis's levels against those of the other Huizen, only where no Huis can be recognised."""
        heading = (
            "<h2>Vergelijking met andere Huizen</h2><p>Per levensdomein het mediane niveau van dit Huis naast"
            " dat van de andere Huizen (hun laatste ronde): de middelste helft en de mediaan. Alleen getoond"
            f" waar minstens {analysis.MINIMUM_HUIZEN} andere Huizen scoorden, zodat geen enkel Huis herkenbaar is.</p>"
        )
        domeinen = self.vergelijking.loc[self.vergelijking["soort"] == "levensdomein"]
        domeinen = domeinen.loc[domeinen["huizen"] >= analysis.MINIMUM_HUIZEN]
        if domeinen.empty:
            return HTML(heading + "<p>Te weinig andere Huizen om te vergelijken.</p>")
        rows = [
            [r.onderdeel, as_number(r.mediaan), f"{as_number(r.andere_q1)} – {as_number(r.andere_q3)}",
             as_number(r.andere_mediaan),
             as_percent(r.aandeel_lager), r.huizen]
            for r in domeinen.itertuples()
        ]
        headers = ["Levensdomein", "Dit Huis", "Andere Huizen, middelste helft", "Andere Huizen, mediaan",
                   "Andere Huizen lager", "Aantal andere Huizen"]
        return HTML(heading + tabel(headers, rows))

    def blinde_vlekken_tabel(self) -> HTML:
        heading = (
            "<h2>Blinde vlekken</h2><p>Levensdomeinen zonder partner uit dat domein, onderdelen waar minstens"
            f" {as_percent(analysis.DREMPEL_WEET_NIET)} van de antwoorden 'weet niet' was, en stellingen waar niemand"
            " een score gaf.</p>"
        )
        if self.ronde is None or self.ronde.blinde_vlekken.empty:
            return HTML(heading + "<p>Geen blinde vlekken gevonden.</p>")
        rows = [[r.naam, r.reden] for r in self.ronde.blinde_vlekken.itertuples()]
        return HTML(heading + tabel(["Wat", "Waarom"], rows, text_columns=(0, 1)))

    def loket_kinderopvang(self) -> HTML:
        """The simulated loket per gemeente: mean over replications with its 95 % interval."""
        heading = (
            "<h2>Lokaal loket kinderopvang</h2><p>Gesimuleerde werking van het loket in de huidige toestand:"
            " gemiddelde over de replicaties met het 95%-betrouwbaarheidsinterval.</p>"
        )
        if self.loket.empty:
            return HTML(heading + "<p>Geen simulatieresultaten beschikbaar.</p>")
        sections = []
        for nis, rows in self.loket.groupby("nis", sort=False):
            by_maat = rows.set_index("maat")
            first = rows.iloc[0]
            table = tabel(
                ["Maat", "Gemiddelde", "95%-interval"],
                [
                    [maat.label, maat.format(by_maat.at[maat.key, "gemiddelde"]),
                     interval(maat.format, by_maat.at[maat.key, "ci_laag"], by_maat.at[maat.key, "ci_hoog"])]
                    for maat in (MATEN[key] for key in LOKET_MATEN)
                    if maat.key in by_maat.index
                ],
            )
            sections.append(
                f"<h3>{escape(gemeente_naam(nis))}</h3><p>{as_number(first['geboorten_per_jaar'], 0)} geboorten per jaar,"
                f" {as_number(first['plaatsen'], 0)} plaatsen, {int(first['loket_medewerkers'])} loketmedewerker(s);"
                f" {int(first['n'])} replicaties.</p>{table}"
            )
        return HTML(heading + "".join(sections))

    def methode(self) -> HTML:
        versie = escape(self.ronde.roadmap_versie) if self.ronde is not None else "–"
        demo = f" Alle cijfers zijn {DEMO_LABEL}." if self.demo else ""
        return HTML(
            "<h2>Methode en gegevens</h2><p class='voetnoot'>Roadmap-versie " + versie + ". Scores 'weet niet' en"
            " 'niet van toepassing' tellen niet mee in mediaan en spreiding. Het niveau van een partner op een"
            " levensdomein is het gemiddelde van zijn scores op de stellingen van dat domein." + demo + "</p>"
        )


def _oordeel(mediaan: float, eens, n: int) -> str:
    """'verdeeld (mediaan 2,5; 4 scores)': the rule's verdict, the median and the number of scores."""
    if not n:
        return "geen scores"
    return f"{'eens' if eens else 'verdeeld'} (mediaan {as_number(mediaan)}; {'1 score' if n == 1 else f'{n} scores'})"


def _besluit(row) -> str:
    if not row.vastgelegd:
        return "nog niet vastgelegd"
    return "geen overeenstemming" if pd.isna(row.niveau) else f"niveau {row.niveau:.0f}"


def _number(value: float) -> float | None:
    """A number as JSON holds it: NaN (no scores) becomes null."""
    return None if pd.isna(value) else float(value)
