"""Every file a person supplies is size-limited and parsed defensively: a malformed, huge or
hostile file gets a clear message, never a 500 and never a hang.

Files: the Excel returns upload (web), JSON request bodies (API), and 360Giving JSON imports
(manage.py import_360giving)."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from core.errors import ValidationFailed
from core.files.uploads import json_depth
from grants.models import OutcomeReturn, Programme
from grants.returns_excel import HEADERS

pytestmark = pytest.mark.django_db
SHEET = "xl/worksheets/sheet1.xml"


def real_workbook() -> bytes:
    book = Workbook()
    book.active.append(HEADERS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(write_sheet) -> bytes:
    """A genuine workbook whose first sheet's XML is replaced by what write_sheet(stream) writes."""
    source = zipfile.ZipFile(io.BytesIO(real_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as stream:
                    write_sheet(stream)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def upload(client, provider, content: bytes, name="returns.xlsx"):
    client.force_login(provider)
    return client.post(reverse("returns-upload"), {"file": SimpleUploadedFile(name, content)})


def assert_upload_refused(response, message):
    assert response.status_code == 200  # the form again, with the message: not a 500
    assert message in response.content.decode()
    assert not OutcomeReturn.objects.exists()


# --- Excel returns upload ----------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_expanded(client, provider, portfolio):
    def spaces(stream):  # 300 MB of nothing, deflated to about 300 KB
        stream.write(SHEET_START)
        chunk = b" " * (1024 * 1024)
        for _ in range(300):
            stream.write(chunk)
        stream.write(SHEET_END)

    bomb = with_sheet(spaces)
    assert len(bomb) < 1_000_000
    response = upload(client, provider, bomb)
    assert_upload_refused(response, "expands to an implausible size")


@pytest.fixture
def rows_parsed(monkeypatch):
    """How many sheet rows openpyxl's parser has read: a count, so the test holds on a busy machine."""
    from openpyxl.worksheet._reader import WorkSheetParser

    count = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, row):
        count[0] += 1
        return parse_row(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return count


def rows_without_dimension(count: int):
    """A sheet of `count` one-cell rows and no <dimension> element (legal; Excel writes one)."""

    def write(stream):
        stream.write(SHEET_START)
        stream.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Programme reference</t></is></c></row>')
        for start in range(2, count + 1, 4096):
            stream.write(
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                    for n in range(start, min(start + 4096, count + 1))
                )
            )
        stream.write(SHEET_END)

    return write


def test_a_sheet_of_a_million_rows_is_refused_by_its_expanded_size(client, provider, portfolio, rows_parsed):
    content = with_sheet(rows_without_dimension(1_048_576))  # Excel's maximum; 5 MB zipped, 51 MB of XML
    response = upload(client, provider, content)
    assert_upload_refused(response, "expands to an implausible size")
    assert rows_parsed[0] == 0  # refused before parsing


def test_many_rows_stop_at_the_row_limit_without_reading_the_rest(client, provider, portfolio, rows_parsed):
    content = with_sheet(rows_without_dimension(300_000))  # 15 MB of XML, under the expanded cap
    response = upload(client, provider, content)
    assert_upload_refused(response, "Missing column(s)")  # the header row is all it reads
    assert 1 <= rows_parsed[0] <= 2, f"{rows_parsed[0]:,} rows parsed before the header was refused"
    from core.files.uploads import xlsx_rows

    rows_parsed[0] = 0
    with pytest.raises(ValidationFailed, match="more than 5,000 rows"):
        for _ in xlsx_rows(content):
            pass
    assert 5_000 < rows_parsed[0] <= 5_003, f"{rows_parsed[0]:,} rows parsed: it read past the limit"


def test_a_file_above_the_limit_is_refused_unread(client, provider, portfolio, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_UPLOAD_BYTES": 100_000}
    response = upload(client, provider, real_workbook() + b"\0" * 200_000)
    assert_upload_refused(response, "the largest accepted is 0.1 MB")


def test_a_request_far_above_the_limit_is_413(client, provider, portfolio, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_UPLOAD_BYTES": 1000}
    client.force_login(provider)
    big = SimpleUploadedFile("big.xlsx", b"\0" * 2_200_000)
    response = client.post(reverse("returns-upload"), {"file": big})
    assert response.status_code == 413 and b"too large" in response.content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("old format renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "not an Excel workbook"),
        ("a PDF renamed", b"%PDF-1.4\n" + b"x" * 1000, "not an Excel workbook"),
        ("cut in half", real_workbook()[:2500], "not an Excel workbook"),
        ("empty", b"", "is empty"),
    ],
)
def test_files_that_are_not_workbooks(client, provider, portfolio, name, content, message):
    response = upload(client, provider, content)
    assert_upload_refused(response, message)


def test_a_zip_that_is_not_a_workbook(client, provider, portfolio):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "This is a zip with a text file in it, not a workbook.")
    response = upload(client, provider, out.getvalue())
    assert_upload_refused(response, "could not be read")


def test_broken_sheet_xml(client, provider, portfolio):
    response = upload(client, provider, with_sheet(lambda s: s.write(SHEET_START + b"<row><c>")))
    assert_upload_refused(response, "could not be read")


def test_entity_expansion_in_the_sheet_is_refused(client, provider, portfolio):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
            for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>' + SHEET_END
    )
    response = upload(client, provider, with_sheet(lambda s: s.write(laughs)))
    assert_upload_refused(response, "could not be read")


