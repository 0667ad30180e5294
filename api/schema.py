"""OpenAPI pieces shared by the views: the shapes of error responses."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

DetailError = inline_serializer("DetailError", {"detail": serializers.CharField()})
ConflictError = inline_serializer(
    "ConflictError",
    {
        "detail": serializers.CharField(),
        "existing_id": serializers.IntegerField(required=False),
        "id": serializers.IntegerField(required=False),
    },
)
FieldErrors = inline_serializer(
    "FieldErrors",
    {
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)

R400 = OpenApiResponse(
    FieldErrors,
    description="Invalid input: an object mapping each field (or non_field_errors) to messages.",
)
R401 = OpenApiResponse(DetailError, description="Not signed in, or the token is wrong.")
R403 = OpenApiResponse(DetailError, description="Signed in, but this role may not do this.")
R404 = OpenApiResponse(DetailError, description="No such object, or not visible to you.")
R409 = OpenApiResponse(ConflictError, description="Conflicts with the current state (duplicate or locked).")
R413 = OpenApiResponse(DetailError, description="The request body is larger than uploads may be.")
R429 = OpenApiResponse(DetailError, description="Too many write requests; wait and retry.")

READ_ERRORS = {401: R401, 404: R404}
LIST_ERRORS = {400: R400, 401: R401, 404: R404}
WRITE_ERRORS = {400: R400, 401: R401, 403: R403, 404: R404, 409: R409, 413: R413, 429: R429}
