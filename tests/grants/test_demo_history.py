"""The demo loader's history rows name who did it: outside a request nobody is signed in, so
rows the loaders write name the demo admin, and rows a service writes name its acting user."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from commissioning.models import Criterion, ReviewRound, Score
from grants.models import Programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_demo")]


def test_every_history_row_names_a_user():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # a second run's updates too
    historied = [m for m in apps.get_models() if hasattr(m, "history") and hasattr(m.history, "model")]
    assert {m.__name__ for m in historied} >= {"Programme", "OutcomeMeasure", "Score", "Criterion"}
    nameless = {m.__name__: m.history.filter(history_user__isnull=True).count() for m in historied}
    assert {name: n for name, n in nameless.items() if n} == {}
    users = {u.username: u for u in get_user_model().objects.all()}
    programme = Programme.objects.get(reference="SSP-0918")
    assert programme.history.earliest().history_user == users["admin"]
    assert {s.history_user for s in Score.history.all()} == {users["commissioner"], users["commissioner2"]}
    assert {c.history_user for c in Criterion.history.all()} == {users["commissioner"]}
    assert ReviewRound.history.earliest().history_user == users["commissioner"]
