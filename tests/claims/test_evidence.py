"""Evidence files for claims: types decided by content, a size limit, private storage, and who
may download them (the provider's own staff and partnership staff; everyone else a 404)."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import evidence, services
from claims.models import Claim, EvidenceFile, EvidenceType, PayableOutcome

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def office_file(main_part: str, main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{main_part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


DOCX = office_file("word/document.xml", WORD_TYPE)
XLSX = office_file("xl/workbook.xml", EXCEL_TYPE)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def claims(settings, portfolio, provider, provider2):
    """One submitted claim on each of programmes A (provider's) and B (provider2's)."""
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": date(2010, 10, 20)}
    made = {}
    for key, programme, user, ni in (
        ("a", portfolio["a"], provider, "AB123456C"),
        ("b", portfolio["b"], provider2, "CE654321A"),
    ):
        PayableOutcome.objects.create(
            programme=programme, measure=portfolio["measure"], tariff=Decimal("1000"),
            evidence_types=[EvidenceType.PAYSLIP],
        )
        enrolment = services.participant_enrol(
            user=user, data=services.EnrolmentInput(programme.pk, date(2010, 1, 4), ni_number=ni)
        )
        made[key] = services.claim_submit(
            user=user,
            data=services.ClaimInput(
                enrolment.participant.reference, programme.pk, portfolio["measure"].pk, date(2010, 5, 3), "payslip"
            ),
        )
    return made


def upload(client, claim, name: str, content: bytes, content_type: str = "application/octet-stream"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(f"/api/claims/{claim.pk}/evidence/", {"file": file}, format="multipart")


@pytest.mark.parametrize(
    "name, content, kind",
    [("payslip.pdf", PDF, "pdf"), ("scan.png", PNG, "png"), ("photo.jpeg", JPEG, "jpeg"), ("letter.docx", DOCX, "docx")],
)
def test_each_accepted_type_is_stored_privately(api, provider, claims, private_storage, name, content, kind):
    response = upload(api(provider), claims["a"], name, content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == kind and body["name"] == name and body["size"] == len(content)
    row = EvidenceFile.objects.get(pk=body["id"])
    stored = Path(private_storage) / row.file.name
    assert stored.read_bytes() == content
    assert name.rsplit(".", 1)[0] not in row.file.name, "the uploader's name is never a path"
    assert row.file.name.startswith(f"claims/{claims['a'].pk}/")


def test_the_type_comes_from_the_content_not_the_name(api, provider, claims):
    response = upload(api(provider), claims["a"], "scan.pdf", PNG, "application/pdf")
    assert response.status_code == 201
    assert response.json()["kind"] == "png" and response.json()["name"] == "scan.png"


@pytest.mark.parametrize(
    "name, content, content_type, words",
    [
        ("payslip.pdf", EXE, "application/pdf", "not a PDF, PNG, JPEG or Word (.docx) file (it is a Windows program)"),
        ("letter.docx", HTML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "(it is a web page or markup)"),
        ("photo.jpg", HTML, "image/jpeg", "(it is a web page or markup)"),
        ("sheet.docx", XLSX, "application/octet-stream", "but not a Word document (.docx)"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 100, "application/octet-stream", "cannot be read as one"),
        ("empty.pdf", b"", "application/pdf", "The file is empty."),
    ],
)
def test_other_content_is_refused_with_a_clear_400(api, provider, claims, name, content, content_type, words):
    response = upload(api(provider), claims["a"], name, content, content_type)
    assert response.status_code == 400
    assert words in response.json()["file"][0]
    assert not EvidenceFile.objects.exists()


def test_a_file_over_the_limit_is_refused(api, provider, claims, settings, private_storage):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_EVIDENCE_BYTES": 1000}
    response = upload(api(provider), claims["a"], "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400
    assert "the largest accepted is 0.0 MB" in response.json()["file"][0]
    assert not EvidenceFile.objects.exists() and not any(Path(private_storage).rglob("*.pdf"))


def test_a_request_far_over_the_evidence_limit_is_413(api, provider, claims, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_EVIDENCE_BYTES": 1000}
    response = upload(api(provider), claims["a"], "big.pdf", PDF + b"0" * (1024 * 1024 + 5000))
    assert response.status_code == 413


def test_only_the_programmes_provider_adds_evidence(api, provider2, commissioner, claims):
    assert upload(api(provider2), claims["a"], "p.pdf", PDF).status_code == 404
    response = upload(api(commissioner), claims["a"], "p.pdf", PDF)
    assert response.status_code == 403
    assert upload(api(), claims["a"], "p.pdf", PDF).status_code in (401, 403)
    assert not EvidenceFile.objects.exists()


def test_evidence_is_added_only_while_the_claim_awaits_a_decision(api, provider, commissioner, claims):
    services.claim_verify(user=commissioner, claim=claims["a"])
    response = upload(api(provider), claims["a"], "p.pdf", PDF)
    assert response.status_code == 409
    assert "only while a claim awaits its decision" in response.json()["detail"]


def test_other_fields_are_refused(api, provider, claims):
    file = SimpleUploadedFile("p.pdf", PDF)
    response = api(provider).post(
        f"/api/claims/{claims['a'].pk}/evidence/", {"file": file, "kind": "pdf"}, format="multipart"
    )
    assert response.status_code == 400 and "kind" in response.json()


@pytest.fixture
def stored(api, provider, claims):
    body = upload(api(provider), claims["a"], "payslip.pdf", PDF).json()
    return f"/api/claims/{claims['a'].pk}/evidence/{body['id']}/", reverse(
        "claim-evidence", args=[claims["a"].pk, body["id"]]
    )


@pytest.mark.parametrize(
    "who, status",
    [("provider", 200), ("provider2", 404), ("commissioner", 200), ("finance", 200), ("admin_user", 200)],
)
def test_download_access_matrix(request, api, client, stored, who, status):
    user = request.getfixturevalue(who)
    api_url, page_url = stored
    response = api(user).get(api_url)
    assert response.status_code == status
    client.force_login(user)
    page = client.get(page_url)
    assert page.status_code == status
    if status == 200:
        assert b"".join(page.streaming_content) == PDF
        assert page["Content-Type"] == "application/pdf"
        assert page["Content-Disposition"] == 'attachment; filename="payslip.pdf"'
        assert page["X-Content-Type-Options"] == "nosniff" and "no-store" in page["Cache-Control"]


def test_anonymous_people_cannot_download(api, client, stored):
    api_url, page_url = stored
    assert api().get(api_url).status_code in (401, 403)
    response = client.get(page_url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_evidence_of_another_claim_is_not_found_through_this_one(api, provider, claims, stored):
    evidence_id = stored[0].rstrip("/").rsplit("/", 1)[1]
    other = Claim.objects.create(
        participant=claims["a"].participant, programme=claims["a"].programme,
        payable_outcome=claims["a"].payable_outcome, measure=claims["a"].measure,
        achieved_on=date(2010, 6, 1), evidence_type="payslip", price=Decimal("1000"), submitted_by=provider,
    )
    assert api(provider).get(f"/api/claims/{other.pk}/evidence/{evidence_id}/").status_code == 404


def test_evidence_is_never_served_by_a_media_or_static_url(client, provider, stored):
    row = EvidenceFile.objects.get()
    client.force_login(provider)
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + row.file.name).status_code == 404


def test_listing_a_claims_evidence(api, provider, provider2, claims, stored):
    response = api(provider).get(f"/api/claims/{claims['a'].pk}/evidence/")
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "payslip.pdf" and row["download"] == stored[0]
    assert api(provider2).get(f"/api/claims/{claims['a'].pk}/evidence/").status_code == 404


def test_upload_from_the_claims_page(client, provider, claims):
    client.force_login(provider)
    url = reverse("claim-detail", args=[claims["a"].pk])
    page = client.get(url).content.decode()
    assert "Add an evidence file" in page
    response = client.post(
        reverse("claim-evidence-upload", args=[claims["a"].pk]), {"file": SimpleUploadedFile("letter.docx", DOCX)}
    )
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "letter.docx" in page and "Evidence added: letter.docx" in page


def test_a_refused_upload_on_the_page_says_why(client, provider, claims):
    client.force_login(provider)
    response = client.post(
        reverse("claim-evidence-upload", args=[claims["a"].pk]), {"file": SimpleUploadedFile("p.pdf", EXE)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "it is a Windows program" in page
    assert not EvidenceFile.objects.exists()


def test_other_providers_cannot_see_the_claims_page(client, provider2, claims):
    client.force_login(provider2)
    assert client.get(reverse("claim-detail", args=[claims["a"].pk])).status_code == 404


@pytest.mark.parametrize(
    "name, expected",
    [("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\x\\pay\x00slip.exe", "payslip.pdf"), ("", "evidence.pdf")],
)
def test_display_names_are_made_safe(name, expected):
    assert services.evidence.display_name(name, evidence.PDF) == expected
