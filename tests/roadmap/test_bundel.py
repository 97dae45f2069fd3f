"""Bundles: a Huis carried from store to store, merged without loss or duplicates, hostile files refused."""

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvhk.base.errors import GebruikersFout
from rapporten.huis import HuisRapport
from roadmap import analysis, bespreking, store
from roadmap.io import bundel

HUIS = "Huis van het Kind Bundeldorp"


def _answers(*rows):
    return pd.DataFrame(rows, columns=["stelling_id", "keuze", "niveau", "toelichting"])


def origin_store(path: Path, mini_roadmap) -> tuple:
    """A coordinator's store: one Huis, one round, two partners, a discussion, priorities and an action."""
    connection = store.connect(path)
    huis_id = store.save_huis(connection, HUIS, ["44021"])
    ronde_id = store.save_ronde(connection, huis_id, 1, "2026-03-01", mini_roadmap)
    an = store.save_deelnemer(connection, ronde_id, "An", "CLB", "onderwijs")
    bart = store.save_deelnemer(connection, ronde_id, "Bart", "OCMW", None)
    store.save_antwoorden(connection, an, _answers(("onderwijs.1", "niveau", 1, "nog niet"),
                                                   ("onderwijs.2", "weet_niet", None, "")))
    store.save_antwoorden(connection, bart, _answers(("onderwijs.1", "niveau", 4, "")))
    store.save_belang(connection, an, {"onderwijs": 3})
    store.plan_bespreking(connection, ronde_id, ["onderwijs.1"])
    store.open_stemming(connection, ronde_id, "onderwijs.1")
    store.save_stem(connection, an, "onderwijs.1", "niveau", 3)
    store.save_uitkomst(connection, ronde_id, "onderwijs.1", 3, "Samen gezien.")
    store.save_prioriteiten(connection, ronde_id, ["onderwijs"])
    store.save_actie(connection, ronde_id, "onderwijs", "Overleg met de scholen", "An", "CLB", "2026-09-01")
    return connection, huis_id, ronde_id, an, bart


def dump(path: Path) -> list[str]:
    connection = store.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_a_bundle_read_into_an_empty_store_gives_the_same_round(tmp_path, mini_roadmap):
    origin, huis_id, ronde_id, _, _ = origin_store(tmp_path / "a.sqlite", mini_roadmap)
    path = tmp_path / "bundel.zip"
    bundel.export_bundel(origin, huis_id, path)
    trainer = store.connect(tmp_path / "b.sqlite")
    verslag = bundel.import_bundel(trainer, path)
    assert (verslag.huis, verslag.nieuw, verslag.bijgewerkt, verslag.ongewijzigd) == (HUIS, 1, 0, 0)
    copy = int(store.rondes(trainer, store.huis_id(trainer, HUIS))["id"].iloc[0])
    assert store.deelnemers(trainer, copy)[["naam", "organisatie"]].values.tolist() == [["Partner A", ""], ["Partner B", ""]]
    for read in (store.antwoorden, store.belangen, store.stemmen, store.besprekingen, store.prioriteiten):
        left, right = read(origin, ronde_id), read(trainer, copy)
        if isinstance(left, pd.DataFrame):
            left, right = left.drop(columns="deelnemer_id", errors="ignore"), right.drop(columns="deelnemer_id", errors="ignore")
            pd.testing.assert_frame_equal(left, right)
        else:
            assert left == right
    assert store.acties(origin, ronde_id).drop(columns="id").equals(store.acties(trainer, copy).drop(columns="id"))


def imported_once(tmp_path: Path, mini_roadmap) -> tuple:
    """The origin store (as `origin_store`), its bundle with names, and a trainer's store that read it."""
    origin = origin_store(tmp_path / "a.sqlite", mini_roadmap)
    first = tmp_path / "eerste.zip"
    bundel.export_bundel(origin[0], origin[1], first, met_namen=True)
    trainer = store.connect(tmp_path / "b.sqlite")
    bundel.import_bundel(trainer, first)
    trainer.close()
    return origin, first, tmp_path / "b.sqlite"


