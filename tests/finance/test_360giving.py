"""360Giving: the export validates against the real schema; the import of a real published file."""

import copy
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants.giving360 import (
    AMOUNT_NEGATIVE,
    AMOUNT_TOO_LARGE,
    CLASH,
    DUPLICATE,
    GRANT_SCHEMA_URLS,
    IMPORT_REASON,
    OWN_EXPORT,
    RECORDS_OUTSIDE_DATES,
    REFUSED,
    STREAM_CLASH,
)
from grants.management.commands.import_360giving import USER_NOT_ALLOWED, USER_UNKNOWN
from grants.models import FundingStream, Organisation, OutcomeReturn, Programme, ProgrammePriority
from tests.factories import (
    FundingStreamFactory,
    OutcomeReturnFactory,
    PlanFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

def _shared_dir() -> Path:
    """The partnership's shared material: ../shared beside the checkout, wherever it is cloned
    (YARDSTICK_SHARED_DIR overrides; /work/shared is where it lives on the team's machines)."""
    candidates = [os.environ.get("YARDSTICK_SHARED_DIR"), Path(__file__).resolve().parents[2].parent / "shared",
                  "/work/shared"]  # fmt: skip
    for candidate in filter(None, candidates):
        if (Path(candidate) / "data" / "360giving").is_dir():
            return Path(candidate)
    raise FileNotFoundError(f"No shared 360Giving data in any of {candidates}")


SHARED = _shared_dir() / "data" / "360giving"
SAMPLE = SHARED / "sample-grants-a.json"


def real_schema_validator() -> Draft202012Validator:
    """A validator built straight from ../shared (not the app's copy), format checking on."""
    package = json.loads((SHARED / "360-giving-package-schema.json").read_text())
    grant = DRAFT202012.create_resource(json.loads((SHARED / "360-giving-schema.json").read_text()))
    registry = Registry().with_resources([(url, grant) for url in GRANT_SCHEMA_URLS])
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_export_validates_against_the_real_schema(api, demo):
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finance")
    response = api(finance).get("/api/export/360giving.json")
    assert response.status_code == 200
    package = response.json()
    assert len(package["grants"]) == Programme.objects.count()
    errors = list(real_schema_validator().iter_errors(package))
    assert errors == []
    grant = next(g for g in package["grants"] if g["id"] == "360G-SSP-SSP-0918")
    assert grant["recipientOrganization"][0]["id"] == "GB-CHC-801355"
    assert grant["amountAwarded"] == 350000.0 and grant["currency"] == "GBP"
    text = api(finance).get("/api/export/360giving.csv").content.decode()
    assert text.splitlines()[0].startswith("Identifier,Title,Description")
    assert "360G-SSP-SSP-0918" in text


def test_export_is_for_staff(api, provider):
    assert api(provider).get("/api/export/360giving.json").status_code == 403
    assert api().get("/api/export/360giving.json").status_code == 401


def test_the_validator_really_checks(api):
    bad = {
        "grants": [
            {"id": "x", "title": "t", "currency": "GBP", "amountAwarded": "lots", "awardDate": "not a date"}
        ]
    }
    messages = " ".join(e.message for e in real_schema_validator().iter_errors(bad))
    assert "lots" in messages and "not a date" in messages


def test_import_the_real_published_file(demo, capsys):
    before = Programme.objects.count()
    call_command("import_360giving", str(SAMPLE), "--user", "commissioner")
    out = capsys.readouterr().out
    assert "475/475 grants" in out and "programmes created: 475" in out
    assert Programme.objects.count() == before + 475
    grant = Programme.objects.get(reference="360G-ALWF-1978")
    assert grant.provider.org_id == "GB-EDU-133843" and grant.award_amount == 15000
    assert grant.programme_priorities.get().priority.name == "Imported (unclassified)"
    assert grant.end_date.year == 2023  # 36 months from November 2020
    for stream in FundingStream.objects.filter(code__startswith="360g-"):
        assert sum(p.award_amount for p in stream.programmes.all()) <= stream.budget
    counts = (Programme.objects.count(), Organisation.objects.count(), FundingStream.objects.count())
    call_command("import_360giving", str(SAMPLE), "--user", "commissioner")
    assert "programmes unchanged: 475" in capsys.readouterr().out
    assert (Programme.objects.count(), Organisation.objects.count(), FundingStream.objects.count()) == counts


def test_invalid_files_are_rejected_with_nothing_saved(demo, tmp_path):
    before = (Programme.objects.count(), Organisation.objects.count())
    broken = tmp_path / "broken.json"
    data = json.loads(SAMPLE.read_text())
    data["grants"][3]["amountAwarded"] = "a lot"
    del data["grants"][7]["fundingOrganization"]
    broken.write_text(json.dumps(data))
    with pytest.raises(CommandError) as exc:
        call_command("import_360giving", str(broken), "--user", "commissioner")
    assert "nothing was saved" in str(exc.value)
    assert "grants/3/amountAwarded" in str(exc.value) and "fundingOrganization" in str(exc.value)
    not_json = tmp_path / "x.json"
    not_json.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_360giving", str(not_json), "--user", "commissioner")
    with pytest.raises(CommandError, match="larger than"):
        call_command("import_360giving", str(SAMPLE), "--max-bytes", "1000", "--user", "commissioner")
    assert (Programme.objects.count(), Organisation.objects.count()) == before


# --- importing as a named user, and what an import may change -------------------------------

TEMPLATE = json.loads(SAMPLE.read_text())["grants"][0]  # 360G-ALWF-1978, £15,000 from November 2020


def grant(gid: str, **changes) -> dict:
    """A copy of a real published grant with another id (and any fields changed)."""
    return {**copy.deepcopy(TEMPLATE), "id": gid, **changes}


def package(tmp_path, *grants: dict) -> str:
    path = tmp_path / f"package-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps({"grants": list(grants)}))
    return str(path)


def run_import(path: str, user: str = "t-commissioner") -> None:
    call_command("import_360giving", path, "--user", user)


def refusal(index: int, message: str) -> str:
    """A refused grant's line in the command's error, under its place in the file."""
    return f"  - grants/{index}: {message}"


@pytest.fixture
def plan(db):
    return PlanFactory(is_current=True)


@pytest.fixture
def importer(plan, commissioner):
    return commissioner


def test_history_names_the_importing_user(importer, tmp_path):
    run_import(package(tmp_path, grant("360G-T-1")))
    programme = Programme.objects.get(reference="360G-T-1")
    [record] = programme.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+", importer, IMPORT_REASON
    )
    link = ProgrammePriority.objects.get(programme=programme)
    assert link.history.get().history_user == importer
    stream = programme.funding_stream
    assert {r.history_user for r in stream.history.all()} == {importer}
    assert stream.history.earliest().history_change_reason == IMPORT_REASON
    assert stream.budget == Decimal("15000")


