"""One exception handler: domain errors become 400/403/404/409 with a message a person can act on."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, ValidationFailed


def exception_handler(exc, context):
    if isinstance(exc, ValidationFailed):
        return Response(exc.errors | exc.extra, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, **exc.extra}
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
