"""One set of formatters for pages, e-mails, exports and PDF reports: money (GBP), numbers,
percentages and dates. None (or "") is shown as an en dash everywhere."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DASH = "–"


def gbp(amount: Decimal | int | None, *, pence: bool = False) -> str:
    """£1,234,567 (or £1,234,567.89 with pence); negative amounts as -£1,234; None as "–"."""
    if amount is None:
        return DASH
    value = Decimal(amount)
    quantum = Decimal("0.01") if pence else Decimal("1")
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(value):,.2f}" if pence else f"{abs(value):,.0f}"
    return f"-£{text}" if value < 0 else f"£{text}"


def percent(share: Decimal | float | None, places: int = 0) -> str:
    """A share as a percentage: 0.125 → "13%" (places=0, half up); None as "–"."""
    if share is None or share == "":
        return DASH
    value = (Decimal(str(share)) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value:.{places}f}%"


def number(value: Decimal | float | int | None, places: int = 0) -> str:
    """1,234 (or 1,234.5 with places=1); None as "–"."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(str(value)):,.{places}f}"


def long_date(day: date) -> str:
    """1 April 2009."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """1 Apr 2009."""
    return f"{day.day} {day:%b %Y}"