def test_the_same_bundle_twice_changes_nothing_and_a_newer_one_brings_its_changes(tmp_path, mini_roadmap):
    (origin, huis_id, ronde_id, an, bart), first, trainer_path = imported_once(tmp_path, mini_roadmap)
    trainer = store.connect(trainer_path)
    before = dump(trainer_path)
    verslag = bundel.import_bundel(trainer, first)
    assert (verslag.nieuw, verslag.bijgewerkt, verslag.ongewijzigd) == (0, 0, 1) and dump(trainer_path) == before

    store.save_antwoorden(origin, bart, _answers(("onderwijs.1", "niveau", 2, "na overleg")))  # a change ...
    chris = store.save_deelnemer(origin, ronde_id, "Chris")  # ... a partner who came later ...
    store.save_antwoorden(origin, chris, _answers(("onderwijs.2", "niveau", 3, "")))
    tweede = store.save_ronde(origin, huis_id, 2, "2026-10-01", mini_roadmap)  # ... and a new round
    store.save_antwoorden(origin, store.save_deelnemer(origin, tweede, "An"), _answers(("onderwijs.1", "niveau", 2, "")))
    newer = tmp_path / "nieuwer.zip"
    bundel.export_bundel(origin, huis_id, newer, met_namen=True)
    verslag = bundel.import_bundel(trainer, newer)
    assert (verslag.nieuw, verslag.bijgewerkt, verslag.ongewijzigd) == (1, 1, 0)
    rounds = store.rondes(trainer, store.huis_id(trainer, HUIS))
    assert rounds["nummer"].tolist() == [1, 2]
    first_round = int(rounds["id"].iloc[0])
    assert store.deelnemers(trainer, first_round)["naam"].tolist() == ["An", "Bart", "Chris"]
    assert store.antwoorden(trainer, first_round)[["stelling_id", "niveau", "toelichting"]].astype(object).values.tolist()[2] == [
        "onderwijs.1", 2, "na overleg"]
    assert len(store.huizen(trainer)) == 1 and store.row_counts(trainer)["deelnemer"] == 4  # no duplicates
    again = dump(trainer_path)
    bundel.import_bundel(trainer, newer)
    assert dump(trainer_path) == again


def test_an_edit_in_the_store_that_the_bundle_does_not_know_is_refused_and_nothing_is_written(tmp_path, mini_roadmap):
    (origin, huis_id, ronde_id, an, bart), first, trainer_path = imported_once(tmp_path, mini_roadmap)
    trainer = store.connect(trainer_path)
    copy = int(store.rondes(trainer, store.huis_id(trainer, HUIS))["id"].iloc[0])
    bart_copy = int(store.find_deelnemer(trainer, copy, "Bart")["id"])
    store.save_antwoorden(trainer, bart_copy, _answers(("onderwijs.1", "niveau", 3, "de trainer paste aan")))
    store.save_antwoorden(origin, bart, _answers(("onderwijs.1", "niveau", 2, "de coördinator ook")))
    store.save_ronde(origin, huis_id, 2, "2026-10-01", mini_roadmap)  # a new round too, which must not come in alone
    newer = tmp_path / "nieuwer.zip"
    bundel.export_bundel(origin, huis_id, newer, met_namen=True)
    before = dump(trainer_path)
    with pytest.raises(GebruikersFout) as error:
        bundel.import_bundel(trainer, newer)
    assert f"Huis '{HUIS}', ronde 1: wat deelnemer 'Bart' ingaf verschilt" in str(error.value)
    assert "er is niets ingelezen" in str(error.value) and dump(trainer_path) == before


def test_a_huis_or_round_of_the_same_name_from_another_source_is_refused(tmp_path, mini_roadmap):
    origin, huis_id, _, _, _ = origin_store(tmp_path / "a.sqlite", mini_roadmap)
    path = tmp_path / "bundel.zip"
    bundel.export_bundel(origin, huis_id, path)
    other_path = tmp_path / "c.sqlite"
    other = store.connect(other_path)
    store.save_huis(other, HUIS, ["44021"])  # typed in by hand: another Huis for this store
    before = dump(other_path)
    with pytest.raises(GebruikersFout, match=f"Huis '{HUIS}': deze database heeft al een Huis met die naam"):
        bundel.import_bundel(other, path)
    assert dump(other_path) == before


KEUZE_LETTERS = {"weet_niet": "w", "niet_van_toepassing": "n"}


def text_from_the_answers(connection) -> list[list]:
    """Per participant with answers, [deelnemer_id, stellingen, keuzes] as the answers themselves give them."""
    rows = []
    for ronde_id in store.alle_rondes(connection)["ronde_id"].tolist():
        for deelnemer_id, own in store.antwoorden(connection, ronde_id).sort_values("stelling_id").groupby("deelnemer_id"):
            letters = [KEUZE_LETTERS.get(keuze) or str(int(niveau)) for keuze, niveau in zip(own["keuze"], own["niveau"])]
            rows.append([int(deelnemer_id), " ".join(own["stelling_id"]), "".join(letters)])
    return sorted(rows)