def test_a_sheet_of_very_wide_rows_is_read_only_as_wide_as_the_form(client, provider, portfolio):
    def wide(stream):
        stream.write(SHEET_START + b'<row r="1">')
        stream.write(b"".join(b'<c r="%s1"><v>1</v></c>' % _column(i).encode() for i in range(1, 16385)))
        stream.write(b"</row>" + SHEET_END)

    response = upload(client, provider, with_sheet(wide))
    assert_upload_refused(response, "Missing column(s)")


def _column(index: int) -> str:
    name = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


# --- JSON request bodies (API) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
        ('{"items": ' + "[" * 500 + "]" * 500 + "}", "nested more than 64 levels"),
        ('{"value": NaN}', "NaN is not a number JSON allows"),
        ('{"value": ' + "9" * 5000 + "}", "thousands of digits"),
        ('{"value": "\xe9"}', None),  # sent as UTF-8 below, so valid
        ("{not json", "not valid JSON"),
    ],
)
def test_hostile_json_bodies_are_400(api, provider, portfolio, body, message):
    client = api(provider)
    for url in ("/api/returns/", "/api/returns/bulk/"):
        response = client.post(url, body.encode(), content_type="application/json")
        assert response.status_code == 400, (url, response.content[:200])
        if message:
            assert message in response.json()["detail"], response.json()


def test_json_that_is_not_utf8_is_400(api, provider, portfolio):
    response = api(provider).post("/api/returns/", '{"notes": "caf\xe9"}'.encode("latin-1"),
                                  content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "not UTF-8" in response.json()["detail"]


@pytest.mark.parametrize("url, body", [("/api/returns/", []), ("/api/returns/bulk/", {"items": 1})])
def test_json_of_the_wrong_shape_is_400(api, provider, portfolio, url, body):
    response = api(provider).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content


def test_depth_is_measured_without_recursion():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep) == 100_001
    assert json_depth({"a": [1, {"b": []}]}) == 4 and json_depth(5) == 0


# --- 360Giving import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[]", "holds a list, but a 360Giving package is an object"),
        (b'"grants"', "holds a str"),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 64 levels"),
        (b'{"grants": [' + b"[" * 900 + b"]" * 900 + b"]}", "nested more than 64 levels"),
        (b'{"grants": [{"amountAwarded": NaN}]}', "NaN is not a number JSON allows"),
        (b'{"grants": [{"amountAwarded": ' + b"9" * 5000 + b"}]}", "thousands of digits"),
        ('{"grants": [{"title": "caf\xe9"}]}'.encode("latin-1"), "not UTF-8"),
        (b"", "not valid JSON"),
        (b'{"grants": "all of them"}', "grants"),
        (b'{"grants": [1, 2, 3]}', "grants/0"),
    ],
)
def test_hostile_360giving_files_are_refused_with_nothing_saved(tmp_path, commissioner, content, message):
    path = tmp_path / "package.json"
    path.write_bytes(content)
    before = Programme.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("import_360giving", str(path), "--user", commissioner.username)
    assert message in str(exc.value)
    assert "saved" in str(exc.value)
    assert Programme.objects.count() == before


def test_360giving_size_limit_comes_from_the_settings(tmp_path, settings, commissioner):
    from grants.management.commands import import_360giving

    path = tmp_path / "package.json"
    path.write_bytes(b'{"grants": []}' + b" " * 2000)
    command = import_360giving.Command()
    parser = command.create_parser("manage.py", "import_360giving")
    assert parser.get_default("max_bytes") == settings.YARDSTICK["MAX_IMPORT_BYTES"]
    with pytest.raises(CommandError, match="larger than 1,000 bytes"):
        call_command("import_360giving", str(path), "--max-bytes", "1000", "--user", commissioner.username)
