"""The role home pages' selectors: what each role has to do, with a fixed number of queries."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import services as commissioning_services
from commissioning.models import ReportJob, ReviewRound
from dashboard.selectors import home
from grants.models import OutcomeReturn, Payment, Programme
from outcomes.models import Polarity
from tests.factories import (
    FundingStreamFactory,
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    PlanFactory,
    PriorityFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    UserFactory,
)

TODAY = date(2010, 11, 15)  # 2010/11 Q3; Q2 ended 30 September, its returns late after 30 October


def _queries(fn) -> int:
    """Queries made by `fn` once the user's access (read once per request) is loaded."""
    fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def _programme_with_quarters(provider_org, measure, quarters, **kwargs):
    programme = ProgrammeFactory(provider=provider_org, **kwargs)
    for year, quarter in quarters:
        ProgrammeTargetFactory(
            programme=programme, measure=measure, financial_year=year, quarter=quarter, target_value=10
        )
    return programme


# --- provider --------------------------------------------------------------------------------------


@pytest.fixture
def provider_world(provider, org_a, org_b, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "RETURN_WINDOW_DAYS": 30}
    measure = OutcomeMeasureFactory(name="Sustained job entries")
    other = OutcomeMeasureFactory(name="Reconvictions avoided")
    own = _programme_with_quarters(
        org_a, measure, [("2010/11", 1), ("2010/11", 2), ("2010/11", 3), ("2010/11", 4)], title="Own"
    )
    ProgrammeTargetFactory(programme=own, measure=other, financial_year="2010/11", quarter=2)
    theirs = _programme_with_quarters(org_b, measure, [("2010/11", 1), ("2010/11", 2)], title="Theirs")
    OutcomeReturnFactory(
        programme=own,
        measure=measure,
        financial_year="2010/11",
        quarter=1,
        status=OutcomeReturn.Status.QUERIED,
        query_reason="The figure counts people who started, not those sustained 13 weeks.",
        submitted_by=provider,
    )
    return {"own": own, "theirs": theirs, "measure": measure, "other": other}


def test_provider_sees_late_queried_and_coming_returns_of_their_own_programmes_only(provider, provider_world):
    tasks = home.provider_home(provider, today=TODAY)

    assert [t.programme for t in tasks] == [provider_world["own"]]
    [own] = tasks
    summary = [(t.state, str(t.quarter), t.deadline, t.measures) for t in own.returns]
    assert summary == [
        ("late", "2010/11 Q2", date(2010, 10, 30), ["Reconvictions avoided", "Sustained job entries"]),
        ("queried", "2010/11 Q1", date(2010, 7, 30), ["Sustained job entries"]),
        ("open", "2010/11 Q3", date(2011, 1, 30), ["Sustained job entries"]),
    ]
    assert own.returns[1].returns[0].query_reason.startswith("The figure counts people who started")
    assert own.payments == []


def test_provider_due_until_the_deadline_then_late(provider, provider_world):
    [own] = home.provider_home(provider, today=date(2010, 10, 20))
    assert ("due", "2010/11 Q2") in [(t.state, str(t.quarter)) for t in own.returns]
    assert "late" not in {t.state for t in own.returns}


def test_provider_with_nothing_to_do_has_an_empty_task_list(provider, provider_world):
    OutcomeReturn.objects.filter(programme=provider_world["own"]).update(status=OutcomeReturn.Status.VERIFIED)
    for quarter, measure in ((2, provider_world["measure"]), (2, provider_world["other"])):
        OutcomeReturnFactory(
            programme=provider_world["own"], measure=measure, financial_year="2010/11", quarter=quarter
        )
    [own] = home.provider_home(provider, today=date(2010, 9, 30))
    assert (own.programme, own.returns, own.payments, own.count) == (provider_world["own"], [], [], 0)


