from hvhk.formatting import datum, getal, procent


def test_belgian_numbers_dates_and_missing_values():
    assert getal(2.456) == "2,5"
    assert getal(1234, 0) == "1.234"
    assert getal(float("nan")) == "–"
    assert procent(0.1234) == "12\u00a0%"
    assert procent(0.5, 1) == "50,0\u00a0%"
    assert datum("2026-03-17") == "17 maart 2026"
