"""A programme's dates may not move so that its targets, returns or payments fall outside them:
the same refusal through the API, the service and the admin's programme form."""

from datetime import date

from core.errors import ValidationFailed
from grants import services
from grants.services.programmes import DATES_STRAND_RECORDS


def _refusal(records: str, start: str, end: str) -> str:
    return DATES_STRAND_RECORDS.format(records=records, start=start, end=end)


def test_shortening_past_the_targets_is_refused_through_the_api(api, commissioner, portfolio):
    programme = portfolio["a"]
    response = api(commissioner).patch(
        f"/api/programmes/{programme.pk}/", {"end_date": "2009-06-30"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"end_date": [_refusal("targets", "1 Apr 2009", "30 Jun 2009")]}
    programme.refresh_from_db()
    assert programme.end_date == date(2011, 3, 31)


def test_moving_the_start_past_the_targets_and_returns_names_both(commissioner, provider, portfolio):
    programme, measure = portfolio["a"], portfolio["measure"]
    services.return_submit(
        user=provider,
        data=services.ReturnInput(programme.pk, measure.pk, "2009/10", 1, value=3),
        today=date(2009, 8, 1),
    )
    try:
        services.programme_update(user=commissioner, programme=programme, fields={"start_date": date(2010, 4, 1)})
    except ValidationFailed as exc:
        assert exc.errors == {"start_date": [_refusal("targets and returns", "1 Apr 2010", "31 Mar 2011")]}
    else:
        raise AssertionError("the new start date was accepted")
    programme.refresh_from_db()
    assert programme.start_date == date(2009, 4, 1)


def test_dates_that_still_cover_every_record_are_saved(commissioner, portfolio):
    programme = portfolio["a"]
    services.programme_update(user=commissioner, programme=programme, fields={"end_date": date(2010, 3, 31)})
    programme.refresh_from_db()
    assert programme.end_date == date(2010, 3, 31)
