"""CompiledQuery: compiled once, then the same rows as the queryset for any parameters."""

import pytest

from core.db.compiled import CompiledQuery
from grants.models import Programme
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_runs_with_new_parameters_and_matches_the_queryset():
    first, second = ProgrammeFactory(reference="A-1"), ProgrammeFactory(reference="B-2")
    query = CompiledQuery(
        lambda pk, ref: Programme.objects.filter(pk=pk, reference=ref).values_list("id", "title"),
        pk=int,
        ref=str,
    )
    for programme in (first, second):
        expected = Programme.objects.filter(pk=programme.pk).values_list("id", "title").get()
        assert query.fetchone(pk=programme.pk, ref=programme.reference) == expected
    assert query.fetchone(pk=first.pk, ref="B-2") is None
    assert query.fetchone(pk=999_999, ref="A-1") is None


def test_a_parameter_used_twice_is_refused():
    query = CompiledQuery(lambda pk: Programme.objects.filter(pk=pk, provider_id=pk), pk=int)
    with pytest.raises(ValueError, match="exactly once"):
        query.fetchone(pk=1)


def test_instances_take_their_columns_in_any_order():
    from core.db.compiled import instance

    programme = ProgrammeFactory(reference="C-3")
    names = ["provider_id", "end_date", "id", "reference"]
    built = instance(Programme, "default", names, [getattr(programme, n) for n in names])
    assert (built.pk, built.reference, built.provider_id, built.end_date) == (
        programme.pk, "C-3", programme.provider_id, programme.end_date)  # fmt: skip
    assert built.get_deferred_fields() >= {"title", "start_date"}
