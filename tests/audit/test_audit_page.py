"""The audit log's web page shows each change in words: field labels, not names; values as the
pages show them (choices by label, money in pounds, linked records by name, dates written out)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services
from tests.conftest import login

pytestmark = pytest.mark.django_db


def changes_shown(page: str) -> list[str]:
    cells = re.findall(r'<ul class="govuk-list govuk-body-s">(.*?)</ul>', page, re.S)
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for cell in cells
        for item in re.findall(r"<li>(.*?)</li>", cell, re.S)
    ]


def test_changes_are_shown_with_labels_and_formatted_values(client, portfolio, provider, commissioner):
    item = services.ReturnInput(
        programme_id=portfolio["a"].pk, measure_id=portfolio["measure"].pk, financial_year="2009/10",
        quarter=1, value=Decimal("12"), spend=Decimal("18750"), notes="",
    )  # fmt: skip
    outcome_return = services.return_submit(user=provider, data=item)
    services.return_verify(user=commissioner, outcome_return=outcome_return)
    page = login(client, commissioner).get(reverse("audit-log"), {"object_type": "return"}).content.decode()
    shown = changes_shown(page)
    assert "Status: Submitted → Verified" in shown
    assert f"Reviewed by: – → {commissioner}" in shown
    assert "Spend: £18,750.00" in shown
    assert "Value: 12" in shown
    assert f"Measure: {portfolio['measure'].name}" in shown
    assert any(s.startswith("Reviewed at: – → ") and re.search(r"\d{4} \d\d:\d\d$", s) for s in shown), shown
    for raw in ("reviewed_by", "reviewed_at", "18750.00", "submitted → verified"):
        assert raw not in " ".join(shown), raw
