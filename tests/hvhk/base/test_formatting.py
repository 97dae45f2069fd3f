from hvhk.base.formatting import datum, getal, procent, verschil


def test_belgian_numbers_dates_and_missing_values():
    assert getal(2.456) == "2,5"
    assert getal(1234, 0) == "1.234"
    assert getal(float("nan")) == "–"
    assert procent(0.1234) == "12\u00a0%"
    assert procent(0.5, 1) == "50,0\u00a0%"
    assert datum("2026-03-17") == "17 maart 2026"


def test_verschil_shows_the_sign_and_never_minus_zero():
    assert [verschil(v) for v in (0.46, -0.44, -0.04, 0.0, float("nan"), None)] == ["+0,5", "-0,4", "0,0", "0,0", "–", "–"]


def test_a_share_that_rounds_to_zero_is_never_minus_zero():
    assert [procent(v) for v in (-0.001, -0.004, -0.006, 0.0)] == ["0\u00a0%", "0\u00a0%", "-1\u00a0%", "0\u00a0%"]
    assert procent(-0.0004, 1) == "0,0\u00a0%"
