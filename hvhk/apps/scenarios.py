"""The loket scenario explorer: a gemeente's current loket next to one changed scenario.

Simulations run only when the user acts, so opening the app is instant: a click on Simuleren, or a
slider or choice let go, which recomputes at once so that the group sees the effect of each change
while it discusses. The runs go to a pool of processes the whole server shares (`WERKERS`): the
visitor's own thread waits for them without holding Python's lock, so other visitors' screens stay
responsive, and the pool is started once, not per change. Both situations use the gemeente's NIS
code as seed, as `hvhk demo` does, so the same inputs always give the same table; a slider of the
scenario therefore simulates the scenario only, and the current situation's runs are kept.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from html import escape

import ipywidgets as widgets
import pandas as pd

from hvhk import demodata
from hvhk.apps.ui import message_line, safe_callback, show, style_sheet
from hvhk.base.demolabel import DEMO_LABEL
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from hvhk.base.formatting import as_number
from hvhk.base.gemeenten import find_gemeente, gemeente_naam, gemeenten
from simulatie import grafieken
from simulatie.experiment import on_pool, run_scenarios, samenvatting, verschillen
from simulatie.maten import (
    BELEID_LABELS,
    GROEP_LABELS,
    LOKET_MATEN,
    MATEN,
    SOORT_LABELS,
    UITLEG_VERSCHIL,
    groep_maten,
    interval,
    significance,
    soort_maten,
)
from simulatie.scenario import SOORTEN, Scenario, in_brussel

BELEID = [(label, beleid) for beleid, label in BELEID_LABELS.items()]
PLAATSEN = {"inkomenstarief": "Plaatsen inkomenstarief", "vaste_prijs": "Plaatsen vaste prijs",
            "subsidie_kwetsbaar": "Plaatsen extra subsidie"}  # short enough for a field's label; SOORT_LABELS in full
AFWIJKING = 10  # % of the places inkomenstarief that may go to kwetsbare gezinnen outside the order (the decree)
HUIDIG, SCENARIO = "Huidige situatie", "Scenario"
START, BUSY = "Simuleren", "Bezig met simuleren…"
LOSLATEN = {"continuous_update": False}  # a slider reports the value it is let go at, not every step on the way
WERKERS = min(4, os.cpu_count() or 1)
"""Processes for the replicaties: 30 of a gemeente of 600 births a year take under a second on two."""
INTRO = (
    "<p class='hvhk-uitleg'>Kies een gemeente en vul de huidige situatie van het loket in. Zet er een scenario"
    " naast: extra plaatsen van een soort, extra loketmedewerkers of een andere toewijzing van de plaatsen."
    " Met de huidige regels krijgen werkende of studerende ouders, broers en zussen en pleegkinderen voorrang"
    " in opvang met inkomenstarief, die voor een deel van de plaatsen mag afwijken voor kwetsbare gezinnen."
    " Elke situatie"
    " wordt een aantal keer gesimuleerd (replicaties); de tabel toont per maat het gemiddelde en het"
    " 95%-interval. Hoe smaller het interval, hoe zekerder het gemiddelde: meer replicaties maken het smaller,"
    " maar duren langer. Een schuifregelaar of keuze die u loslaat, rekent meteen opnieuw; na het wijzigen"
    " van een getal klikt u op Simuleren. Het model is een vereenvoudiging van het loket, geen voorspelling.</p>"
)


def scenario_app() -> widgets.Widget:
    """Pick a gemeente, change places, staff or allotment, and compare with the current loket."""
    demo = demodata.loket_cijfers().set_index("gemeente")
    message, source, results = message_line(), widgets.HTML(), widgets.VBox()
    gemeente = widgets.Combobox(
        description="Gemeente", options=sorted(gemeenten()["naam"]), ensure_option=True,
        placeholder="Typ de naam van de gemeente",
    )
    geboorten = widgets.IntText(description="Geboorten per jaar")
    plaatsen = {soort: widgets.IntText(description=PLAATSEN[soort], tooltip=f"Plaatsen {label}")
                for soort, label in SOORT_LABELS.items()}
    medewerkers = widgets.IntText(description="Loketmedewerkers")
    nederlandstalig = widgets.BoundedIntText(description="Nederlandstalige voorrang (%)", min=0, max=100,
                                             tooltip="Aandeel van de aanvragen met Nederlandstalige voorrang (Brussel)")
    beleid = widgets.Dropdown(description="Toewijzing", options=BELEID)
    afwijking = widgets.IntSlider(description="Afwijking (%)", value=AFWIJKING, min=0, max=30, **LOSLATEN)
    extra_plaatsen = widgets.IntSlider(description="Extra plaatsen", min=-200, max=200, step=5, **LOSLATEN)
    extra_soort = widgets.Dropdown(description="Bij de soort", options=[(label, s) for s, label in SOORT_LABELS.items()])
    extra_medewerkers = widgets.IntSlider(description="Extra loketmedewerkers", min=-3, max=5, **LOSLATEN)
    nieuw_beleid = widgets.Dropdown(description="Toewijzing", options=BELEID)
    nieuwe_afwijking = widgets.IntSlider(description="Afwijking (%)", value=AFWIJKING, min=0, max=30, **LOSLATEN)
    replicaties = widgets.BoundedIntText(value=10, min=2, max=100, description="Replicaties")
    button = widgets.Button(description=START, button_style="primary")
    for field in (gemeente, geboorten, *plaatsen.values(), medewerkers, nederlandstalig, beleid, afwijking,
                  extra_plaatsen, extra_soort, extra_medewerkers, nieuw_beleid, nieuwe_afwijking, replicaties):
        field.style.description_width = "13rem"
        field.layout.width = "28rem"
    for slider in (afwijking, nieuwe_afwijking):
        slider.tooltip = ("Deel van de plaatsen met inkomenstarief dat naar kwetsbare gezinnen mag"
                                      " buiten de voorrangsregels (het decreet staat tot 10 % toe)")

    @safe_callback(message)
    def prefill(_change=None) -> None:
        brussel = gemeente.value in set(gemeenten()["naam"]) and in_brussel(find_gemeente(gemeente.value))
        nederlandstalig.layout.display = "" if brussel else "none"  # the Dutch-language priority holds in Brussels only
        if gemeente.value not in demo.index:
            source.value = ("<p class='hvhk-uitleg'>Vul de huidige cijfers van de gemeente in: geboorten per"
                            " jaar, plaatsen kinderopvang per soort en loketmedewerkers.</p>")
            return
        figures = demo.loc[gemeente.value]
        geboorten.value = int(figures["geboorten_per_jaar"])
        split = Scenario(plaatsen=int(figures["plaatsen"]), aandeel_plaatsen=demodata.AANDEEL_PLAATSEN)
        for soort, count in split.plaatsen_per_soort.items():
            plaatsen[soort].value = count
        medewerkers.value = int(figures["loket_medewerkers"])
        nederlandstalig.value = round(100 * demodata.AANDEEL_NEDERLANDSTALIG) if brussel else 0
        source.value = (f"<p class='hvhk-uitleg'>Ingevuld met {DEMO_LABEL} voor {escape(gemeente.value)};"
                        " vervang ze door de echte cijfers van de gemeente.</p>")

    def situation(naam: str, places: dict[str, int], staff: int, rule: str, share: int) -> Scenario:
        """One situation, validated: a wrong input raises the Scenario's Dutch message."""
        if any(count < 0 for count in places.values()):
            raise GebruikersFout(f"{naam}: het aantal plaatsen per soort kan niet negatief zijn.")
        total = sum(places.values())
        return Scenario(
            naam=naam, gemeente=find_gemeente(gemeente.value), geboorten_per_jaar=float(geboorten.value),
            plaatsen=total, aandeel_plaatsen={s: count / total for s, count in places.items()} if total else None,
            loket_medewerkers=staff, beleid=rule, regels={"inkomenstarief": {"afwijking": share / 100}},
            aandeel_nederlandstalig=nederlandstalig.value / 100 if nederlandstalig.layout.display != "none" else 0.0,
        )

    def scenarios() -> tuple[Scenario, Scenario]:
        if not gemeente.value.strip():
            raise GebruikersFout("Kies eerst een gemeente: typ de naam en kies ze uit de lijst.")
        current = {soort: field.value for soort, field in plaatsen.items()}
        changed = {**current, extra_soort.value: current[extra_soort.value] + extra_plaatsen.value}
        return (situation(HUIDIG, current, medewerkers.value, beleid.value, afwijking.value),
                situation(SCENARIO, changed, medewerkers.value + extra_medewerkers.value, nieuw_beleid.value,
                          nieuwe_afwijking.value))

    @safe_callback(message)
    def simulate(_event=None) -> None:
        """Simulate both situations; the previous results stay in view until the new ones replace
        them, and go when the inputs are wrong, as they no longer match the inputs."""
        button.disabled, button.description = True, BUSY
        start = time.perf_counter()
        try:
            situations = scenarios()
            show(message, BUSY)
            runs = simulated.runs(situations, replicaties.value)
        except BaseException:
            results.children = []
            raise
        finally:
            button.disabled, button.description = False, START
        loket, chart, groepen, soorten = on_pool(WERKERS, outcome, runs)
        results.children = [widgets.HTML(loket), widgets.Image(value=chart), widgets.HTML(groepen), widgets.HTML(soorten)]
        show(message, f"Klaar: {replicaties.value} replicaties per situatie voor "
             f"{gemeente_naam(situations[0].gemeente)}, in {as_number(time.perf_counter() - start)} s.")

    simulated = Situations()
    gemeente.observe(prefill, names="value")
    gemeente.value = demo.index[0]
    button.on_click(simulate)
    for choice in (beleid, afwijking, extra_plaatsen, extra_soort, extra_medewerkers, nieuw_beleid, nieuwe_afwijking):
        choice.observe(simulate, names="value")
    return widgets.VBox([
        style_sheet(), widgets.HTML(INTRO), gemeente, source,
        widgets.HBox([
            widgets.VBox([widgets.HTML(f"<h3>{HUIDIG}</h3>"), geboorten, *plaatsen.values(), medewerkers,
                          nederlandstalig, beleid, afwijking]),
            widgets.VBox([widgets.HTML(f"<h3>{SCENARIO}</h3>"), extra_plaatsen, extra_soort, extra_medewerkers,
                          nieuw_beleid, nieuwe_afwijking]),
        ]),
        replicaties, button, message, results,
    ])


