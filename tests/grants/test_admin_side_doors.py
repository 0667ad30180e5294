"""The admin is not a second write path: each side door, driven through the admin's own pages
as a data steward, is refused with the service's message and leaves the data as it was; what
it does save goes through grants.services (with the history user)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.admin import TARGET_PERIOD_FIXED
from grants.models import OutcomeReturn, Programme, ProgrammePriority, ProgrammeTarget
from grants.services import ReturnInput, return_submit, target_delete
from grants.services.programmes import PRIMARY_PRIORITY_REQUIRED, TARGET_HAS_RETURNS
from outcomes.periods import Quarter
from tests.factories import OutcomeReturnFactory, PriorityFactory
from tests.races import contend

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(programme) -> str:
    return reverse("admin:grants_programme_change", args=[programme.pk])


def form_data(response) -> dict:
    """What the change page would post back unchanged: the form, and each inline formset with
    its management form, read from the page's own (unbound) forms."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[form.add_prefix(name)] = str(getattr(value, "pk", value))
    return data


def target_rows(data: dict) -> dict[int, int]:
    """The target formset's row index for each target id in the posted data."""
    return {
        int(value): int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("targets-") and key.endswith("-id") and value
    }


def add_target_row(data: dict, **fields) -> None:
    index = int(data["targets-TOTAL_FORMS"])
    data["targets-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"targets-{index}-{name}"] = str(value)


def all_errors(response) -> list[str]:
    """Every error on the admin page: the form's, each inline formset's and each inline form's."""
    errors = [m for messages in response.context["adminform"].form.errors.values() for m in messages]
    for inline in response.context["inline_admin_formsets"]:
        errors.extend(inline.formset.non_form_errors())
        for form_errors in inline.formset.errors:
            errors.extend(m for messages in form_errors.values() for m in messages)
    return errors


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def snapshot(programme) -> dict:
    return {
        "programme": Programme.objects.filter(pk=programme.pk).values().get(),
        "priorities": sorted(
            ProgrammePriority.objects.filter(programme=programme).values_list("priority_id", "is_primary")
        ),
        "targets": sorted(
            ProgrammeTarget.objects.filter(programme=programme).values_list(
                "id", "measure_id", "financial_year", "quarter", "target_value", "tariff"
            )
        ),
    }


# Outcome returns: read-only in the admin.


def test_a_verified_return_cannot_be_edited_or_added_in_the_admin(steward, portfolio, commissioner):
    ret = OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], status=OutcomeReturn.Status.VERIFIED
    )
    url = reverse("admin:grants_outcomereturn_change", args=[ret.pk])
    page = steward.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    posted = steward.post(url, {"value": "999", "status": "submitted", "notes": "changed"})
    assert posted.status_code == 403
    ret.refresh_from_db()
    assert (ret.value, ret.status, ret.revision) == (Decimal("8"), OutcomeReturn.Status.VERIFIED, 1)
    assert steward.get(reverse("admin:grants_outcomereturn_add")).status_code == 403


# Targets in the programme's inline.


def test_inline_target_outside_the_programme_dates_is_refused(steward, portfolio):
    programme, before = portfolio["a"], snapshot(portfolio["a"])
    data = form_data(steward.get(change_url(programme)))
    add_target_row(
        data, programme=programme.pk, measure=portfolio["measure"].pk, financial_year="2012/13",
        quarter=1, target_value="5",
    )  # fmt: skip
    response = steward.post(change_url(programme), data)
    assert response.status_code == 200
    expected = f"{Quarter.of('2012/13', 1)} is outside the programme's dates (01 Apr 2009 to 31 Mar 2011)."
    assert expected in all_errors(response)
    assert snapshot(programme) == before


def test_inline_deleting_a_target_with_a_return_is_refused(steward, portfolio):
    programme = portfolio["a"]
    OutcomeReturnFactory(programme=programme, measure=portfolio["measure"], quarter=1)
    target = ProgrammeTarget.objects.get(programme=programme, measure=portfolio["measure"], quarter=1)
    before = snapshot(programme)
    data = form_data(steward.get(change_url(programme)))
    data[f"targets-{target_rows(data)[target.pk]}-DELETE"] = "on"
    response = steward.post(change_url(programme), data)
    assert response.status_code == 200
    assert all_errors(response) == [f"{target}: {TARGET_HAS_RETURNS}"]
    assert snapshot(programme) == before


