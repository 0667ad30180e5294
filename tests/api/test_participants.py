"""Enrolling participants through the API: pseudonymised at the door, isolated by organisation."""

import io
import logging
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.keys import KEY_MISMATCH, KEY_MISSING
from claims.models import Enrolment, Participant, ParticipantKey

pytestmark = pytest.mark.django_db
KEY = "a-test-participant-key-of-at-least-32-characters"
NI = "AB 12 34 56 C"


@pytest.fixture(autouse=True)
def participant_key(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": KEY, "TODAY": date(2010, 10, 20)}


def url(programme) -> str:
    return f"/api/programmes/{programme.pk}/participants/"


def enrol(client, programme, **overrides):
    body = {"start_date": "2010-06-01", "ni_number": NI} | overrides
    return client.post(url(programme), body, format="json")


def test_provider_enrols_and_gets_a_reference_only(api, provider, portfolio):
    response = enrol(api(provider), portfolio["a"], eligibility={"aged 18 to 24": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("P-") and len(body["reference"]) == 10
    assert body["start_date"] == "2010-06-01" and body["eligibility"] == {"aged 18 to 24": True}
    assert "ni_number" not in body and "pseudonym" not in body


def test_the_raw_identifier_is_never_stored_logged_or_echoed(api, provider, portfolio, caplog):
    caplog.set_level(logging.DEBUG)
    responses = [
        enrol(api(provider), portfolio["a"]),
        enrol(api(provider), portfolio["a"]),  # 409: the conflict must not echo it either
        enrol(api(provider), portfolio["a"], ni_number="AB 12 34 56 C", surname="Oyelaran"),  # 400
        enrol(api(provider), portfolio["a"], ni_number="", date_of_birth="1991-02-03",
              surname="Oyelaran-Okafor", forename="Temitope"),
    ]
    assert [r.status_code for r in responses] == [201, 409, 400, 201]
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)  # every table, history tables included
    searched = dump.getvalue() + caplog.text + "".join(r.content.decode() for r in responses)
    for secret in ("AB123456C", "AB 12 34 56 C", "ab123456c", "Oyelaran", "oyelaran", "Temitope", "1991-02-03"):
        assert secret not in searched, secret
    assert Participant.objects.count() == 2


def test_the_same_person_enrolled_by_two_providers_is_one_participant(api, provider, provider2, portfolio):
    first = enrol(api(provider), portfolio["a"]).json()
    second = enrol(api(provider2), portfolio["b"], ni_number="ab123456c").json()
    assert first["reference"] == second["reference"]
    assert Participant.objects.count() == 1 and Enrolment.objects.count() == 2


def test_enrolling_twice_on_one_programme_is_a_conflict(api, provider, portfolio):
    first = enrol(api(provider), portfolio["a"]).json()
    again = enrol(api(provider), portfolio["a"], start_date="2010-07-01")
    assert again.status_code == 409
    assert first["reference"] in again.json()["detail"]
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"ni_number": "AB12345"}, "ni_number", "format QQ 12 34 56 C"),
        ({"ni_number": ""}, "date_of_birth", "either the participant's National Insurance number"),
        ({"ni_number": "", "date_of_birth": "1990-01-01", "surname": "", "forename": "Ann"}, "surname", "surname"),
        ({"start_date": "2008-01-01"}, "start_date", "within the programme's dates"),
        ({"start_date": "2010-12-01"}, "start_date", "cannot be in the future"),
        ({"start_date": "1 June 2010"}, "start_date", "format"),
        ({"national_insurance": NI}, "national_insurance", ""),
    ],
)
def test_bad_enrolments_get_a_clear_error_and_store_nothing(api, provider, portfolio, overrides, field, words):
    response = enrol(api(provider), portfolio["a"], **overrides)
    assert response.status_code == 400, response.json()
    assert words in " ".join(response.json()[field])
    assert not Participant.objects.exists() and not Enrolment.objects.exists()


def test_isolation_other_providers_get_404_and_commissioners_cannot_enrol(
    api, provider, provider2, commissioner, finance, portfolio
):
    enrol(api(provider), portfolio["a"])
    assert enrol(api(provider2), portfolio["a"]).status_code == 404
    assert api(provider2).get(url(portfolio["a"])).status_code == 404
    assert enrol(api(commissioner), portfolio["a"]).status_code == 403
    assert enrol(api(finance), portfolio["a"]).status_code == 403
    assert api().get(url(portfolio["a"])).status_code == 401
    for user in (provider, commissioner, finance):
        listed = api(user).get(url(portfolio["a"])).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert [row["start_date"] for row in rows] == ["2010-06-01"]
    assert api(provider).get(url(portfolio["b"])).status_code == 404


def test_without_a_key_enrolment_is_refused_with_a_message(api, provider, portfolio, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": ""}
    response = enrol(api(provider), portfolio["a"])
    assert response.status_code == 400
    assert KEY_MISSING in str(response.json())
    assert not Participant.objects.exists()


def test_a_server_with_the_wrong_key_refuses_rather_than_splitting_people(api, provider, portfolio, settings):
    enrol(api(provider), portfolio["a"])
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "another-key-entirely-32-characters-long"}
    response = enrol(api(provider), portfolio["a"], ni_number="CE 12 34 56 A")
    assert response.status_code == 400 and KEY_MISMATCH in str(response.json())


def test_rotation_rekeys_everyone_in_one_go_and_people_still_match(
    api, provider, provider2, portfolio, settings, monkeypatch
):
    before = enrol(api(provider), portfolio["a"]).json()["reference"]
    old = set(Participant.objects.values_list("pseudonym", flat=True))
    new_key = "the-new-participant-key-32-characters-or-more"
    monkeypatch.setenv("PARTICIPANT_KEY_NEW", new_key)
    out = io.StringIO()
    call_command("rotate_participant_key", stdout=out)
    assert "Re-keyed 1 participants" in out.getvalue() and new_key not in out.getvalue()
    assert set(Participant.objects.values_list("pseudonym", flat=True)).isdisjoint(old)
    # Until the server runs with the new chain, enrolment is refused ...
    assert enrol(api(provider2), portfolio["b"]).status_code == 400
    # ... and with it, the same person is found again.
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": f"{KEY},{new_key}"}
    again = enrol(api(provider2), portfolio["b"])
    assert again.status_code == 201 and again.json()["reference"] == before
    assert ParticipantKey.objects.count() == 2


def test_rotation_refuses_a_missing_or_short_key(monkeypatch):
    monkeypatch.delenv("PARTICIPANT_KEY_NEW", raising=False)
    with pytest.raises(CommandError, match="Set PARTICIPANT_KEY_NEW"):
        call_command("rotate_participant_key")
    monkeypatch.setenv("PARTICIPANT_KEY_NEW", "short")
    with pytest.raises(CommandError, match="at least 32 characters"):
        call_command("rotate_participant_key")
