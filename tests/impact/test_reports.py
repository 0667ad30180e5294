"""Impact reports end to end: pool upload (page), cohort data (API), a report made and published,
who sees it, and its figures the same on the page, in the API and in the PDF."""

import csv
import io
import json
import shutil
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import pseudonyms
from claims.keys import chain_in_force
from claims.models import Enrolment, Participant
from commissioning.impact import selectors
from commissioning.impact.models import CohortUpload, ComparisonPool, ImpactReport, PoolMember
from commissioning.impact.synthetic import people
from tests.factories import OutcomeMeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
HEADER = [
    "ni_number",
    "age",
    "gender",
    "prior_offences",
    "days_since_last_offence",
    "offence_group",
    "employed",
    "outcome",
]


def pdf_text(content: bytes) -> str:
    """The PDF's text by pdftotext (poppler), or pypdf where poppler is missing."""
    if pdftotext := shutil.which("pdftotext"):
        return subprocess.run(  # noqa: S603 - a fixed program on our own PDF
            [pdftotext, "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def ni(prefix: str, n: int) -> str:
    return f"{prefix}{n:06d}A"


def pool_csv(columns: dict, prefix: str = "CE", extra: list[list] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(len(columns["age"])):
        writer.writerow([ni(prefix, i)] + [columns[c][i] for c in HEADER[1:]])
    for row in extra:
        writer.writerow(row)
    return out.getvalue().encode()


@pytest.fixture
def world(settings, org_a, commissioner, provider):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": date(2010, 10, 20)}
    programme = ProgrammeFactory(provider=org_a)
    measure = OutcomeMeasureFactory(name="Reduction in proven reoffending")
    keys = chain_in_force()
    cohort = people(300, cohort=True, kind="reoffence", effect=-0.1, seed=3)
    references = []
    for i in range(300):
        participant = Participant.objects.create(
            pseudonym=pseudonyms.pseudonym(keys, pseudonyms.normalise_ni_number(ni("AB", i)))
        )
        Enrolment.objects.create(participant=participant, programme=programme, start_date=date(2009, 6, 1))
        references.append(participant.reference)
    return {"programme": programme, "measure": measure, "cohort": cohort, "references": references}


def upload_pool(client, commissioner, *, n=3000, extra=(), name="Probation caseload 2008/09"):
    client.force_login(commissioner)
    pool = people(n, cohort=False, kind="reoffence", seed=4)
    enrolled = [[ni("AB", i), 30, "male", 2, 100, "theft", 0, 1] for i in range(3)]  # enrolled people
    body = pool_csv(pool, extra=[*enrolled, *extra])
    upload = SimpleUploadedFile("pool.csv", body, content_type="text/csv")
    return client.post(
        reverse("impact:pool-upload"),
        {"name": name, "outcome_kind": "reoffence", "description": "", "file": upload},
    )


def cohort_rows(world, n=300):
    c = world["cohort"]
    return [
        {
            "participant_reference": world["references"][i],
            **{k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in c.items()},
        }
        for i in range(n)
    ]


def test_a_pool_upload_pseudonymises_and_leaves_out_enrolled_people(client, commissioner, world):
    response = upload_pool(client, commissioner)
    assert response.status_code == 302
    pool = ComparisonPool.objects.get()
    assert (pool.rows_submitted, pool.rows_enrolled) == (3003, 3)
    assert PoolMember.objects.filter(pool=pool).count() == 3000
    member = PoolMember.objects.first()
    assert len(member.pseudonym) == 64 and "CE" not in member.pseudonym
    page = client.get(reverse("impact:reports")).content.decode()
    assert "3,003 rows, fewer than 5 left out as enrolled" in page


def test_a_pool_upload_with_bad_rows_saves_nothing_and_lists_them_by_row(client, commissioner, world):
    bad = [
        ["ZZ1", 30, "male", 2, 100, "theft", 0, 1],
        ["CE999999A", 5, "dragon", 2, 100, "theft", "maybe", 2],
    ]
    response = upload_pool(client, commissioner, n=100, extra=bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: 2 rows need fixing" in page
    assert "Enter a National Insurance number" in page
    assert "Use one of: female, male, other." in page
    assert "Enter 1 if the person reoffended within 12 months, 0 if not." in page
    assert not ComparisonPool.objects.exists() and not PoolMember.objects.exists()


def test_providers_cannot_upload_pools(client, provider, world):
    client.force_login(provider)
    assert client.get(reverse("impact:pool-upload")).status_code == 403


def test_cohort_data_through_the_api_with_errors_by_row(client, provider, world):
    client.force_login(provider)
    rows = cohort_rows(world, 5)
    rows[2]["age"] = "old"
    response = client.post(
        reverse("impact-cohorts"),
        {"programme": world["programme"].pk, "outcome_kind": "reoffence", "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["rows"] == {"2": {"age": ["Enter a whole number from 10 to 110."]}}
    assert not CohortUpload.objects.exists()


def make_report(client, commissioner, provider, world, n=300):
    assert upload_pool(client, commissioner).status_code == 302
    client.force_login(provider)
    rows = cohort_rows(world, n) + [{**cohort_rows(world, 1)[0], "participant_reference": "P-ZZZZZZZZ"}]
    response = client.post(
        reverse("impact-cohorts"),
        {"programme": world["programme"].pk, "outcome_kind": "reoffence", "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["rows_not_found"] == 1
    client.force_login(commissioner)
    response = client.post(
        reverse("impact:report-new"),
        {
            "programme": world["programme"].pk,
            "measure": world["measure"].pk,
            "pool": ComparisonPool.objects.get().pk,
            "covariates": [
                "age",
                "gender",
                "prior_offences",
                "days_since_last_offence",
                "offence_group",
                "employed",
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()
    return ImpactReport.objects.get()


def test_a_report_made_published_and_seen_the_same_everywhere(client, commissioner, provider, world):
    report = make_report(client, commissioner, provider, world)
    assert report.status == "draft" and report.effect is not None
    assert report.result["funnel"] == {
        "submitted": 301,
        "found": 300,
        "followed_up": 300,
        "matched": report.matched,
        "analysed": report.matched,
    }
    # A draft is for staff only, and the value-for-money engine does not use it.
    client.force_login(provider)
    assert client.get(reverse("impact:report", args=[report.pk])).status_code == 404
    assert selectors.measured_impacts([world["programme"].pk]) == {}

    client.force_login(commissioner)
    assert client.post(reverse("impact:report-publish", args=[report.pk])).status_code == 302
    impact = selectors.measured_impacts([world["programme"].pk])[(world["programme"].pk, world["measure"].pk)]
    assert impact.report_id == report.pk and impact.cohort == report.matched

    client.force_login(provider)
    page = client.get(reverse("impact:report", args=[report.pk])).content.decode()
    api = client.get(reverse("impact-report-detail", args=[report.pk])).json()
    pdf = client.get(reverse("impact:report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    flat_text = " ".join(text.split())
    view = selectors.report_view(ImpactReport.objects.get()).to_dict()
    assert api == json.loads(json.dumps(view, default=str))
    assert api["has_estimate"]
    for name in ("headline", "cohort_outcome", "comparison_outcome", "difference", "interval", "p_value"):
        assert api[name]
        assert api[name] in page
        assert api[name] in flat_text, name
    for line in api["can_say"] + api["cannot_say"]:
        assert line.replace("'", "&#x27;") in page
        assert " ".join(line.split()) in flat_text
    for step in api["funnel"]:
        assert step["text"] in flat_text
    for line in api["balance"]:
        assert line["label"] in flat_text and line["after"] in flat_text
    assert "reoffended within a year, against" in api["headline"]


def test_another_provider_never_sees_the_report(client, commissioner, provider, provider2, world):
    report = make_report(client, commissioner, provider, world)
    client.force_login(commissioner)
    client.post(reverse("impact:report-publish", args=[report.pk]))
    assert len(client.get(reverse("impact-report-list")).json()["results"]) == 1
    client.force_login(provider2)
    assert client.get(reverse("impact-report-list")).json()["results"] == []
    assert client.get(reverse("impact:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("impact-report-detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("impact:report-pdf", args=[report.pk])).status_code == 404


def test_too_few_matched_is_a_report_without_an_estimate(client, commissioner, provider, world):
    report = make_report(client, commissioner, provider, world, n=40)
    assert report.effect is None and "only 40 people could be matched" in report.refusal
    view = selectors.report_view(report)
    assert view.headline == report.refusal and not view.has_estimate
    assert view.funnel[-1].text == "fewer than 5"  # analysed: 0
    client.force_login(commissioner)
    page = client.get(reverse("impact:report", args=[report.pk])).content.decode()
    assert "at least 60" in page


def test_publishing_supersedes_the_earlier_report(client, commissioner, provider, world):
    first = make_report(client, commissioner, provider, world)
    client.force_login(commissioner)
    client.post(reverse("impact:report-publish", args=[first.pk]))
    second = ImpactReport.objects.create(
        programme=first.programme,
        measure=first.measure,
        pool=first.pool,
        cohort=first.cohort,
        outcome_kind="reoffence",
        result=first.result,
        created_by=commissioner,
    )
    client.post(reverse("impact:report-publish", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "published")


def test_cohort_data_on_the_page_with_a_bad_row_saves_nothing(client, provider, world):
    client.force_login(provider)
    header = ["participant_reference", *HEADER[1:]]
    good = [world["references"][0], 30, "male", 2, 100, "theft", "no", 1]
    bad = [world["references"][1], 30, "male", 2, 100, "theft", "no", 7]
    body = "\n".join(",".join(str(c) for c in row) for row in [header, good, bad]).encode()
    response = client.post(
        reverse("impact:cohort-upload"),
        {
            "programme": world["programme"].pk,
            "outcome_kind": "reoffence",
            "file": SimpleUploadedFile("c.csv", body),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: 1 row needs fixing" in page and '<td class="govuk-table__cell">3</td>' in page
    assert not CohortUpload.objects.exists()

    body = "\n".join(",".join(str(c) for c in row) for row in [header, good]).encode()
    response = client.post(
        reverse("impact:cohort-upload"),
        {
            "programme": world["programme"].pk,
            "outcome_kind": "reoffence",
            "file": SimpleUploadedFile("c.csv", body),
        },
    )
    assert response.status_code == 302
    assert CohortUpload.objects.get().members.count() == 1
