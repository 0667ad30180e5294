"""The API's JSON parser: DRF's, but a body nested too deeply (or with NaN, or a number with
thousands of digits) is a 400 with a message, not a 500."""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from core.errors import ValidationFailed
from core.files.uploads import parse_json


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # The body is already capped by DATA_UPLOAD_MAX_MEMORY_SIZE and the security middleware.
        raw = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) if stream is not None else b""
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ParseError("The request body is too large.")
        try:
            return parse_json(raw, subject="The request body")
        except ValidationFailed as exc:
            raise ParseError(exc.errors["file"][0]) from exc
