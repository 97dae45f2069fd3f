"""Tests for the bundled Roadmap file and for the Dutch error messages of its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hvhk.base.errors import GebruikersFout
from roadmap.definition import BUNDLED, Roadmap, Schaal, as_dutch_list, load_roadmap, parse_roadmap, reeks

FIXTURES = Path(__file__).parent.parent / "fixtures"

LEVENSDOMEINEN = [
    "onderwijs",
    "gezondheidszorg",
    "kinderopvang",
    "geestelijk_welbevinden",
    "cultuur_sport_jeugd",
    "socio_economische_determinanten",
    "sociale_cohesie",
    "ouderschap_partnerschap",
    "gezins_kraamzorg",
    "jeugdhulp",
]
PIJLERS = ["preventieve_gezondheidszorg", "opvoedingsondersteuning", "ontmoeting_sociale_cohesie"]
WERKINGSPRINCIPES = {
    "geintegreerd_werken",
    "proportioneel_universalisme",
    "gebruikersparticipatie",
    "omgevingsanalyse",
}
GROEITHEMAS = {
    "beleidsvoerend_vermogen",
    "visie",
    "gedeeld_eigenaarschap",
    "fysieke_plek",
    "financiering",
    "lokale_teams_consultatiebureaus",
    "bovenlokale_netwerken",
}


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load_roadmap()


@pytest.fixture(scope="module")
def text() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected {old!r} exactly once in the text"
    return text.replace(old, new)


def line_containing(text: str, fragment: str, *, whole: bool = False) -> int:
    """The 1-based number of the one line that contains `fragment` (or is it, indentation aside)."""
    hits = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if (line.strip() == fragment if whole else fragment in line)
    ]
    assert len(hits) == 1, f"expected {fragment!r} on exactly one line, found {hits}"
    return hits[0]


def error_of(text: str) -> str:
    with pytest.raises(GebruikersFout) as info:
        parse_roadmap(text, "test.yaml")
    return str(info.value)


# --- the bundled file ------------------------------------------------------------------------


def test_bundled_file_loads(roadmap):
    assert isinstance(roadmap, Roadmap)
    assert roadmap.versie == "2026.1"
    assert roadmap.titel.startswith("Roadmap Huizen van het Kind")


def test_bundled_file_loads_from_an_explicit_path(tmp_path, text):
    path = tmp_path / "roadmap.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_roadmap(path).model_dump() == load_roadmap().model_dump()


def test_scale_has_four_labelled_levels_and_three_belang_values(roadmap):
    schaal = roadmap.schaal
    assert [n.waarde for n in schaal.niveaus] == [1, 2, 3, 4]
    assert len({n.label for n in schaal.niveaus}) == 4
    assert schaal.weet_niet == "Weet niet"
    assert schaal.niet_van_toepassing == "Niet van toepassing"
    assert sorted(schaal.belang) == [1, 2, 3]


def test_the_three_decree_pillars(roadmap):
    assert [p.id for p in roadmap.pijlers] == PIJLERS
    assert [p.naam for p in roadmap.pijlers] == [
        "Preventieve gezondheidszorg",
        "Opvoedingsondersteuning",
        "Ontmoeting en sociale cohesie",
    ]


def test_exactly_the_ten_levensdomeinen_in_order(roadmap):
    assert [d.id for d in roadmap.levensdomeinen] == LEVENSDOMEINEN


@pytest.mark.parametrize("domein_id", LEVENSDOMEINEN)
def test_each_levensdomein_has_three_to_six_stellingen(roadmap, domein_id):
    domein = next(d for d in roadmap.levensdomeinen if d.id == domein_id)
    assert 3 <= len(domein.stellingen) <= 6


def test_kinderopvang_covers_the_lokaal_loket(roadmap):
    kinderopvang = next(d for d in roadmap.levensdomeinen if d.id == "kinderopvang")
    assert sum("loket" in s.tekst.lower() for s in kinderopvang.stellingen) >= 4


def test_required_werkingsprincipes_exist(roadmap):
    assert {w.id for w in roadmap.werkingsprincipes} >= WERKINGSPRINCIPES


def test_the_seven_groeithemas_exist(roadmap):
    assert {g.id for g in roadmap.groeithemas} == GROEITHEMAS
    eigenaarschap = next(g for g in roadmap.groeithemas if g.id == "gedeeld_eigenaarschap")
    assert eigenaarschap.naam == "Eigenaarschap gedragen door meer dan één persoon"


def test_every_stelling_serves_at_least_one_pillar(roadmap):
    without = [s.id for o in roadmap.onderdelen for s in o.stellingen if not s.pijlers]
    assert without == []


def test_stelling_ids_are_numbered_within_their_onderdeel(roadmap):
    for onderdeel in roadmap.onderdelen:
        for stelling in onderdeel.stellingen:
            assert re.fullmatch(rf"{re.escape(onderdeel.id)}\.\d+", stelling.id), stelling.id


def test_stellingen_frame_has_one_row_per_stelling_with_its_soort(roadmap):
    frame = roadmap.stellingen
    expected = {
        s.id: (o.id, soort)
        for soort, groep in roadmap.groepen
        for o in groep
        for s in o.stellingen
    }
    assert list(frame.columns) == ["stelling_id", "tekst", "onderdeel_id", "onderdeel", "soort", "pijlers"]
    assert len(frame) == len(expected)
    assert frame["stelling_id"].is_unique
    actual = {row.stelling_id: (row.onderdeel_id, row.soort) for row in frame.itertuples()}
    assert actual == expected
    assert set(frame["soort"]) == {"levensdomein", "werkingsprincipe", "groeithema"}


# --- error messages --------------------------------------------------------------------------


def test_invalid_yaml_names_the_line(text):
    # A colon followed by a space inside a plain text: the classic editing mistake.
    bad = replace_once(
        text,
        "tekst: Ontmoetingsactiviteiten brengen",
        "tekst: Doel: ontmoetingsactiviteiten brengen",
    )
    line = line_containing(bad, "tekst: Doel: ")
    message = error_of(bad)
    assert message.startswith(f"test.yaml, regel {line}: geen geldige YAML")


def test_tab_indentation_names_the_line(text):
    bad = replace_once(text, "\n  weet_niet: Weet niet\n", "\n\tweet_niet: Weet niet\n")
    line = line_containing(bad, "\tweet_niet")
    assert error_of(bad).startswith(f"test.yaml, regel {line}: geen geldige YAML")


def test_missing_top_level_field_is_named(text):
    bad = replace_once(text, "\ntitel: Roadmap Huizen van het Kind — zelfevaluatie\n", "\n")
    message = error_of(bad)
    assert "veld titel: dit veld ontbreekt" in message
    # The field has no line of its own; the message points at the start of the Roadmap.
    assert f"regel {line_containing(bad, 'versie:')}," in message


def test_missing_nested_field_names_the_item_and_the_path(text):
    start = text.index("    meerwaarde: >-")  # the first one belongs to onderwijs
    end = text.index("    stellingen:", start)
    bad = text[:start] + text[end:]
    line = line_containing(bad, "- id: onderwijs", whole=True)
    assert error_of(bad) == f"test.yaml, regel {line}, veld levensdomeinen[1].meerwaarde: dit veld ontbreekt"


def test_a_level_out_of_order_names_its_line_and_field_path(text):
    bad = replace_once(text, "- waarde: 4\n", "- waarde: 5\n")
    line = line_containing(bad, "- waarde: 5")
    assert error_of(bad) == (
        f"test.yaml, regel {line}, veld schaal.niveaus[4].waarde:"
        " hier hoort waarde 4 (de niveaus tellen op vanaf 1, zonder sprong)"
    )


def test_belang_with_a_gap_is_reported_on_schaal(text):
    bad = replace_once(text, "    2: Belangrijk\n", "")
    message = error_of(bad)
    assert "veld schaal:" in message
    assert "de waarden van belang tellen op vanaf 1, zonder sprong (nu: 1, 3)" in message


def test_another_scale_is_read_from_the_file(mini_roadmap):
    """Five niveaus and four values of belang: the file, not the code, decides the scale."""
    text = (FIXTURES / "vijf_niveaus_roadmap.yaml").read_text(encoding="utf-8")
    schaal = parse_roadmap(text, "test.yaml").schaal
    assert (list(schaal.niveau_waarden), list(schaal.belang_waarden)) == ([1, 2, 3, 4, 5], [1, 2, 3, 4])
    assert list(schaal.antwoorden)[4] == "5 – Voorbeeld"
    assert (list(mini_roadmap.schaal.niveau_waarden), list(mini_roadmap.schaal.belang_waarden)) == (
        [1, 2, 3, 4], [1, 2, 3]
    )
    assert as_dutch_list(schaal.belang_waarden) == "1, 2, 3 of 4"


@pytest.mark.parametrize("aantal", range(2, 10))
def test_the_camps_are_the_lower_and_the_upper_half_with_the_middle_in_neither(aantal):
    schaal = Schaal(
        niveaus=[{"waarde": w, "label": f"L{w}", "beschrijving": f"B{w}."} for w in range(1, aantal + 1)],
        weet_niet="Weet niet", niet_van_toepassing="Niet van toepassing", belang={1: "Minder", 2: "Meer"},
    )
    laag, hoog = list(schaal.laag), list(schaal.hoog)
    assert len(laag) == len(hoog) == aantal // 2 and laag[0] == 1 and hoog[-1] == schaal.hoogste == aantal
    assert [aantal + 1 - niveau for niveau in reversed(hoog)] == laag, "the camps mirror each other"
    midden = [] if schaal.midden is None else [schaal.midden]
    assert laag + midden + hoog == list(schaal.niveau_waarden)
    assert (schaal.midden is None) == (aantal % 2 == 0)


def test_four_niveaus_split_1_2_against_3_4_and_five_leave_3_in_neither(mini_roadmap):
    vijf = load_roadmap(FIXTURES / "vijf_niveaus_roadmap.yaml").schaal
    vier = mini_roadmap.schaal
    assert (reeks(vier.laag), reeks(vier.hoog), vier.midden, vier.hoogste) == ("1–2", "3–4", None, 4)
    assert (reeks(vijf.laag), reeks(vijf.hoog), vijf.midden, vijf.hoogste) == ("1–2", "4–5", 3, 5)
    assert reeks(vijf.niveau_waarden, " tot ") == "1 tot 5" and reeks(range(1, 2)) == "1"


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("    - {waarde: 2, label: Opbouwen, beschrijving: We zijn ermee bezig.}\n"
     "    - {waarde: 3, label: Samenwerken, beschrijving: Het loopt goed.}\n"
     "    - {waarde: 4, label: Verankerd, beschrijving: Het is vanzelfsprekend.}\n"
     "    - {waarde: 5, label: Voorbeeld, beschrijving: Anderen leren van ons.}\n", "",
     "schaal.niveaus", "moet minstens 2 element(en) bevatten"),
    ("    - {waarde: 5, label: Voorbeeld, beschrijving: Anderen leren van ons.}\n",
     "".join(f"    - {{waarde: {w}, label: L{w}, beschrijving: B{w}.}}\n" for w in range(5, 11)),
     "schaal.niveaus", "mag hoogstens 9 element(en) bevatten"),
    ("{1: Niet belangrijk, 2: Minder belangrijk, 3: Belangrijk, 4: Zeer belangrijk}", "{1: Belangrijk}",
     "schaal.belang", "moet minstens 2 element(en) bevatten"),
])
def test_a_scale_too_short_or_too_long_is_refused(old, new, field, message):
    """Two niveaus at least, to have a scale; nine at most, so that a level is one digit."""
    text = (FIXTURES / "vijf_niveaus_roadmap.yaml").read_text(encoding="utf-8")
    assert error_of(replace_once(text, old, new)).endswith(f", veld {field}: {message}")


def test_duplicate_stelling_id_is_named(text):
    bad = replace_once(text, "- id: onderwijs.2\n", "- id: onderwijs.1\n")
    second = [n + 1 for n, row in enumerate(bad.splitlines()) if row.strip() == "- id: onderwijs.1"][1]
    assert error_of(bad) == (
        f"test.yaml, regel {second}, veld levensdomeinen[1].stellingen[2].id:"
        " de id 'onderwijs.1' komt meer dan eens voor"
    )


def test_unknown_pillar_is_named_with_its_stelling(text):
    bad = replace_once(
        text,
        "tekst: Ontmoetingsactiviteiten brengen gezinnen met verschillende achtergronden samen.\n"
        "        pijlers: [ontmoeting_sociale_cohesie]\n",
        "tekst: Ontmoetingsactiviteiten brengen gezinnen met verschillende achtergronden samen.\n"
        "        pijlers: [ontmoeting_sociale_cohesie, armoede]\n",
    )
    message = error_of(bad)
    assert "stelling 'sociale_cohesie.3' noemt een onbekende pijler: armoede" in message
    assert f"regel {line_containing(bad, 'pijlers: [ontmoeting_sociale_cohesie, armoede]')}," in message


def test_key_given_twice_is_refused_at_the_second(text):
    bad = replace_once(text, "titel: ", "titel: Eerste\ntitel: ")
    second = [n + 1 for n, row in enumerate(bad.splitlines()) if row.startswith("titel: ")][1]
    assert error_of(bad) == f"test.yaml, regel {second}: geen geldige YAML (het veld 'titel' staat er twee keer)"


def test_unknown_extra_field_names_its_line_and_path(text):
    bad = replace_once(
        text,
        "      - id: onderwijs.1\n",
        "      - id: onderwijs.1\n        toelichting: Voorbeeld uit de praktijk.\n",
    )
    line = line_containing(bad, "toelichting:")
    assert error_of(bad) == (
        f"test.yaml, regel {line}, veld levensdomeinen[1].stellingen[1].toelichting: onbekend veld"
    )


def test_invalid_id_names_the_allowed_characters(text):
    bad = replace_once(text, "- id: onderwijs.2\n", "- id: Onderwijs 2\n")
    line = line_containing(bad, "- id: Onderwijs 2")
    message = error_of(bad)
    assert message.startswith(f"test.yaml, regel {line}, veld levensdomeinen[1].stellingen[2].id:")
    assert "alleen kleine letters, cijfers, _ en . zijn toegelaten" in message


def test_versie_without_quotes_is_not_text(text):
    bad = replace_once(text, 'versie: "2026.1"\n', "versie: 2026.1\n")
    line = line_containing(bad, "versie: 2026.1")
    assert error_of(bad) == f"test.yaml, regel {line}, veld versie: moet tekst zijn"


@pytest.mark.parametrize("content", ["", "# alleen commentaar\n", "- versie: '1'\n"])
def test_file_without_fields_is_refused(content):
    assert error_of(content) == "test.yaml: het bestand moet een Roadmap met velden bevatten"


def test_missing_file_gives_dutch_message_with_the_path(tmp_path):
    path = tmp_path / "bestaat_niet.yaml"
    with pytest.raises(GebruikersFout) as info:
        load_roadmap(path)
    assert str(info.value) == f"Roadmap-bestand niet gevonden: {path}"


def test_non_utf8_file_gives_dutch_message_with_the_path(tmp_path, text):
    path = tmp_path / "roadmap.yaml"
    path.write_bytes(text.encode("cp1252", errors="replace"))  # as saved by an editor set to "ANSI"
    with pytest.raises(GebruikersFout) as info:
        load_roadmap(path)
    assert str(info.value) == f"{path}: het bestand is geen UTF-8-tekst"


def test_errors_in_a_file_name_the_file(tmp_path, text):
    path = tmp_path / "mijn_roadmap.yaml"
    bad = replace_once(text, "- waarde: 4\n", "- waarde: 5\n")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(GebruikersFout) as info:
        load_roadmap(path)
    line = line_containing(bad, "- waarde: 5")
    assert str(info.value).startswith(f"{path}, regel {line}, veld schaal.niveaus[4].waarde:")
