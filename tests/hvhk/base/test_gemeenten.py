import pytest

from hvhk.base.errors import GebruikersFout
from hvhk.base.gemeenten import find_gemeente, gemeente_naam, gemeenten


def test_counts_after_the_mergers_of_2025():
    counts = gemeenten()["gewest"].value_counts()
    assert counts["Vlaams Gewest"] == 285
    assert counts["Brussels Hoofdstedelijk Gewest"] == 19
    assert gemeenten()["nis"].is_unique


@pytest.mark.parametrize(
    "nis, naam",
    [("44086", "Nazareth-De Pinte"), ("73111", "Tongeren-Borgloon"), ("11002", "Antwerpen"), ("21004", "Brussel")],
)
def test_known_codes(nis, naam):
    assert gemeente_naam(nis) == naam


def test_merged_away_gemeente_is_gone_and_unknown_code_is_a_dutch_error():
    assert "Nazareth" not in set(gemeenten()["naam"])
    with pytest.raises(GebruikersFout, match="onbekende NIS-code '99999'"):
        gemeente_naam("99999")


def test_walloon_gemeenten_are_not_included():
    assert "Namur" not in set(gemeenten()["naam_fr"])


@pytest.mark.parametrize("text", ["44021", "Gent", " gent ", "Gand"])
def test_zoek_gemeente_by_code_or_name(text):
    assert find_gemeente(text) == "44021"


def test_zoek_gemeente_refuses_an_old_or_walloon_name():
    for text in ("Nazareth", "Namur"):
        with pytest.raises(GebruikersFout, match=f"onbekende gemeente '{text}'"):
            find_gemeente(text)
