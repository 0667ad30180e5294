"""One test per predicate, each run for every role: the exact (allowed, reason) it decides."""

from types import SimpleNamespace

import pytest

from audit import permissions as audit
from commissioning import permissions as review
from core.errors import NotFound, NotPermitted
from grants import permissions as grants
from outcomes import permissions as outcomes
from tests.permissions.conftest import ROLES

pytestmark = pytest.mark.django_db

OK = (True, "")
STAFF = {"commissioner", "finance", "admin"}
COMMISSIONERS = {"commissioner", "admin"}
ADMINS = {"admin"}
SEES_PROGRAMME_A = {*STAFF, "provider"}


def only(roles: set[str], reason: str) -> dict[str, tuple[bool, str]]:
    return {role: OK if role in roles else (False, reason) for role in ROLES}


def _check(has_permission, action, users, role, obj, expected):
    assert tuple(has_permission(action, users[role], obj)) == expected[role]


# --- grants -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_view(users, programme, role):
    expected = only(STAFF, grants.PORTFOLIO_STAFF_ONLY)
    _check(grants.has_permission, grants.Action.PORTFOLIO_VIEW, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_export(users, role):
    expected = only(STAFF, grants.EXPORT_STAFF_ONLY)
    _check(grants.has_permission, grants.Action.PORTFOLIO_EXPORT, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_programme_view(users, programme, role):
    expected = only(SEES_PROGRAMME_A, grants.PROGRAMME_NOT_VISIBLE)
    _check(grants.has_permission, grants.Action.PROGRAMME_VIEW, users, role, programme, expected)


@pytest.mark.parametrize("role", ROLES)
def test_return_view(users, programme, role):
    outcome_return = SimpleNamespace(programme=programme)
    expected = only(SEES_PROGRAMME_A, grants.RETURN_NOT_VISIBLE)
    _check(grants.has_permission, grants.Action.RETURN_VIEW, users, role, outcome_return, expected)


@pytest.mark.parametrize("role", ROLES)
def test_payment_view(users, programme, role):
    payment = SimpleNamespace(programme=programme)
    expected = only(SEES_PROGRAMME_A, grants.PAYMENT_NOT_VISIBLE)
    _check(grants.has_permission, grants.Action.PAYMENT_VIEW, users, role, payment, expected)


@pytest.mark.parametrize("role", ROLES)
def test_programme_change(users, programme, role):
    expected = only(COMMISSIONERS, grants.COMMISSIONERS_CHANGE_PROGRAMMES)
    _check(grants.has_permission, grants.Action.PROGRAMME_CHANGE, users, role, programme, expected)


@pytest.mark.parametrize("role", ROLES)
def test_return_submit(users, programme, role):
    expected = {
        "commissioner": (False, grants.COMMISSIONERS_DO_NOT_SUBMIT),
        "finance": (False, grants.PROVIDERS_SUBMIT_RETURNS),
        "provider": OK,
        "provider2": (False, grants.PROVIDERS_SUBMIT_RETURNS),
        "admin": OK,  # a superuser may submit on a provider's behalf
        "anonymous": (False, grants.PROVIDERS_SUBMIT_RETURNS),
    }
    _check(grants.has_permission, grants.Action.RETURN_SUBMIT, users, role, programme, expected)


def test_return_submit_refuses_an_admin_who_is_not_a_superuser(programme):
    from tests.factories import UserFactory

    admin_group_member = UserFactory(username="t-admin-group", role="Admin")
    assert grants.has_permission(grants.Action.RETURN_SUBMIT, admin_group_member, programme) == (
        False,
        grants.COMMISSIONERS_DO_NOT_SUBMIT,
    )


@pytest.mark.parametrize("role", ROLES)
def test_return_review(users, programme, role):
    expected = only(COMMISSIONERS, grants.COMMISSIONERS_REVIEW_RETURNS)
    _check(grants.has_permission, grants.Action.RETURN_REVIEW, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_payment_record(users, programme, role):
    expected = only({"finance", "admin"}, grants.FINANCE_RECORDS_PAYMENTS)
    _check(grants.has_permission, grants.Action.PAYMENT_RECORD, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_budget_view(users, role):
    expected = only(STAFF, grants.BUDGETS_STAFF_ONLY)
    _check(grants.has_permission, grants.Action.BUDGET_VIEW, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_stream_change(users, role):
    expected = only({"commissioner", "finance", "admin"}, grants.STREAMS_CHANGED_BY)
    _check(grants.has_permission, grants.Action.STREAM_CHANGE, users, role, None, expected)


# --- outcomes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_framework_view(users, role):
    expected = only(STAFF, outcomes.FRAMEWORK_STAFF_ONLY)
    _check(outcomes.has_permission, outcomes.Action.FRAMEWORK_VIEW, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_framework_change(users, role):
    expected = only(COMMISSIONERS, outcomes.COMMISSIONERS_CHANGE_FRAMEWORK)
    _check(outcomes.has_permission, outcomes.Action.FRAMEWORK_CHANGE, users, role, None, expected)


# --- commissioning ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_round_manage(users, role):
    expected = only(COMMISSIONERS, review.COMMISSIONERS_MANAGE_ROUNDS)
    _check(review.has_permission, review.Action.ROUND_MANAGE, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_round_reopen(users, role):
    expected = only(ADMINS, review.ADMINS_REOPEN_ROUNDS)
    _check(review.has_permission, review.Action.ROUND_REOPEN, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_round_score(users, role):
    expected = only(COMMISSIONERS, review.COMMISSIONERS_SCORE)
    _check(review.has_permission, review.Action.ROUND_SCORE, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_scores_see_all(users, role):
    expected = only(STAFF, review.SCORES_STAFF_ONLY)
    _check(review.has_permission, review.Action.SCORES_SEE_ALL, users, role, None, expected)


@pytest.mark.parametrize("role", ROLES)
def test_funding_review_generate(users, role):
    expected = only(STAFF, review.FUNDING_REVIEWS_STAFF_ONLY)
    _check(review.has_permission, review.Action.FUNDING_REVIEW_GENERATE, users, role, None, expected)


# --- audit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_audit_view(users, role):
    expected = only(STAFF, audit.AUDIT_STAFF_ONLY)
    _check(audit.has_permission, audit.Action.AUDIT_VIEW, users, role, None, expected)


# --- the registries and require() -------------------------------------------------------------


@pytest.mark.parametrize(
    "module, tested",
    [
        (grants, {"portfolio.view", "portfolio.export", "programme.view", "return.view", "payment.view",
                  "programme.change", "return.submit", "return.review", "payment.record", "budget.view",
                  "stream.change"}),
        (outcomes, {"framework.view", "framework.change"}),
        (review, {"round.manage", "round.reopen", "round.score", "scores.see_all", "funding_review.generate"}),
        (audit, {"audit.view"}),
    ],
)  # fmt: skip
def test_every_action_has_a_rule_and_a_test(module, tested):
    assert set(module.RULES.actions()) == set(module.Action) == tested


def test_an_unknown_action_is_a_programming_error(users):
    with pytest.raises(LookupError, match="programme.delete"):
        grants.has_permission("programme.delete", users["admin"])


def test_require_raises_not_found_for_visibility_and_not_permitted_otherwise(users, programme):
    with pytest.raises(NotFound) as not_found:
        grants.require(users["provider2"], grants.Action.PROGRAMME_VIEW, programme)
    assert not_found.value.message == grants.PROGRAMME_NOT_VISIBLE
    with pytest.raises(NotPermitted) as refused:
        grants.require(users["provider"], grants.Action.PROGRAMME_CHANGE, programme)
    assert refused.value.message == grants.COMMISSIONERS_CHANGE_PROGRAMMES
    assert grants.require(users["commissioner"], grants.Action.PROGRAMME_CHANGE, programme) is None