def test_inline_changing_a_targets_quarter_is_refused(steward, portfolio):
    programme = portfolio["a"]
    target = ProgrammeTarget.objects.get(programme=programme, measure=portfolio["measure"], quarter=4)
    ProgrammeTarget.objects.filter(pk=target.pk).update(financial_year="2010/11")
    before = snapshot(programme)
    data = form_data(steward.get(change_url(programme)))
    data[f"targets-{target_rows(data)[target.pk]}-quarter"] = "3"
    response = steward.post(change_url(programme), data)
    assert response.status_code == 200
    assert all_errors(response) == [TARGET_PERIOD_FIXED]
    assert snapshot(programme) == before


def test_inline_target_changes_go_through_the_services(steward, portfolio, admin_user):
    programme = portfolio["a"]
    q1, q4 = (
        ProgrammeTarget.objects.get(programme=programme, measure=portfolio["measure"], quarter=q) for q in (1, 4)
    )
    data = form_data(steward.get(change_url(programme)))
    rows = target_rows(data)
    data[f"targets-{rows[q1.pk]}-target_value"] = "12.00"
    data[f"targets-{rows[q4.pk]}-DELETE"] = "on"
    add_target_row(
        data, programme=programme.pk, measure=portfolio["measure"].pk, financial_year="2010/11",
        quarter=1, target_value="7",
    )  # fmt: skip
    response = steward.post(change_url(programme), data)
    assert response.status_code == 302, all_errors(response)
    q1.refresh_from_db()
    assert q1.target_value == Decimal("12.00")
    assert not ProgrammeTarget.objects.filter(pk=q4.pk).exists()
    added = ProgrammeTarget.objects.get(programme=programme, financial_year="2010/11", quarter=1)
    for target_id, kind in ((q1.pk, "~"), (q4.pk, "-"), (added.pk, "+")):
        record = ProgrammeTarget.history.filter(id=target_id).latest("history_date")
        assert (record.history_type, record.history_user) == (kind, admin_user)


def test_a_refusal_at_save_time_rolls_the_whole_form_back(steward, portfolio, monkeypatch):
    """If a return arrives between the form's check and the save, target_delete (checking again
    under the programme's lock) refuses: its message is shown and nothing of the form is saved."""
    programme = portfolio["a"]
    target = ProgrammeTarget.objects.get(programme=programme, measure=portfolio["measure"], quarter=2)
    data = form_data(steward.get(change_url(programme)))
    data["title"] = "Renamed in the same form"
    data[f"targets-{target_rows(data)[target.pk]}-DELETE"] = "on"
    monkeypatch.setattr("grants.admin.check_target_deletable", lambda target: None)
    OutcomeReturnFactory(programme=programme, measure=portfolio["measure"], quarter=2)
    before = snapshot(programme)
    response = steward.post(change_url(programme), data, follow=True)
    assert page_messages(response) == [TARGET_HAS_RETURNS]
    assert snapshot(programme) == before


# Priorities, on the programme form.


