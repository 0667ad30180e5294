"""API for budgets and payments by results. Views parse and serialise; grants.selectors computes
the figures (only over what the user may see) and grants.services records payments."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.security import RecentlyAuthenticated
from api.filters import PaymentFilter
from api.schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from api.serializers import payments as s
from api.throttles import WriteRateThrottle
from core import clock
from core.errors import NotFound, ValidationFailed
from grants import selectors, services
from grants.models import Programme
from grants.permissions import Action, require


@extend_schema_view(
    list=extend_schema(
        summary="Payments recorded (providers: their own programmes')",
        responses={200: s.PaymentSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="One payment", responses={200: s.PaymentSerializer, **READ_ERRORS}),
    create=extend_schema(
        summary="Record a payment to a payment-by-results programme (finance officers)",
        request=s.PaymentCreateSerializer,
        responses={201: s.PaymentSerializer, **WRITE_ERRORS},
    ),
)
class PaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["paid_on", "amount", "financial_year", "quarter", "recorded_at"]
    ordering = ["-paid_on", "-id"]
    search_fields = ["reference", "programme__reference"]
    throttle_classes = [WriteRateThrottle]
    http_method_names = ["get", "post", "head", "options"]  # a payment is never edited or deleted

    def get_permissions(self):
        """Recording or reversing a payment: a browser session re-confirms its password, as on
        the web pages."""
        if self.action in ("create", "reverse_payment"):
            return [*super().get_permissions(), RecentlyAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.payments_visible_to(self.request.user).select_related(
            "programme", "recorded_by", "reversal"
        )

    def create(self, request, *args, **kwargs):
        serializer = s.PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            programme = selectors.programme_get_visible(user=request.user, pk=data.pop("programme"))
        except NotFound as exc:  # name the field the id came in
            raise NotFound(exc.message, field="programme") from None
        payment = services.payment_record(user=request.user, programme=programme, **data)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Reverse a payment recorded in error (finance officers)",
        description=(
            "Records a reversal: a new entry linked to the payment, for the same programme and quarter, "
            "whose amount is minus the payment's, with the reason. The payment itself is kept unchanged. "
            "Paid and outstanding figures net the pair out, so the quarter can be paid again. "
            "409 if the payment has already been reversed (existing_id: its reversal) or is itself a "
            "reversal; 400 if the reason is empty."
        ),
        request=s.PaymentReverseSerializer,
        responses={201: s.PaymentSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="reverse")
    def reverse_payment(self, request, pk=None):
        payment = self.get_object()
        require(request.user, Action.PAYMENT_RECORD, payment)
        serializer = s.PaymentReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = services.payment_reverse(
            user=request.user, payment=payment, reason=serializer.validated_data["reason"]
        )
        return Response(s.PaymentSerializer(reversal).data, status=status.HTTP_201_CREATED)


class ProgrammePaymentsView(APIView):
    @extend_schema(
        summary="A programme's payments schedule: due, paid and outstanding per quarter",
        responses={200: s.ProgrammePaymentsSerializer, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        programme = selectors.programme_get_visible(
            user=request.user, pk=pk, queryset=Programme.objects.select_related("provider")
        )
        is_pbr = programme.commissioning_model == Programme.Model.PAYMENT_BY_RESULTS
        schedule = selectors.payment_schedule(programme, today=clock.today()) if is_pbr else None
        data = {
            "programme": programme,
            "payment_by_results": is_pbr,
            "schedule": schedule,
            "quarters": schedule.quarters if schedule else [],
        }
        return Response(s.ProgrammePaymentsSerializer(data).data)


class PbrSummaryView(APIView):
    @extend_schema(
        summary="Every payment-by-results programme you may see: due, paid and outstanding",
        parameters=[OpenApiParameter("status", str, description="Only programmes with this status.")],
        responses={200: s.PbrSummarySerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        programmes = selectors.pbr_programmes_visible_to(request.user).select_related("provider")
        if wanted := request.query_params.get("status"):
            if wanted not in Programme.Status.values:
                raise ValidationFailed({"status": [f"Use one of: {', '.join(Programme.Status.values)}."]})
            programmes = programmes.filter(status=wanted)
        programmes = list(programmes.order_by("reference"))
        schedules = selectors.payment_schedules(programmes, today=clock.today())
        rows = [{"programme": p, "schedule": schedules[p.pk]} for p in programmes]
        return Response(s.PbrSummarySerializer(rows, many=True).data)