def test_reimport_updates_what_an_import_created(importer, admin_user, tmp_path, capsys):
    run_import(package(tmp_path, grant("360G-T-1"), grant("360G-T-2")))
    changed = grant("360G-T-1", title="Music for schools", amountAwarded=20000)
    run_import(package(tmp_path, changed, grant("360G-T-2")), user=admin_user.username)
    out = capsys.readouterr().out
    assert "programmes updated: 1" in out and "programmes unchanged: 1" in out
    programme = Programme.objects.get(reference="360G-T-1")
    assert (programme.title, programme.award_amount) == ("Music for schools", Decimal("20000"))
    latest = programme.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~", admin_user, IMPORT_REASON
    )
    assert programme.funding_stream.budget == Decimal("35000")  # raised to cover both awards


def test_a_clash_with_a_live_programme_is_refused_and_nothing_changes(demo, tmp_path):
    live = Programme.objects.get(reference="SSP-0918")
    before = (live.award_amount, live.status, live.funding_stream_id, live.start_date, live.end_date)
    history = live.history.count()
    clash = grant("SSP-0918", amountAwarded=1, awardDate="2020-11-03T00:00:00+00:00")
    path = package(tmp_path, grant("360G-T-NEW"), clash)
    with pytest.raises(CommandError) as exc:
        run_import(path, user="commissioner")
    message = str(exc.value)
    assert message.startswith("The file was rejected and nothing was saved:")
    assert refusal(1, CLASH.format(grant="SSP-0918", reference="SSP-0918")) in message.splitlines()
    assert CLASH.format(grant="SSP-0918", reference="SSP-0918") == (
        "Grant SSP-0918 clashes with programme SSP-0918, which was not created by an import; "
        "it was left unchanged."
    )
    live.refresh_from_db()
    assert (live.award_amount, live.status, live.funding_stream_id, live.start_date, live.end_date) == before
    assert live.history.count() == history
    assert not Programme.objects.filter(reference="360G-T-NEW").exists()  # the whole file refused
    assert not FundingStream.objects.filter(code__startswith="360g-").exists()


