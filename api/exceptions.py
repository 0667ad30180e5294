"""One exception handler: domain errors become 400/403/404/409 with a message a person can act on.

The services' messages name no channel; here the API adds what a client does about them in HTTP
terms (API_HINTS, by the error's code), so that the response reads as it always has, e.g.
"A return … already exists (id 14); amend it with PATCH /api/returns/14/ instead."
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from commissioning.services import CLOSE_UNCONFIRMED
from core.errors import DomainError, ValidationFailed
from grants.services.returns import RETURN_EXISTS

# What an API client does about a refusal, by the error's code; filled in from the error's extra.
API_HINTS = {
    RETURN_EXISTS: "amend it with PATCH /api/returns/{existing_id}/ instead.",
    CLOSE_UNCONFIRMED: 'send "confirm": true with the status to close it anyway.',
}


def api_message(exc: DomainError) -> str:
    """The error's message with the API's hint, if its code has one: "…(id 14); amend it …"."""
    hint = API_HINTS.get(exc.code or "")
    if hint is None:
        return exc.message
    return f"{exc.message.removesuffix('.')}; {hint.format(**exc.extra)}"


def _api_item_errors(item) -> dict[str, list[str]]:
    """One bulk item's errors: a service's refusal (worded for the API) or unparsed input's."""
    if isinstance(item, DomainError):
        return item.as_field_errors(api_message(item))
    return item


def exception_handler(exc, context):
    if isinstance(exc, ValidationFailed):
        extra = dict(exc.extra)
        if isinstance(extra.get("errors"), dict):
            extra["errors"] = {index: _api_item_errors(item) for index, item in extra["errors"].items()}
        return Response(exc.errors | extra, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        body = {"detail": api_message(exc), **exc.extra}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Say what was not found, in the same words whether it is missing or another organisation's.
        basename = getattr(context.get("view"), "basename", None) or "object"
        noun = basename.replace("-", " ")
        return Response({"detail": f"No {noun} with that id is visible to you."}, status=404)
    return drf_exception_handler(exc, context)