def test_provider_payments_outstanding_on_payment_by_results(provider, org_a):
    measure = OutcomeMeasureFactory()
    programme = ProgrammeFactory(
        provider=org_a,
        commissioning_model=Programme.Model.PAYMENT_BY_RESULTS,
        start_date=date(2010, 4, 1),
        end_date=date(2011, 3, 31),
        award_amount=Decimal("40000"),
        service_fee=Decimal("4000"),
    )
    ProgrammeTargetFactory(
        programme=programme, measure=measure, financial_year="2010/11", quarter=1, tariff=500
    )
    OutcomeReturnFactory(
        programme=programme, measure=measure, financial_year="2010/11", quarter=1, value=4,
        status=OutcomeReturn.Status.VERIFIED,
    )  # fmt: skip
    Payment.objects.create(
        programme=programme, financial_year="2010/11", quarter=2, amount=1000, paid_on=date(2010, 9, 1),
        recorded_by=UserFactory(),
    )  # fmt: skip
    [tasks] = home.provider_home(provider, today=TODAY)
    assert [(str(p.quarter), p.outstanding) for p in tasks.payments] == [
        ("2010/11 Q1", Decimal("3000.00")),  # £1,000 fee share + 4 × £500
        ("2010/11 Q3", Decimal("1000.00")),  # Q2's share was paid; Q4 has not started
    ]


def test_provider_home_queries_do_not_grow_with_programmes(provider, org_a, provider_world):
    measure = provider_world["measure"]
    pbr = Programme.Model.PAYMENT_BY_RESULTS
    _programme_with_quarters(org_a, measure, [("2010/11", 1)], commissioning_model=pbr)
    few = _queries(lambda: home.provider_home(provider, today=TODAY))
    for _ in range(5):
        _programme_with_quarters(
            org_a,
            measure,
            [("2010/11", 1), ("2010/11", 2)],
            commissioning_model=Programme.Model.PAYMENT_BY_RESULTS,
        )
    many = _queries(lambda: home.provider_home(provider, today=TODAY))
    # The programmes, the return slots (targets, returns), the payment schedules (targets' tariffs,
    # the claims ledger, verified returns, payments).
    assert few == many == 7


# --- commissioner ----------------------------------------------------------------------------------


def test_verification_summary_counts_waiting_late_and_oldest(commissioner, portfolio, provider):
    measure = portfolio["measure"]
    OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=1, is_late=True,
                         submitted_at=timezone.make_aware(datetime(2010, 5, 3, 9)))  # fmt: skip
    OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=2)
    OutcomeReturnFactory(programme=portfolio["b"], measure=measure, quarter=1)
    OutcomeReturnFactory(
        programme=portfolio["b"], measure=measure, quarter=2, status=OutcomeReturn.Status.VERIFIED
    )

    summary = home.verification_summary(commissioner)

    assert (summary.waiting, summary.late, summary.oldest, summary.programmes) == (3, 1, date(2010, 5, 3), 2)
    assert _queries(lambda: home.verification_summary(commissioner)) == 1


def test_open_round_counts_unscored_and_undecided(commissioner, portfolio):
    other = UserFactory(username="t-commissioner-2", role="Commissioner")
    review_round = commissioning_services.round_create(
        user=commissioner, name="2009/10 review", first_year="2009/10", last_year="2009/10"
    )
    commissioning_services.round_transition(
        user=commissioner, review_round=review_round, to=ReviewRound.Status.OPEN
    )
    criterion = review_round.criteria.first()
    commissioning_services.score_record(
        user=other, review_round=review_round, programme=portfolio["a"], criterion=criterion, score=4,
        rationale="Strong delivery.",
    )  # fmt: skip
    commissioning_services.decision_record(
        user=commissioner, review_round=review_round, programme=portfolio["a"], outcome="continue",
        rationale="Delivers.",
    )  # fmt: skip

    [row] = home.open_round_tasks(commissioner)

    assert (row.review_round, row.programmes, row.unscored, row.unscored_by_you, row.undecided) == (
        review_round, 2, 1, 2, 1,
    )  # fmt: skip
    # The open rounds, then per round: its streams, priorities and programmes, and one union of
    # who scored, declared a conflict or decided.
    assert _queries(lambda: home.open_round_tasks(commissioner)) == 1 + 4
    commissioning_services.round_transition(
        user=commissioner, review_round=review_round, to=ReviewRound.Status.CLOSED, confirmed=True
    )
    assert home.open_round_tasks(commissioner) == []