class Situations:
    """The replicaties of both situations, of the current one kept from the last time.

    A slider of the scenario leaves the current situation as it was, and the same inputs and seed
    give the same runs, so it is simulated again only when its own inputs or the replicaties change:
    half the waiting after each slider let go.
    """

    def __init__(self) -> None:
        self._current: tuple[Scenario, int] | None = None
        self._current_runs = pd.DataFrame()

    def runs(self, situations: tuple[Scenario, Scenario], replicaties: int) -> pd.DataFrame:
        """One row per situation and replicatie, as `run_scenarios` of both."""
        seed = int(situations[0].gemeente)
        if self._current == (situations[0], replicaties):
            changed = run_scenarios(situations[1:], replicaties, seed=seed, werkers=WERKERS)
            return pd.concat([self._current_runs, changed], ignore_index=True)
        runs = run_scenarios(situations, replicaties, seed=seed, werkers=WERKERS)
        self._current, self._current_runs = (situations[0], replicaties), runs.loc[runs["scenario"] == HUIDIG]
        return runs


def outcome(runs: pd.DataFrame) -> tuple[str, bytes, str, str]:
    """What the app shows of the replicaties of both situations: the loket table, its chart (PNG), and
    the tables per voorrangsgroep and per soort.

    Made on a worker of the simulation's pool (`on_pool`): the server's one process runs every
    visitor's screen, and this second of pandas and matplotlib, made there, waited its turn among
    theirs and held up theirs in turn.
    """
    summaries = {naam: samenvatting(runs.loc[runs["scenario"] == naam]) for naam in (HUIDIG, SCENARIO)}
    differences = verschillen(runs, HUIDIG, SCENARIO)
    groepen = [key for groep in GROEP_LABELS for key in groep_maten(groep)]
    soorten = [key for soort in SOORTEN for key in soort_maten(soort)]
    return (table(summaries, differences, LOKET_MATEN), to_png(grafieken.situaties(summaries)),
            "<h3>Per voorrangsgroep</h3>" + table(summaries, differences, groepen),
            "<h3>Per soort opvang</h3>" + table(summaries, differences, soorten))


