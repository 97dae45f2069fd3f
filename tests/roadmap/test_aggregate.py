import numpy as np
import pandas as pd
import pytest

from roadmap import store
from roadmap.aggregate import _patterns, per_onderdeel_alle_rondes
from roadmap.analysis import SUMMARY_COLUMNS, per_onderdeel
from roadmap.definition import parse_roadmap

COLUMNS = ["huis_id", "ronde_id", "nummer", "onderdeel_id", "onderdeel", "soort", *SUMMARY_COLUMNS]


def _expected(connection, ronde_id):
    return per_onderdeel(store.antwoorden(connection, ronde_id), store.ronde_roadmap(connection, ronde_id).stellingen)


def _rows(result, ronde_id, columns):
    return result.loc[result["ronde_id"] == ronde_id, columns].reset_index(drop=True)


def _values(frame):
    """Rows as lists, NaN as None, so that a missing value can be compared."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def _answers(*rows):
    return pd.DataFrame(rows, columns=["stelling_id", "keuze", "niveau", "toelichting"])


def test_every_demo_round_equals_per_onderdeel(demo_database):
    connection = store.connect(demo_database)
    try:
        result = per_onderdeel_alle_rondes(connection)
        rondes = pd.concat([store.rondes(connection, h).assign(huis_id=h) for h in store.huizen(connection)["id"]])
        assert list(result.columns) == COLUMNS
        assert len(rondes) > 1
        assert result.drop_duplicates("ronde_id")[["huis_id", "ronde_id", "nummer"]].values.tolist() == (
            rondes.sort_values(["huis_id", "nummer"])[["huis_id", "id", "nummer"]].values.tolist()
        )
        for ronde_id in rondes["id"]:
            expected = _expected(connection, ronde_id)
            pd.testing.assert_frame_equal(_rows(result, ronde_id, expected.columns), expected)
    finally:
        connection.close()
    assert result["aandeel_weet_niet"].gt(0).any() and result["n"].gt(1).any()  # the demo data exercise both


def test_each_round_maps_answers_through_its_own_roadmap_version(connection, mini_roadmap):
    moved = "      - {id: onderwijs.2, tekst: We stemmen het aanbod af., pijlers: [opvoedingsondersteuning]}\n"
    opvang = "      - {id: kinderopvang.1, tekst: Het loket kent de vraag., pijlers: [opvoedingsondersteuning]}\n"
    text = (
        mini_roadmap.yaml.replace('versie: "test.1"', 'versie: "test.2"')
        .replace(moved, "")
        .replace(opvang, opvang + moved.replace("We stemmen", "Opvang stemt"))
        .replace("naam: Kinderopvang", "naam: Opvang")
    )
    newer = parse_roadmap(text, "test")
    assert newer.stellingen.set_index("stelling_id").loc["onderwijs.2", "onderdeel"] == "Opvang"

    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"])
    rondes = [
        store.save_ronde(connection, huis_id, 1, "2025-03-17", mini_roadmap),
        store.save_ronde(connection, huis_id, 2, "2026-03-17", newer),
    ]
    for ronde_id in rondes:
        for naam, onderwijs in (("An", 1), ("Bert", 3)):
            deelnemer_id = store.save_deelnemer(connection, ronde_id, naam)
            store.save_antwoorden(
                connection,
                deelnemer_id,
                _answers(
                    ("onderwijs.1", "niveau", onderwijs, ""),
                    ("onderwijs.2", "niveau", 4, ""),
                    ("kinderopvang.1", "niveau", 2, ""),
                    ("gebruikersparticipatie.1", "weet_niet", None, ""),
                ),
            )
    leeg_huis = store.save_huis(connection, "Huis van het Kind Leegdorp", ["44021"])
    leeg = store.save_ronde(connection, leeg_huis, 1, "2026-03-17", newer)

    result = per_onderdeel_alle_rondes(connection)
    columns = ["onderdeel", "mediaan", "q1", "minimum", "maximum", "n", "aandeel_weet_niet"]
    assert _values(_rows(result, rondes[0], columns)) == [
        ["Onderwijs", 3.0, 2.75, 2.5, 3.5, 2, 0.0],
        ["Kinderopvang", 2.0, 2.0, 2.0, 2.0, 2, 0.0],
        ["Gebruikersparticipatie", None, None, None, None, 0, 1.0],
    ]
    assert _values(_rows(result, rondes[1], columns)) == [
        ["Onderwijs", 2.0, 1.5, 1.0, 3.0, 2, 0.0],
        ["Opvang", 3.0, 3.0, 3.0, 3.0, 2, 0.0],
        ["Gebruikersparticipatie", None, None, None, None, 0, 1.0],
    ]
    for ronde_id in [*rondes, leeg]:
        expected = _expected(connection, ronde_id)
        pd.testing.assert_frame_equal(_rows(result, ronde_id, expected.columns), expected)
    unanswered = _rows(result, leeg, ["onderdeel_id", "n", "mediaan", "aandeel_weet_niet"])
    assert unanswered["onderdeel_id"].tolist() == ["onderwijs", "kinderopvang", "gebruikersparticipatie"]
    assert unanswered["n"].eq(0).all() and unanswered[["mediaan", "aandeel_weet_niet"]].isna().all().all()


def test_empty_store_gives_empty_frame_with_the_columns(connection):
    result = per_onderdeel_alle_rondes(connection)
    assert result.empty
    assert list(result.columns) == COLUMNS


@pytest.mark.parametrize("keuze", ["weet_niet", "niet_van_toepassing"])
def test_participant_without_scores_counts_in_the_share_but_not_in_n(connection, mini_roadmap, keuze):
    huis_id = store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"])
    ronde_id = store.save_ronde(connection, huis_id, 1, "2026-03-17", mini_roadmap)
    for naam, answer in (("An", ("onderwijs.1", "niveau", 2, "")), ("Bert", ("onderwijs.1", keuze, None, ""))):
        store.save_antwoorden(connection, store.save_deelnemer(connection, ronde_id, naam), _answers(answer))
    result = per_onderdeel_alle_rondes(connection)
    expected = _expected(connection, ronde_id)
    pd.testing.assert_frame_equal(_rows(result, ronde_id, expected.columns), expected)
    onderwijs = result.set_index("onderdeel_id").loc["onderwijs"]
    assert onderwijs["n"] == 1 and onderwijs["aandeel_weet_niet"] == (0.5 if keuze == "weet_niet" else 0.0)


def test_a_connection_reads_its_own_uncommitted_answers(connection, mini_roadmap):
    """The answer text is written in the same transaction as the answers."""
    ronde_id = store.save_ronde(connection, store.save_huis(connection, "Huis van het Kind Testdorp", ["44086"]), 1,
                                "2026-03-17", mini_roadmap)
    with store.transaction(connection):
        deelnemer_id = store.save_deelnemer(connection, ronde_id, "An")
        store.save_antwoorden(connection, deelnemer_id, _answers(("onderwijs.1", "niveau", 3, "")))
        tekst = store.antwoorden_als_tekst(connection)
        assert tekst[["deelnemer_id", "stellingen", "keuzes"]].values.tolist() == [[deelnemer_id, "onderwijs.1", "3"]]


def test_a_pattern_that_comes_back_later_keeps_its_number():
    versies = np.array(["v1", "v1", "v1", "v2", "v1"], dtype=object)
    stellingen = np.array(["a b", "a", "a b", "a b", "a"], dtype=object)
    assert _patterns(versies, stellingen).tolist() == [0, 1, 0, 2, 1]
    assert _patterns(versies[:0], stellingen[:0]).tolist() == []
