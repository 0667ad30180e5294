"""360Giving: the export validates against the real schema; the import of a real published file."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants.giving360 import GRANT_SCHEMA_URLS
from grants.models import FundingStream, Organisation, Programme

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
    call_command("import_360giving", str(SAMPLE))
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
    call_command("import_360giving", str(SAMPLE))
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
        call_command("import_360giving", str(broken))
    assert "nothing was saved" in str(exc.value)
    assert "grants/3/amountAwarded" in str(exc.value) and "fundingOrganization" in str(exc.value)
    not_json = tmp_path / "x.json"
    not_json.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_360giving", str(not_json))
    with pytest.raises(CommandError, match="larger than"):
        call_command("import_360giving", str(SAMPLE), "--max-bytes", "1000")
    assert (Programme.objects.count(), Organisation.objects.count()) == before
