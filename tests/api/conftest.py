"""API test helpers (the api and portfolio fixtures live in tests/conftest.py)."""


def return_payload(portfolio, programme="a", **overrides) -> dict:
    body = {
        "programme": portfolio[programme].pk,
        "measure": portfolio["measure"].pk,
        "financial_year": "2009/10",
        "quarter": 1,
        "value": "12",
        "spend": "25000.00",
        "notes": "",
    }
    body.update(overrides)
    return body