def table(summaries: dict[str, pd.DataFrame], differences: pd.DataFrame, keys: Sequence[str]) -> str:
    """Per measure of `keys` the mean and 95 % interval of each situation, and the paired difference;
    a measure neither situation has (a soort of location without places) is left out.

    Both situations met the same gezinnen in each replicatie, so the difference has its own, narrower
    interval; a * marks one that excludes 0: a change that is not chance.
    """
    header = ["Maat"] + [column for naam in summaries for column in (naam, "95%-interval")]
    header += ["Verschil", "95%-interval", ""]
    by_maat = differences.set_index("maat")
    rows = []
    means = {naam: summary.set_index("maat")["gemiddelde"] for naam, summary in summaries.items()}
    for maat in (MATEN[key] for key in keys if any(pd.notna(mean.get(key)) for mean in means.values())):
        cells = [maat.label]
        for summary in summaries.values():
            row = summary.set_index("maat").loc[maat.key]
            cells += [maat.format(row["gemiddelde"]), interval(maat.format, row["ci_laag"], row["ci_hoog"])]
        change = by_maat.loc[maat.key]
        cells += [maat.format_difference(change["verschil"]),
                  interval(maat.format_difference, change["ci_laag"], change["ci_hoog"]),
                  significance(change["ci_laag"], change["ci_hoog"])]
        rows.append(cells)

    def line(cells: list[str], tag: str) -> str:
        align = [""] + [" style='text-align: right'"] * (len(cells) - 1)  # numbers right-aligned
        return "<tr>" + "".join(f"<{tag}{a}>{escape(c)}</{tag}>" for a, c in zip(align, cells)) + "</tr>"

    body = "".join(line(cells, "td") for cells in rows)
    note = f"<p class='hvhk-uitleg'>{escape(UITLEG_VERSCHIL)}</p>"
    return f"<table class='hvhk-tabel'><thead>{line(header, 'th')}</thead><tbody>{body}</tbody></table>{note}"

