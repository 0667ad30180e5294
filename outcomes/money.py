"""GBP formatting, shared by pages, exports and PDF reports."""

from decimal import ROUND_HALF_UP, Decimal


def gbp(amount: Decimal | int | None, *, pence: bool = False) -> str:
    """£1,234,567 (or £1,234,567.89 with pence); negative amounts as -£1,234; None as "–"."""
    if amount is None:
        return "–"
    value = Decimal(amount)
    quantum = Decimal("0.01") if pence else Decimal("1")
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(value):,.2f}" if pence else f"{abs(value):,.0f}"
    return f"-£{text}" if value < 0 else f"£{text}"
