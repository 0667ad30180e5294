"""Token sign-in: a username and password for an API token (accounts.tokens decides)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens import token_sign_in
from api.schema import R400, DetailError
from api.serializers import auth as s
from api.throttles import WriteRateThrottle


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
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
        summary="Get an API token",
    )
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"token": token_sign_in(request=request, **data.validated_data)})
