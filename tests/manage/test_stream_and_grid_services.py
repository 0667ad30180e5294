"""Funding streams and the target grid through grants.services: who may, what is refused (all or
nothing for the grid), and history only for what changed."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import NotFound, NotPermitted, ValidationFailed
from grants import services
from grants.models import FundingStream, ProgrammeTarget
from grants.permissions import COMMISSIONERS_CHANGE_PROGRAMMES, STREAMS_CHANGED_BY
from grants.services.programmes import TARGET_HAS_RETURNS
from grants.services.streams import DUPLICATE_CODE, DUPLICATE_STREAM
from grants.services.target_grid import CELL_NEGATIVE, CELL_OUTSIDE_DATES, TargetRow, cell_name
from outcomes.periods import Quarter
from tests.factories import (
    FunderFactory,
    FundingStreamFactory,
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def stream_fields(**overrides) -> dict:
    fields = {"name": "Working Neighbourhoods Fund", "code": "", "funder": FunderFactory(),
              "financial_year": "2010/11", "budget": D("2500000"), "description": ""}  # fmt: skip
    return fields | overrides


@pytest.mark.parametrize("who", ["commissioner", "finance"])
def test_commissioners_and_finance_officers_create_streams_with_a_code_made_for_them(request, who):
    user = request.getfixturevalue(who)
    stream = services.funding_stream_create(user=user, fields=stream_fields())
    assert stream.code == "working-neighbourhoods-fund-2010-11"
    assert stream.history.get().history_user == user


def test_providers_cannot_create_streams(provider):
    with pytest.raises(NotPermitted) as refused:
        services.funding_stream_create(user=provider, fields=stream_fields())
    assert refused.value.message == STREAMS_CHANGED_BY
    assert not FundingStream.objects.exists()


def test_a_duplicate_stream_name_in_the_year_and_a_used_code_are_refused(commissioner):
    first = services.funding_stream_create(user=commissioner, fields=stream_fields(code="wnf"))
    with pytest.raises(ValidationFailed) as refused:
        services.funding_stream_create(
            user=commissioner, fields=stream_fields(name="working neighbourhoods FUND", code="wnf")
        )
    assert refused.value.errors == {
        "name": [DUPLICATE_STREAM.format(name="working neighbourhoods FUND", year="2010/11")],
        "code": [DUPLICATE_CODE.format(code="wnf", stream=first)],
    }
    # the same name in another year is another stream
    assert services.funding_stream_create(user=commissioner, fields=stream_fields(financial_year="2011/12"))


def test_a_malformed_year_and_a_negative_budget_are_refused_on_their_fields(commissioner):
    with pytest.raises(ValidationFailed) as refused:
        services.funding_stream_create(
            user=commissioner, fields=stream_fields(financial_year="2010/12", budget=D("-1"))
        )
    assert set(refused.value.errors) == {"financial_year", "budget"}


def test_a_budget_cannot_fall_below_what_is_awarded(finance):
    stream = FundingStreamFactory(budget=D("200000"))
    ProgrammeFactory(funding_stream=stream, award_amount=D("150000"))
    with pytest.raises(ValidationFailed) as refused:
        services.funding_stream_update(user=finance, stream=stream, fields={"budget": D("100000")})
    assert "£150,000 is already awarded" in refused.value.errors["budget"][0]
    stream.refresh_from_db()
    assert stream.budget == D("200000")
    services.funding_stream_update(user=finance, stream=stream, fields={"budget": D("150000")})
    stream.refresh_from_db()
    assert stream.budget == D("150000") and stream.history.first().history_user == finance


# --- the target grid --------------------------------------------------------------------------


@pytest.fixture
def programme():
    return ProgrammeFactory(start_date=date(2009, 7, 1), end_date=date(2010, 6, 30))


Q = Quarter.of


def test_the_grid_creates_changes_and_removes_targets_in_one_go(commissioner, programme):
    measure = OutcomeMeasureFactory()
    ProgrammeTargetFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=2,
                           target_value=D("5"))  # fmt: skip
    ProgrammeTargetFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=3,
                           target_value=D("6"))  # fmt: skip
    kept = ProgrammeTargetFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=4,
                                  target_value=D("7"))  # fmt: skip
    row = TargetRow(measure, {Q("2009/10", 2): D("8"), Q("2009/10", 3): None, Q("2009/10", 4): D("7"),
                              Q("2010/11", 1): D("9")})  # fmt: skip
    changes = services.targets_save_grid(user=commissioner, programme=programme, rows=[row])
    assert (len(changes.created), len(changes.changed), len(changes.deleted)) == (1, 1, 1)
    values = dict(
        ProgrammeTarget.objects.filter(programme=programme).values_list("quarter", "target_value")
    )
    assert values == {2: D("8"), 4: D("7"), 1: D("9")}
    assert kept.history.count() == 1  # unchanged: no history row


def test_one_refused_cell_keeps_the_whole_grid_unsaved_and_names_every_cell(commissioner, programme):
    measure = OutcomeMeasureFactory()
    returned = ProgrammeTargetFactory(programme=programme, measure=measure, financial_year="2009/10",
                                      quarter=2)  # fmt: skip
    OutcomeReturnFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=2)
    row = TargetRow(measure, {Q("2009/10", 1): D("3"), Q("2009/10", 2): None, Q("2009/10", 3): D("-1"),
                              Q("2009/10", 4): D("4")})  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.targets_save_grid(user=commissioner, programme=programme, rows=[row])
    assert refused.value.errors == {
        cell_name(measure.pk, Q("2009/10", 1)): [CELL_OUTSIDE_DATES.format(quarter="2009/10 Q1")],
        cell_name(measure.pk, Q("2009/10", 2)): [TARGET_HAS_RETURNS],
        cell_name(measure.pk, Q("2009/10", 3)): [CELL_NEGATIVE],
    }
    assert list(ProgrammeTarget.objects.filter(programme=programme)) == [returned]


def test_a_pbr_row_sets_its_tariff_on_every_target(commissioner, programme):
    measure = OutcomeMeasureFactory()
    row = TargetRow(measure, {Q("2009/10", 2): D("2"), Q("2009/10", 3): D("2")}, tariff=D("1500"))
    services.targets_save_grid(user=commissioner, programme=programme, rows=[row])
    assert set(ProgrammeTarget.objects.values_list("tariff", flat=True)) == {D("1500")}


@pytest.mark.parametrize("who, error, message", [
    ("finance", NotPermitted, COMMISSIONERS_CHANGE_PROGRAMMES),
    ("provider", NotFound, "No programme with that id is visible to you."),
])  # fmt: skip
def test_only_commissioners_save_the_grid(request, programme, who, error, message):
    row = TargetRow(OutcomeMeasureFactory(), {Q("2009/10", 2): D("2")})
    with pytest.raises(error) as refused:
        services.targets_save_grid(user=request.getfixturevalue(who), programme=programme, rows=[row])
    assert refused.value.message == message
    assert not ProgrammeTarget.objects.exists()


def test_the_admin_saves_streams_through_the_service(client, admin_user):
    client.force_login(admin_user)
    funder = FunderFactory()
    form = {"name": "Safer Stronger Communities Fund", "code": "sscf-2010", "funder": funder.pk,
            "financial_year": "2010/11", "budget": "400000", "description": ""}  # fmt: skip
    assert client.post("/admin/grants/fundingstream/add/", form).status_code == 302
    assert FundingStream.objects.get(code="sscf-2010").history.get().history_user == admin_user
