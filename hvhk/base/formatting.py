"""Numbers and dates the Belgian way (decimal comma, Dutch month names) for reports and widgets."""

import datetime
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "nl_BE"
MISSING = "–"


def as_number(value: float | None, decimals: int = 1) -> str:
    """`2,5`; a missing value shows as a dash rather than `nan`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def as_percent(share: float | None, decimals: int = 0) -> str:
    """A share 0-1 as `12 %`; a share that rounds to zero shows as `0 %`, never `-0 %`."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return MISSING
    share = round(float(share), decimals + 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(share, format=pattern, locale=LOCALE)


def as_date(iso: str) -> str:
    """`2026-03-17` as `17 maart 2026`."""
    return format_date(datetime.date.fromisoformat(iso), format="long", locale=LOCALE)


def as_difference(value: float | None) -> str:
    """A change with its sign, `+0,5` or `-0,5`, so that progress reads at a glance; a change that
    rounds to zero shows as `0,0`, never `-0,0`."""
    if value is None or math.isnan(value):
        return MISSING
    rounded = round(float(value), 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"+{as_number(rounded)}" if rounded > 0 else as_number(rounded)