def test_a_programme_without_a_primary_priority_is_refused(steward, portfolio):
    programme, before = portfolio["a"], snapshot(portfolio["a"])
    data = form_data(steward.get(change_url(programme)))
    data["primary_priority"] = ""
    data["other_priorities"] = [str(PriorityFactory().pk)]
    response = steward.post(change_url(programme), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["primary_priority"] == [PRIMARY_PRIORITY_REQUIRED]
    assert snapshot(programme) == before


def test_the_priority_inline_is_read_only(steward, portfolio):
    programme, before = portfolio["a"], snapshot(portfolio["a"])
    data = form_data(steward.get(change_url(programme)))
    link = ProgrammePriority.objects.get(programme=programme)
    # A forged inline row: demoting the primary and adding another primary.
    data.update({
        "programme_priorities-0-id": str(link.pk), "programme_priorities-0-programme": str(programme.pk),
        "programme_priorities-0-is_primary": "", "programme_priorities-0-DELETE": "on",
        "programme_priorities-TOTAL_FORMS": "2", "programme_priorities-1-priority": str(PriorityFactory().pk),
        "programme_priorities-1-is_primary": "on",
    })  # fmt: skip
    steward.post(change_url(programme), data)
    assert snapshot(programme)["priorities"] == before["priorities"]


def test_programme_changes_go_through_programme_update(steward, portfolio, admin_user):
    programme = portfolio["a"]
    old_primary = programme.programme_priorities.get().priority
    new_primary = PriorityFactory()
    data = form_data(steward.get(change_url(programme)))
    data.update(title="Through-the-gate (renamed)", primary_priority=str(new_primary.pk))
    data["other_priorities"] = [str(old_primary.pk)]
    response = steward.post(change_url(programme), data)
    assert response.status_code == 302, all_errors(response)
    assert snapshot(programme)["priorities"] == sorted([(old_primary.pk, False), (new_primary.pk, True)])
    record = programme.history.latest("history_date")
    assert (record.title, record.history_user) == ("Through-the-gate (renamed)", admin_user)
    link = ProgrammePriority.history.filter(priority_id=new_primary.pk).latest("history_date")
    assert link.history_user == admin_user


def test_adding_a_programme_goes_through_programme_create(steward, portfolio, admin_user):
    template = portfolio["b"]
    page = steward.get(reverse("admin:grants_programme_add"))
    data = form_data(page)
    primary = PriorityFactory()
    data.update(
        reference="SSP-ADMIN-1", title="Added by a steward", provider=str(template.provider_id),
        funding_stream=str(template.funding_stream_id), award_amount="5000", start_date="2009-04-01",
        end_date="2011-03-31", status="active", commissioning_model="grant", service_fee="0",
        primary_priority=str(primary.pk),
    )  # fmt: skip
    add_target_row(
        data, measure=portfolio["measure"].pk, financial_year="2009/10", quarter=1, target_value="3"
    )
    response = steward.post(reverse("admin:grants_programme_add"), data)
    assert response.status_code == 302, all_errors(response)
    created = Programme.objects.get(reference="SSP-ADMIN-1")
    assert created.history.get().history_user == admin_user
    assert list(created.programme_priorities.values_list("priority_id", "is_primary")) == [(primary.pk, True)]
    assert created.targets.get().target_value == Decimal("3")


def test_programmes_cannot_be_deleted_in_the_admin(steward, portfolio):
    url = reverse("admin:grants_programme_delete", args=[portfolio["a"].pk])
    assert steward.get(url).status_code == 403
    assert steward.post(url, {"post": "yes"}).status_code == 403
    assert Programme.objects.filter(pk=portfolio["a"].pk).exists()


# The targets' own admin.


def test_target_admin_refuses_to_delete_a_target_with_a_return(steward, portfolio):
    target = ProgrammeTarget.objects.get(programme=portfolio["a"], measure=portfolio["measure"], quarter=1)
    OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], quarter=1)
    url = reverse("admin:grants_programmetarget_delete", args=[target.pk])
    for response in (steward.get(url, follow=True), steward.post(url, {"post": "yes"}, follow=True)):
        assert response.redirect_chain[-1][0] == reverse("admin:grants_programmetarget_change", args=[target.pk])
        assert page_messages(response) == [TARGET_HAS_RETURNS]
    assert ProgrammeTarget.objects.filter(pk=target.pk).exists()


def test_target_admin_deletes_through_target_delete(steward, portfolio, admin_user):
    target = ProgrammeTarget.objects.get(programme=portfolio["a"], measure=portfolio["measure"], quarter=3)
    url = reverse("admin:grants_programmetarget_delete", args=[target.pk])
    assert steward.post(url, {"post": "yes"}).status_code == 302
    assert not ProgrammeTarget.objects.filter(pk=target.pk).exists()
    assert ProgrammeTarget.history.filter(id=target.pk, history_type="-").get().history_user == admin_user


def test_target_admin_has_no_bulk_delete(steward, portfolio):
    response = steward.get(reverse("admin:grants_programmetarget_changelist"))
    action_form = response.context["action_form"]
    assert action_form is None or "delete_selected" not in dict(action_form.fields["action"].choices)