@pytest.mark.parametrize(
    "amount,expected",
    [
        (-1e12, AMOUNT_NEGATIVE.format(grant="360G-T-2", amount="-£1,000,000,000,000.00")),
        (-1, AMOUNT_NEGATIVE.format(grant="360G-T-2", amount="-£1.00")),
        (1e12, AMOUNT_TOO_LARGE.format(grant="360G-T-2", amount="£1,000,000,000,000.00")),
        (1e300, AMOUNT_TOO_LARGE.format(grant="360G-T-2", amount=f"£{Decimal('1E+300'):,}")),
    ],
)
def test_bad_amounts_are_refused_by_name(importer, tmp_path, amount, expected):
    path = package(tmp_path, grant("360G-T-1"), grant("360G-T-2", amountAwarded=amount))
    with pytest.raises(CommandError) as exc:
        run_import(path)
    assert refusal(1, expected) in str(exc.value).splitlines()
    assert not Programme.objects.exists() and not Organisation.objects.exists()


def test_an_award_of_1_below_the_service_fee_is_refused_by_name(importer, tmp_path):
    """£1 is a valid award in itself, but not below the fee a commissioner has since set."""
    run_import(package(tmp_path, grant("360G-T-1")))
    Programme.objects.filter(reference="360G-T-1").update(service_fee=Decimal("5000"))
    with pytest.raises(CommandError) as exc:
        run_import(package(tmp_path, grant("360G-T-1", amountAwarded=1)))
    expected = REFUSED.format(grant="360G-T-1", reason="The service fee cannot be more than the award.")
    assert refusal(0, expected) in str(exc.value).splitlines()
    assert Programme.objects.get(reference="360G-T-1").award_amount == Decimal("15000")


def test_every_refusal_is_listed_with_its_place(importer, tmp_path):
    ProgrammeFactory(reference="SSP-T1")
    grants = [grant("360G-T-1"), grant("360G-T-1", title="Again"), grant("360G-SSP-SSP-0918"), grant("SSP-T1")]
    with pytest.raises(CommandError) as exc:
        run_import(package(tmp_path, *grants))
    lines = str(exc.value).splitlines()
    assert lines[1:] == [
        refusal(1, DUPLICATE.format(grant="360G-T-1", first=0)),
        refusal(2, OWN_EXPORT.format(grant="360G-SSP-SSP-0918", reference="SSP-0918")),
        refusal(3, CLASH.format(grant="SSP-T1", reference="SSP-T1")),
    ]
    stream = FundingStreamFactory(code="360g-gb-chc-1015648-music-2020-21")  # made by hand, not imported
    with pytest.raises(CommandError) as exc:
        run_import(package(tmp_path, grant("360G-T-1")))
    assert str(exc.value).splitlines()[1:] == [
        refusal(0, STREAM_CLASH.format(grant="360G-T-1", stream=stream))
    ]
    assert list(Programme.objects.values_list("reference", flat=True)) == ["SSP-T1"]


def test_a_reimport_may_not_leave_returns_outside_the_dates(importer, tmp_path):
    run_import(package(tmp_path, grant("360G-T-1")))
    programme = Programme.objects.get(reference="360G-T-1")
    OutcomeReturnFactory(programme=programme, financial_year="2022/23", quarter=4)
    moved = grant("360G-T-1", plannedDates=[{"startDate": "2020-11-03", "endDate": "2021-11-02"}])
    with pytest.raises(CommandError) as exc:
        run_import(package(tmp_path, moved))
    expected = RECORDS_OUTSIDE_DATES.format(
        grant="360G-T-1", reference="360G-T-1", dates="03 Nov 2020 to 02 Nov 2021", records="returns"
    )
    assert refusal(0, expected) in str(exc.value).splitlines()
    programme.refresh_from_db()
    assert programme.end_date == date(2023, 11, 2) and OutcomeReturn.objects.filter(programme=programme).exists()


def test_the_importing_user_must_exist_and_be_allowed(plan, provider, finance, tmp_path):
    path = package(tmp_path, grant("360G-T-1"))
    with pytest.raises(CommandError, match="the following arguments are required: --user"):
        call_command("import_360giving", path)
    with pytest.raises(CommandError) as exc:
        run_import(path, user="nobody")
    assert str(exc.value) == USER_UNKNOWN.format(name="nobody")
    for user in (provider, finance):
        with pytest.raises(CommandError) as exc:
            run_import(path, user=user.username)
        assert str(exc.value) == USER_NOT_ALLOWED.format(name=user.username)
    inactive = UserFactory(username="t-former", role="Commissioner", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        run_import(path, user=inactive.username)
    assert not Programme.objects.exists()
    assert get_user_model().objects.filter(username="nobody").count() == 0