def test_off_target_compares_returned_quarters_with_their_targets(commissioner, portfolio, org_a):
    measure = portfolio["measure"]  # target 10 a quarter on both programmes
    OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=1, value=Decimal("8.9"))
    OutcomeReturnFactory(
        programme=portfolio["b"], measure=measure, quarter=1, value=Decimal("9")
    )  # within 10%
    OutcomeReturnFactory(programme=portfolio["b"], measure=measure, quarter=2, value=Decimal("2"),
                         status=OutcomeReturn.Status.QUERIED, query_reason="Check it.")  # fmt: skip
    lower = OutcomeMeasureFactory(name="Repeat incidents", polarity=Polarity.LOWER)
    c = _programme_with_quarters(org_a, lower, [("2009/10", 1)])
    OutcomeReturnFactory(programme=c, measure=lower, quarter=1, value=Decimal("12"))  # 20% over a cap

    rows = home.off_target_programmes(commissioner)

    assert {(r.programme, r.measure_name, r.target, r.returned) for r in rows} == {
        (portfolio["a"], measure.name, Decimal("10"), Decimal("8.9")),
        (c, "Repeat incidents", Decimal("10"), Decimal("12")),
    }
    assert _queries(lambda: home.off_target_programmes(commissioner)) <= 3


def test_off_target_leaves_out_a_return_sent_between_its_two_sums(commissioner, portfolio):
    """A return committed after the returns are summed and before the targets are (the load test's
    mixed run, with returns being sent, hit this as a 500) waits for the next reading."""
    measure = portfolio["measure"]  # target 10 a quarter on both programmes
    OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=1, value=Decimal("8.9"))
    other = portfolio["negative"]
    home.off_target_programmes(commissioner)  # the user's access, read once per request
    sent = []

    def send_one_after_the_first_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not sent:
            sent.append(sql)
            # programme A's first return on its other measure (it has a target for the quarter)
            OutcomeReturnFactory(programme=portfolio["a"], measure=other, quarter=1, value=Decimal("1"))
        return result

    with connection.execute_wrapper(send_one_after_the_first_read):
        rows = home.off_target_programmes(commissioner)

    assert "SUM" in sent[0] and "grants_outcomereturn" in sent[0]  # after the returns' sums
    assert [(r.measure_name, r.returned) for r in rows] == [(measure.name, Decimal("8.9"))]
    again = home.off_target_programmes(commissioner)
    assert {(r.measure_name, r.returned) for r in again} == {
        (measure.name, Decimal("8.9")),
        (other.name, Decimal("1")),
    }


def test_off_target_is_scoped_to_the_providers_programmes(provider, portfolio):
    OutcomeReturnFactory(programme=portfolio["b"], measure=portfolio["measure"], quarter=1, value=1)
    assert home.off_target_programmes(provider) == []


def test_portfolio_counts_each_programme_once_under_its_primary_priority(commissioner, org_a):
    plan = PlanFactory(is_current=True)
    first, second = PriorityFactory(plan=plan, name="Violent crime"), PriorityFactory(plan=plan, name="Youth")
    elsewhere = PriorityFactory(name="Imported (unclassified)")
    a = ProgrammeFactory(provider=org_a, primary_priority=first, award_amount=Decimal("100000"))
    a.programme_priorities.create(priority=second, is_primary=False)  # a secondary priority
    ProgrammeFactory(provider=org_a, primary_priority=second, award_amount=Decimal("50000"))
    ProgrammeFactory(provider=org_a, primary_priority=elsewhere, award_amount=Decimal("25000"))

    rows, count, total = home.portfolio_by_primary_priority(commissioner)

    assert [(r.priority, r.programmes, r.award) for r in rows] == [
        (first, 1, Decimal("100000")), (second, 1, Decimal("50000")), (None, 1, Decimal("25000")),
    ]  # fmt: skip
    assert (count, total) == (3, sum(r.award for r in rows)) == (3, Decimal("175000"))
    assert home.portfolio_by_primary_priority(commissioner, plan=plan) == (rows, count, total)
    # The programmes grouped by primary priority, and the plan's priorities.
    assert _queries(lambda: home.portfolio_by_primary_priority(commissioner, plan=plan)) == 2


