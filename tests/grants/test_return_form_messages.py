"""The web pages word a duplicate return for the web ("amend it here", a link to the return's edit
page; no API address), and the queue's forms follow `next` only to this site."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grants.models import OutcomeReturn
from grants.returns_excel import HEADERS
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

WEB_DUPLICATE = (
    "A return for this programme, measure and quarter already exists (id {id}); "
    '<a href="/returns/{id}/edit/">amend it here</a>.'
)
UPLOAD_DUPLICATE = "A return for this programme, measure and quarter already exists (id {id})."


def _form(portfolio) -> dict:
    return {"programme": portfolio["a"].pk, "measure": portfolio["measure"].pk, "financial_year": "2009/10",
            "quarter": 1, "value": "9", "spend": "", "notes": ""}  # fmt: skip


def test_the_submit_form_links_to_the_existing_returns_edit_page(client, provider, portfolio):
    client.force_login(provider)
    assert client.post(reverse("return-new"), _form(portfolio)).status_code == 302
    existing = OutcomeReturn.objects.get()
    page = client.post(reverse("return-new"), _form(portfolio)).content.decode()
    assert WEB_DUPLICATE.format(id=existing.pk) in page
    assert reverse("return-edit", args=[existing.pk]) == f"/returns/{existing.pk}/edit/"
    assert "PATCH" not in page and "/api/returns/" not in page
    assert client.get(reverse("return-edit", args=[existing.pk])).status_code == 200
    assert OutcomeReturn.objects.count() == 1


def test_the_upload_page_says_what_exists_without_an_api_address(client, provider, portfolio):
    existing = OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider
    )
    client.force_login(provider)
    a, code = portfolio["a"], portfolio["measure"].code
    book = Workbook()
    book.active.append(HEADERS)
    book.active.append([a.reference, "", code, "", "2009/10", 1, 10, None, ""])
    out = io.BytesIO()
    book.save(out)
    page = client.post(
        reverse("returns-upload"), {"file": SimpleUploadedFile("returns.xlsx", out.getvalue())}
    ).content.decode()
    assert "Nothing was saved: 1 row needs fixing" in page
    assert UPLOAD_DUPLICATE.format(id=existing.pk) in page
    assert "PATCH" not in page and "/api/returns/" not in page


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example.org/returns/queue/",
        "//evil.example.org/",
        "javascript:alert(1)",
        "http:///evil.example.org",
        "/\\evil.example.org",
    ],
)
@pytest.mark.parametrize("action", ["return-verify", "return-query"])
def test_an_unsafe_next_is_ignored(client, commissioner, provider, portfolio, action, unsafe):
    ret = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    client.force_login(commissioner)
    response = client.post(reverse(action, args=[ret.pk]), {"next": unsafe, "reason": "Check the count."})
    assert response.status_code == 302
    assert response["Location"] == reverse("returns-queue")


@pytest.mark.parametrize("action", ["return-verify", "return-query"])
def test_a_next_on_this_site_is_followed(client, commissioner, provider, portfolio, action):
    ret = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    client.force_login(commissioner)
    back = f"{reverse('returns-queue')}?q=gate&page=2"
    response = client.post(reverse(action, args=[ret.pk]), {"next": back, "reason": "Check the count."})
    assert response.status_code == 302 and response["Location"] == back
    absolute = client.post(reverse(action, args=[ret.pk]), {"next": "http://testserver/returns/"})
    assert absolute["Location"] == "http://testserver/returns/"


def test_no_next_goes_to_the_queue(client, commissioner, provider, portfolio):
    ret = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    client.force_login(commissioner)
    assert client.post(reverse("return-verify", args=[ret.pk]))["Location"] == reverse("returns-queue")


def test_sign_in_ignores_an_unsafe_next(client, provider):
    """allauth's sign-in checks `next` itself (url_has_allowed_host_and_scheme)."""
    provider.set_password("a-long-enough-passphrase")
    provider.save()
    response = client.post(
        f"{reverse('login')}?next=https://evil.example.org/",
        {"login": provider.username, "password": "a-long-enough-passphrase",
         "next": "https://evil.example.org/"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "evil.example.org" not in response["Location"]