def test_target_admin_refuses_a_quarter_outside_the_programme_dates(steward, portfolio):
    programme = portfolio["a"]
    before = snapshot(programme)
    response = steward.post(
        reverse("admin:grants_programmetarget_add"),
        {"programme": programme.pk, "measure": portfolio["measure"].pk, "financial_year": "2008/09",
         "quarter": 4, "target_value": "5"},
    )  # fmt: skip
    assert response.status_code == 200
    expected = f"{Quarter.of('2008/09', 4)} is outside the programme's dates (01 Apr 2009 to 31 Mar 2011)."
    assert response.context["adminform"].form.errors["quarter"] == [expected]
    assert snapshot(programme) == before


def test_target_admin_saves_through_target_save(steward, portfolio, admin_user):
    target = ProgrammeTarget.objects.get(programme=portfolio["a"], measure=portfolio["measure"], quarter=2)
    url = reverse("admin:grants_programmetarget_change", args=[target.pk])
    data = form_data(steward.get(url))
    data["target_value"], data["tariff"] = "15", "250.00"
    assert steward.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.target_value, target.tariff) == (Decimal("15"), Decimal("250.00"))
    record = target.history.latest("history_date")
    assert (record.history_type, record.history_user) == ("~", admin_user)


# Races (PostgreSQL): the checks run under the row lock they depend on.


@pytest.mark.django_db(transaction=True)
def test_target_delete_waits_for_a_return_being_submitted_and_refuses(on_postgres, portfolio, provider, admin_user):
    """A return is being submitted (inserted, not yet committed) when the target is deleted:
    target_delete waits on the programme's row lock, then sees the return and refuses."""
    programme, measure = portfolio["a"], portfolio["measure"]
    target = ProgrammeTarget.objects.get(programme=programme, measure=measure, quarter=1)
    result = contend(
        hold=lambda: return_submit(
            user=provider, data=ReturnInput(programme.pk, measure.pk, "2009/10", 1, Decimal("4"))
        ),
        contender=lambda: target_delete(user=admin_user, target=ProgrammeTarget.objects.get(pk=target.pk)),
    )
    assert getattr(result, "message", result) == TARGET_HAS_RETURNS
    assert ProgrammeTarget.objects.filter(pk=target.pk).exists()
    assert OutcomeReturn.objects.filter(programme=programme, measure=measure, quarter=1).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_return_submitted_while_a_target_is_deleted_waits_for_the_delete(on_postgres, portfolio, provider, admin_user):
    """The other order: the delete holds the programme's lock, so the return's insert waits for it.
    The return was checked before the delete committed, and its measure still has targets in other
    quarters, so it is accepted (submission does not re-check the quarter's own target)."""
    programme, measure = portfolio["a"], portfolio["measure"]
    target = ProgrammeTarget.objects.get(programme=programme, measure=measure, quarter=2)
    result = contend(
        hold=lambda: target_delete(user=admin_user, target=target),
        contender=lambda: return_submit(
            user=provider, data=ReturnInput(programme.pk, measure.pk, "2009/10", 2, Decimal("4"))
        ),
    )
    assert isinstance(result, OutcomeReturn)  # measure still targeted in other quarters
    assert not ProgrammeTarget.objects.filter(pk=target.pk).exists()


def test_an_evidence_grade_in_use_cannot_be_deleted_in_the_admin(steward, portfolio):
    from outcomes.models import EvidenceGrade
    from tests.factories import EvidenceGradeFactory

    used, unused = EvidenceGradeFactory(code="3"), EvidenceGradeFactory(code="1")
    programme = portfolio["a"]
    programme.evidence_grade = used
    programme.save()
    refused = steward.post(f"/admin/outcomes/evidencegrade/{used.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 403
    assert EvidenceGrade.objects.filter(pk=used.pk).exists()
    changelist = steward.get("/admin/outcomes/evidencegrade/")
    assert b"delete_selected" not in changelist.content
    steward.post(f"/admin/outcomes/evidencegrade/{unused.pk}/delete/", {"post": "yes"})
    assert not EvidenceGrade.objects.filter(pk=unused.pk).exists()
