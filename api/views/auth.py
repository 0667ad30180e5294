"""Token sign-in: a username and password for an API token (accounts.tokens decides)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens import token_sign_in
from api.parsers import JSONParser
from api.schema import R400, DetailError
from api.serializers import auth as s
from api.throttles import WriteRateThrottle


class TokenView(APIView):
    """Exchange a username and password for a new, named API token (JSON or form-encoded body)."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    authentication_classes: list = []
    throttle_classes = [WriteRateThrottle]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenSerializer,
            400: R400,
            429: OpenApiResponse(DetailError, description="Locked out after repeated failures"),
        },
        auth=[],
        summary="Get a new API token",
        description=(
            "Issues a new named token for a username and password; only its hash is kept, so keep "
            "the token returned. Accounts with two-factor sign-in create tokens on the API tokens "
            "page instead. Failed attempts count towards the same limits as the web sign-in."
        ),
    )
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"token": token_sign_in(request=request, **data.validated_data)})
