"""Every model in the admin: its list and add pages render for a data steward."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.conftest import login_demo

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (m._meta.app_label, m._meta.model_name)
    for m in admin.site._registry
    if m._meta.app_label in {"outcomes", "grants", "commissioning", "calls"}
)


def test_changelist_and_add_pages_render_for_every_model(client, demo):
    login_demo(client, "admin")
    assert len(REGISTERED) >= 16
    for app, model in REGISTERED:
        changelist = reverse(f"admin:{app}_{model}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist + "?q=Southwark").status_code == 200, changelist
        add = reverse(f"admin:{app}_{model}_add")
        # Read-only records (report jobs, the audit log) refuse the add page on purpose.
        can_add = admin.site._registry[apps.get_model(app, model)].has_add_permission(_request(add))
        assert client.get(add).status_code == (200 if can_add else 403), add


def _request(path: str):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = get_user_model().objects.get(username="admin")
    return request


def test_programme_change_page_has_priority_and_target_inlines(client, demo):
    from grants.models import Programme

    login_demo(client, "admin")
    programme = Programme.objects.get(reference="SSP-0901")
    page = client.get(reverse("admin:grants_programme_change", args=[programme.pk])).content.decode()
    assert "Programme priorities" in page and "Programme targets" in page


def test_returns_cannot_be_deleted_in_the_admin(client, demo):
    from grants.models import OutcomeReturn

    login_demo(client, "admin")
    ret = OutcomeReturn.objects.first()
    assert client.get(reverse("admin:grants_outcomereturn_delete", args=[ret.pk])).status_code == 403
