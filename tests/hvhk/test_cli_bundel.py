"""`hvhk bundel exporteer | importeer` as a trainer uses them: bundles of two Huizen from their own
stores brought together in one, a bad one among them refused while the others come in."""

import pandas as pd

from hvhk.cli import main
from roadmap import store
from roadmap.definition import load_roadmap


def _store(path, huis: str, nis: str) -> None:
    connection = store.connect(path)
    ronde = store.save_ronde(connection, store.save_huis(connection, huis, [nis]), 1, "2026-10-01", load_roadmap())
    an = store.save_deelnemer(connection, ronde, "An Peeters", "CLB", "onderwijs")
    store.save_antwoorden(connection, an, pd.DataFrame(
        {"stelling_id": ["onderwijs.1"], "keuze": ["niveau"], "niveau": [3], "toelichting": [""]}))
    connection.close()


def test_a_trainer_brings_the_bundles_of_two_huizen_together(tmp_path, capsys):
    bundels = []
    for huis, nis in (("Huis van het Kind Gent", "44021"), ("Huis van het Kind Genk", "71016")):
        database, bundel = tmp_path / f"{nis}.sqlite", tmp_path / f"{nis}.zip"
        _store(database, huis, nis)
        assert main(["bundel", "exporteer", "--huis", huis, "--database", str(database), "--uitvoer", str(bundel)]) == 0
        assert capsys.readouterr().out.strip() == f"Bundel geschreven: {bundel} (deelnemers zonder naam)"
        bundels.append(str(bundel))
    kapot = tmp_path / "kapot.zip"
    kapot.write_bytes(b"PK\x03\x04 geen echte bundel")
    trainer = tmp_path / "trainer.sqlite"
    assert main(["bundel", "importeer", *bundels, str(kapot), "--database", str(trainer)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{bundels[0]}: Huis 'Huis van het Kind Gent': 1 nieuwe ronde(s), 0 bijgewerkt, 0 ongewijzigd.",
        f"{bundels[1]}: Huis 'Huis van het Kind Genk': 1 nieuwe ronde(s), 0 bijgewerkt, 0 ongewijzigd.",
        f"fout: {kapot}: geen hvhk-bundel (geen zip-bestand); er is niets ingelezen",
        "1 van 3 bundel(s) niet ingelezen; de andere wel.",
    ]
    assert main(["bundel", "importeer", str(tmp_path / "weg.zip"), "--database", str(trainer)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"fout: {tmp_path / 'weg.zip'}: bestand niet gevonden",
                                                    "Geen enkele bundel ingelezen."]
    assert main(["bundel", "importeer", *bundels, "--database", str(trainer)]) == 0
    assert "0 nieuwe ronde(s), 0 bijgewerkt, 1 ongewijzigd." in capsys.readouterr().out
    connection = store.connect(trainer)
    assert store.huizen(connection)["naam"].tolist() == ["Huis van het Kind Genk", "Huis van het Kind Gent"]
    assert store.row_counts(connection)["antwoord"] == 2
    connection.close()