def test_portfolio_of_the_demo_adds_up_to_the_award(demo):
    from django.contrib.auth import get_user_model

    commissioner = get_user_model().objects.get(username="commissioner")
    rows, count, total = home.portfolio_by_primary_priority(commissioner)
    assert sum(r.award for r in rows) == total == sum(p.award_amount for p in Programme.objects.all())
    assert sum(r.programmes for r in rows) == count == Programme.objects.count()


def test_red_indicators_from_the_demo(demo):
    from dashboard.selectors import indicator_rows

    assert all(r["status"].code == "red" for r in home.red_indicators(indicator_rows()))


# --- finance officer -------------------------------------------------------------------------------


def test_payments_due_and_overdue(finance, org_a):
    programme = ProgrammeFactory(
        provider=org_a, commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, start_date=date(2010, 4, 1),
        end_date=date(2011, 3, 31), award_amount=Decimal("40000"), service_fee=Decimal("4000"),
    )  # fmt: skip
    Payment.objects.create(programme=programme, financial_year="2010/11", quarter=1, amount=1000,
                           paid_on=date(2010, 7, 1), recorded_by=finance)  # fmt: skip

    rows = home.payments_due(finance, today=TODAY)

    assert [(str(r.quarter), r.outstanding, r.overdue_since) for r in rows] == [
        ("2010/11 Q2", Decimal("1000.00"), date(2010, 10, 30)),
        ("2010/11 Q3", Decimal("1000.00"), None),
    ]
    ProgrammeFactory(provider=org_a, commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)
    assert _queries(lambda: home.payments_due(finance, today=TODAY)) <= 5


def test_budget_alerts_near_and_over_commitment_this_year_and_later(finance):
    near = FundingStreamFactory(name="Near", financial_year="2010/11", budget=Decimal("100000"))
    over = FundingStreamFactory(name="Over", financial_year="2011/12", budget=Decimal("100000"))
    fine = FundingStreamFactory(name="Fine", financial_year="2010/11", budget=Decimal("100000"))
    past = FundingStreamFactory(name="Past", financial_year="2009/10", budget=Decimal("100000"))
    ProgrammeFactory(funding_stream=near, award_amount=Decimal("90000"))
    ProgrammeFactory(funding_stream=over, award_amount=Decimal("100000"))
    ProgrammeFactory(funding_stream=over, award_amount=Decimal("1"))
    ProgrammeFactory(funding_stream=fine, award_amount=Decimal("89999.99"))
    ProgrammeFactory(funding_stream=past, award_amount=Decimal("200000"))

    alerts = home.budget_alerts(today=TODAY)

    assert [(a.stream.name, a.over) for a in alerts] == [("Over", True), ("Near", False)]


def test_reviews_to_sign_off_are_closed_rounds_without_a_funding_review(commissioner, finance):
    rounds = []
    for name in ("Closed, no review", "Closed, reviewed", "Still open"):
        review_round = commissioning_services.round_create(
            user=commissioner, name=name, first_year="2009/10", last_year="2009/10"
        )
        commissioning_services.round_transition(user=commissioner, review_round=review_round, to="open")
        rounds.append(review_round)
    for review_round in rounds[:2]:
        commissioning_services.round_transition(
            user=commissioner, review_round=review_round, to="closed", confirmed=True
        )
    ReportJob.objects.create(
        scope=ReportJob.Scope.ROUND, scope_key=str(rounds[1].pk), scope_label=rounds[1].name,
        status=ReportJob.Status.DONE, requested_by=finance, pdf=b"%PDF",
    )  # fmt: skip
    ReportJob.objects.create(
        scope=ReportJob.Scope.ROUND, scope_key=str(rounds[0].pk), scope_label=rounds[0].name,
        status=ReportJob.Status.FAILED, requested_by=finance, error="boom",
    )  # fmt: skip

    assert home.reviews_to_sign_off() == [rounds[0]]
