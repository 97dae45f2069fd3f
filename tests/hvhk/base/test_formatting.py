from hvhk.base.formatting import as_date, as_difference, as_number, as_percent


def test_belgian_numbers_dates_and_missing_values():
    assert as_number(2.456) == "2,5"
    assert as_number(1234, 0) == "1.234"
    assert as_number(float("nan")) == "–"
    assert as_percent(0.1234) == "12\u00a0%"
    assert as_percent(0.5, 1) == "50,0\u00a0%"
    assert as_date("2026-03-17") == "17 maart 2026"


def test_verschil_shows_the_sign_and_never_minus_zero():
    assert [as_difference(v) for v in (0.46, -0.44, -0.04, 0.0, float("nan"), None)] == ["+0,5", "-0,4", "0,0", "0,0", "–", "–"]


def test_a_share_that_rounds_to_zero_is_never_minus_zero():
    assert [as_percent(v) for v in (-0.001, -0.004, -0.006, 0.0)] == ["0\u00a0%", "0\u00a0%", "-1\u00a0%", "0\u00a0%"]
    assert as_percent(-0.0004, 1) == "0,0\u00a0%"