def test_the_answer_text_follows_saves_changes_and_bundles(tmp_path, mini_roadmap):
    """The aggregate reads the answers as text kept next to them (antwoord_tekst): every write of answers
    writes it again, a save, a change, a bundle read for the first time, a newer one and one without a partner."""
    (origin, huis_id, ronde_id, an, bart), first, trainer_path = imported_once(tmp_path, mini_roadmap)
    trainer = store.connect(trainer_path)
    store.save_antwoorden(origin, bart, _answers(("onderwijs.1", "niveau", 2, ""),
                                                 ("kinderopvang.1", "niet_van_toepassing", None, "")))
    newer = tmp_path / "nieuwer.zip"
    bundel.export_bundel(origin, huis_id, newer, met_namen=True)
    bundel.import_bundel(trainer, newer)
    for connection in (origin, trainer):
        kept = store.antwoorden_als_tekst(connection)[["deelnemer_id", "stellingen", "keuzes"]].values.tolist()
        assert kept == text_from_the_answers(connection)
        assert [row[1:] for row in kept] == [["onderwijs.1 onderwijs.2", "1w"], ["kinderopvang.1 onderwijs.1", "n2"]]
    without_bart = _rewrite(newer, tmp_path / "zonder.zip", lambda manifest, huis: huis["rondes"][0]["deelnemers"].pop())
    assert bundel.import_bundel(trainer, without_bart).bijgewerkt == 1
    kept = store.antwoorden_als_tekst(trainer)[["deelnemer_id", "stellingen", "keuzes"]].values.tolist()
    assert kept == text_from_the_answers(trainer) and [row[1:] for row in kept] == [["onderwijs.1 onderwijs.2", "1w"]]


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of a bundle with its members changed by `change(manifest, huis)`, checksum kept right."""
    with zipfile.ZipFile(source) as archive:
        manifest, huis = json.loads(archive.read("manifest.json")), json.loads(archive.read("huis.json"))
    change(manifest, huis)
    data = json.dumps(huis).encode()
    manifest["bestanden"]["huis.json"] = manifest["bestanden"].get("huis.json") and hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("huis.json", data)
    return target


def _rename_version(manifest, huis):
    huis["roadmap_versies"] = {"9.9": next(iter(huis["roadmap_versies"].values()))}
    for ronde in huis["rondes"]:
        ronde["roadmap_versie"] = "9.9"


def _hostile(tmp_path: Path, good: Path) -> dict:
    not_zip = tmp_path / "geen.zip"
    not_zip.write_text("dit is geen zip")
    escape = tmp_path / "pad.zip"
    with zipfile.ZipFile(escape, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../huis.json", "{}")
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("huis.json", b"\0" * 3_000_000)
    tampered = tmp_path / "gewijzigd.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(tampered, "w") as archive:
        archive.writestr("manifest.json", source.read("manifest.json"))
        archive.writestr("huis.json", source.read("huis.json").replace(b'"Samen gezien."', b'"Anders gezien"'))
    return {
        not_zip: "geen hvhk-bundel (geen zip-bestand)",
        escape: "een pad dat buiten de bundel wijst ('../../huis.json')",
        bomb: "uitgepakt zou de bundel 3 MB groot zijn; een bundel is hoogstens 2 MB",
        tampered: "het controlegetal van huis.json klopt niet",
        _rewrite(good, tmp_path / "nieuw.zip", lambda m, h: m.update(formaat=bundel.FORMAAT + 1)):
            f"formaat {bundel.FORMAAT + 1}, gemaakt met een nieuwere hvhk",
        _rewrite(good, tmp_path / "versie.zip", _rename_version): "de Roadmap-tekst van versie '9.9' is die van versie",
        _rewrite(good, tmp_path / "stelling.zip",
                 lambda m, h: h["rondes"][0]["deelnemers"][0]["antwoorden"][0].__setitem__(0, "onderwijs.99")):
            "deelnemer 'Partner A': onbekende stelling 'onderwijs.99'",
        _rewrite(good, tmp_path / "uid.zip", lambda m, h: h["huis"].update(uid="../x")):
            "huis.json is onleesbaar (veld huis.uid: is geen geldige code)",
        _rewrite(good, tmp_path / "leeg.zip", lambda m, h: h["rondes"][0]["deelnemers"][0].pop("naam")):
            "huis.json is onleesbaar (veld rondes.0.deelnemers.0.naam: dit veld ontbreekt)",
    }


def test_damaged_and_hostile_bundles_are_refused_in_dutch_and_the_store_stays_untouched(tmp_path, mini_roadmap,
                                                                                          monkeypatch):
    monkeypatch.setattr(bundel, "MAX_UITGEPAKT_MB", 2)
    origin, huis_id, _, _, _ = origin_store(tmp_path / "a.sqlite", mini_roadmap)
    good = tmp_path / "goed.zip"
    bundel.export_bundel(origin, huis_id, good)
    trainer_path = tmp_path / "b.sqlite"
    trainer = store.connect(trainer_path)
    before = dump(trainer_path)
    for path, expected in _hostile(tmp_path, good).items():
        with pytest.raises(GebruikersFout) as error:
            bundel.import_bundel(trainer, path)
        assert str(error.value).startswith(f"{path}: ") and expected in str(error.value), str(error.value)
        assert dump(trainer_path) == before
    assert bundel.import_bundel(trainer, good).nieuw == 1  # and the good one still reads


ROUNDS = st.lists(  # per partner: answers to the mini Roadmap's four stellingen (None: not answered), belang
    st.tuples(st.lists(st.sampled_from([None, 1, 2, 3, 4, "weet_niet"]), min_size=4, max_size=4),
              st.integers(1, 3)),
    min_size=1, max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partners=ROUNDS, discussed=st.booleans())
def test_round_trip_gives_identical_analysis(tmp_path_factory, mini_roadmap, partners, discussed):
    folder = tmp_path_factory.mktemp("bundel")
    origin = store.connect(folder / "a.sqlite")
    huis_id = store.save_huis(origin, HUIS, ["44021"])
    ronde_id = store.save_ronde(origin, huis_id, 1, "2026-03-01", mini_roadmap)
    stellingen = mini_roadmap.stellingen["stelling_id"].tolist()
    ids = []
    for number, (answers, belang) in enumerate(partners):
        ids.append(store.save_deelnemer(origin, ronde_id, f"Partner {number}"))
        rows = [(s, "weet_niet", None, "") if a == "weet_niet" else (s, "niveau", a, f"t{number}")
                for s, a in zip(stellingen, answers) if a is not None]
        if rows:
            store.save_antwoorden(origin, ids[-1], _answers(*rows))
        store.save_belang(origin, ids[-1], {"onderwijs": belang})
    if discussed:
        store.plan_bespreking(origin, ronde_id, stellingen[:1])
        store.open_stemming(origin, ronde_id, stellingen[0])
        store.save_stem(origin, ids[0], stellingen[0], "niveau", 2)
    path = folder / "bundel.zip"
    bundel.export_bundel(origin, huis_id, path)
    trainer = store.connect(folder / "b.sqlite")
    bundel.import_bundel(trainer, path)
    copy = int(store.rondes(trainer, store.huis_id(trainer, HUIS))["id"].iloc[0])

    def results(connection, ronde):
        antwoorden, stellingen_frame = store.antwoorden(connection, ronde), mini_roadmap.stellingen
        return (analysis.per_onderdeel(antwoorden, stellingen_frame),
                analysis.onenigheid(antwoorden, stellingen_frame, mini_roadmap.schaal),
                analysis.prioriteiten(analysis.per_onderdeel(antwoorden, stellingen_frame),
                                      store.belangen(connection, ronde), mini_roadmap.schaal.hoogste),
                bespreking.voor_en_na(antwoorden, store.stemmen(connection, ronde), store.besprekingen(connection, ronde),
                                      stellingen_frame, mini_roadmap.schaal))

    for left, right in zip(results(origin, ronde_id), results(trainer, copy)):
        pd.testing.assert_frame_equal(left, right)
    origin.close()
    trainer.close()


def test_report_numbers_are_the_same_after_a_round_trip_of_every_demo_huis(tmp_path, demo_database):
    connection = store.connect(demo_database)
    trainer_path = tmp_path / "trainer.sqlite"
    trainer = store.connect(trainer_path)
    for huis in store.huizen(connection).itertuples():
        path = tmp_path / f"{huis.id}.zip"
        bundel.export_bundel(connection, huis.id, path)
        bundel.import_bundel(trainer, path)
    for huis in store.huizen(connection).itertuples():
        copy = store.huis_id(trainer, huis.naam)
        assert HuisRapport.load(trainer_path, copy).resultaten() == HuisRapport.load(demo_database, huis.id).resultaten()
    connection.close()
    trainer.close()
