"""API for review rounds: rounds, scores, conflicts, decisions, and the value-for-money table."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.filters import ReviewRoundFilter
from api.schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from api.serializers import review_rounds as s
from api.throttles import WriteRateThrottle
from commissioning import selectors, services
from commissioning.calls.selectors import add_delivery_against_bids
from commissioning.models import Criterion, ReviewRound
from commissioning.permissions import Action, has_permission, require
from core.errors import ValidationFailed
from core.files import spreadsheets
from grants.selectors import programme_get_visible, programmes_visible_to


class _DownloadRenderer(BaseRenderer):
    """Lets ?format=csv / ?format=xlsx through DRF's negotiation; the view builds the file itself."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVDownload(_DownloadRenderer):
    media_type, format = "text/csv", "csv"


class XLSXDownload(_DownloadRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


VFM_ORDERING = [
    "rank",
    "reference",
    "cost",
    "benefit",
    "bcr",
    "achievement",
    "composite_score",
    "worklessness_share",
]


@extend_schema_view(
    list=extend_schema(
        summary="List review rounds", responses={200: s.ReviewRoundSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One review round with its rubric", responses={200: s.ReviewRoundSerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        summary="Create a review round (commissioners)",
        request=s.ReviewRoundCreateSerializer,
        responses={201: s.ReviewRoundSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Open, close or (admins) reopen a round, or replace a draft's rubric",
        request=s.ReviewRoundUpdateSerializer,
        responses={200: s.ReviewRoundSerializer, **WRITE_ERRORS},
    ),
)
class ReviewRoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ReviewRoundSerializer
    throttle_classes = [WriteRateThrottle]
    filterset_class = ReviewRoundFilter
    ordering = ["-first_year", "name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return ReviewRound.objects.prefetch_related("criteria", "funding_streams", "priorities")

    def create(self, request, *args, **kwargs):
        data = _valid(s.ReviewRoundCreateSerializer, request.data)
        criteria = data.pop("criteria", None)
        created = services.round_create(
            user=request.user,
            name=data["name"],
            description=data["description"],
            first_year=data["first_year"],
            last_year=data["last_year"],
            include_submitted=data["include_submitted"],
            stream_ids=data["funding_streams"],
            priority_ids=data["priorities"],
            price_year=data["price_year"],
            deflator_series=data["deflator_series"],
            criteria=[(c["name"], c.get("description", ""), c["weight"]) for c in criteria]
            if criteria
            else None,
        )
        return Response(s.ReviewRoundSerializer(self.get_queryset().get(pk=created.pk)).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        review_round = self.get_object()
        data = _valid(s.ReviewRoundUpdateSerializer, request.data)
        if "criteria" in data:
            services.round_set_criteria(
                user=request.user,
                review_round=review_round,
                criteria=[(c["name"], c.get("description", ""), c["weight"]) for c in data["criteria"]],
            )
        if "price_year" in data or "deflator_series" in data:
            services.round_set_price_basis(
                user=request.user,
                review_round=review_round,
                price_year=data.get("price_year", review_round.price_year),
                deflator_series=data.get("deflator_series", review_round.deflator_series_id),
            )
        if "status" in data:
            services.round_transition(
                user=request.user,
                review_round=review_round,
                to=data["status"],
                confirmed=data["confirm"],
                reason=data["reason"],
            )
        return Response(s.ReviewRoundSerializer(self.get_queryset().get(pk=review_round.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="Scores in the round (all for staff; a provider's own once closed)",
        responses={200: s.ScoreSerializer(many=True), **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record or change your score (commissioners)",
        request=s.ScoreCreateSerializer,
        responses={201: s.ScoreSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def scores(self, request, pk=None):
        review_round = self.get_object()
        if request.method == "POST":
            data = _valid(s.ScoreCreateSerializer, request.data)
            programme = _programme(request.user, data["programme"])
            criterion = Criterion.objects.filter(pk=data["criterion"], review_round=review_round).first()
            if criterion is None:
                raise ValidationFailed({"criterion": ["No criterion with that id in this round."]})
            score = services.score_record(
                user=request.user,
                review_round=review_round,
                programme=programme,
                criterion=criterion,
                score=data["score"],
                rationale=data["rationale"],
            )
            return Response(s.ScoreSerializer(score).data, status=status.HTTP_201_CREATED)
        scores = review_round.scores.select_related("commissioner")
        if not has_permission(Action.SCORES_SEE_ALL, request.user, review_round).allowed:
            if not review_round.is_closed:
                scores = scores.none()
            scores = scores.filter(programme__in=programmes_visible_to(request.user))
        return Response(
            s.ScoreSerializer(scores.order_by("programme", "criterion", "commissioner"), many=True).data
        )

    @extend_schema(
        summary="Declare a conflict of interest (your scores of that programme are withdrawn)",
        request=s.ConflictSerializer,
        responses={201: s.ConflictSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="conflicts")
    def conflicts(self, request, pk=None):
        review_round = self.get_object()
        data = _valid(s.ConflictSerializer, request.data)
        conflict = services.conflict_declare(
            user=request.user,
            review_round=review_round,
            programme=_programme(request.user, data["programme"].pk),
            description=data["description"],
        )
        return Response(s.ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Decisions in the round (all for staff; a provider's own once the round is closed)",
        responses={200: s.DecisionSerializer(many=True), **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record or revise the decision on a programme (commissioners)",
        request=s.DecisionCreateSerializer,
        responses={201: s.DecisionSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def decisions(self, request, pk=None):
        review_round = self.get_object()
        if request.method == "POST":
            data = _valid(s.DecisionCreateSerializer, request.data)
            decision = services.decision_record(
                user=request.user,
                review_round=review_round,
                programme=_programme(request.user, data["programme"]),
                outcome=data["outcome"],
                rationale=data["rationale"],
                conditions=data["conditions"],
            )
            return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        decisions = selectors.decisions_visible_to(
            request.user,
            review_round.decisions.select_related("decided_by").filter(
                programme__in=programmes_visible_to(request.user)
            ),
        )
        return Response(s.DecisionSerializer(decisions, many=True).data)

    @extend_schema(
        summary="Value for money: one row per programme, ranked",
        description="The Price-Year and Deflator-Series response headers name the price basis of the "
        "figures (also price_year and deflator_series on the round).",
        parameters=[
            OpenApiParameter(
                "ordering", str, description=f"One of {', '.join(VFM_ORDERING)}; prefix - for descending."
            ),
            OpenApiParameter("bcr_band", str, description="poor, low, medium, high or very high."),
            OpenApiParameter("flag", str, description="Only rows with this flag, e.g. bcr_below_1."),
            OpenApiParameter(
                "primary_priority", str, description="Only programmes whose primary priority has this name."
            ),
            OpenApiParameter(
                "format", str, enum=["json", "csv", "xlsx"], description="csv or xlsx downloads the table."
            ),
        ],
        responses={
            200: s.VfmRowSerializer(many=True),
            400: LIST_ERRORS[400],
            401: LIST_ERRORS[401],
            403: OpenApiResponse(description="Providers cannot read the portfolio table."),
            404: READ_ERRORS[404],
        },
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        url_path="vfm",
        renderer_classes=[JSONRenderer, CSVDownload, XLSXDownload],
    )
    def vfm(self, request, pk=None):
        review_round = self.get_object()
        require(request.user, Action.SCORES_SEE_ALL, review_round)
        result = selectors.round_vfm(review_round)
        rows = _filtered_vfm(selectors.vfm_rows(result), request.query_params)
        add_delivery_against_bids(rows)
        fmt = request.query_params.get("format", "json")
        if fmt == "csv":
            response = _csv(rows, f"vfm-round-{review_round.pk}.csv")
        elif fmt == "xlsx":
            response = _xlsx(rows, f"vfm-round-{review_round.pk}.xlsx")
        else:
            response = Response(s.VfmRowSerializer(rows, many=True).data)
        response["Price-Year"] = result.price_year
        response["Deflator-Series"] = _header_text(result.deflator_series)
        return response


def _header_text(value: str) -> str:
    """A header carries Latin-1 only: other characters (a dash, a pound sign) become ASCII."""
    return value.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


def _filtered_vfm(rows: list[dict], params) -> list[dict]:
    if band := params.get("bcr_band"):
        rows = [r for r in rows if r["bcr_band"] == band]
    if flag := params.get("flag"):
        rows = [r for r in rows if flag in r["flags"]]
    if priority := params.get("primary_priority"):
        rows = [r for r in rows if r["primary_priority"] == priority]
    ordering = params.get("ordering", "rank")
    key = ordering.lstrip("-")
    if key not in VFM_ORDERING:
        raise ValidationFailed({"ordering": [f"Order by one of: {', '.join(VFM_ORDERING)}."]})
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    return sorted(present, key=lambda r: r[key], reverse=ordering.startswith("-")) + missing


def _table(rows: list[dict]) -> tuple[list[str], list[list]]:
    columns = list(s.VfmRowSerializer().fields)
    return columns, [[("; ".join(row[c]) if c == "flags" else row[c]) for c in columns] for row in rows]


def _csv(rows: list[dict], filename: str) -> HttpResponse:
    columns, table = _table(rows)
    return spreadsheets.download("csv", columns, table, filename=filename.removesuffix(".csv"))


def _xlsx(rows: list[dict], filename: str) -> HttpResponse:
    columns, table = _table(rows)
    return spreadsheets.download(
        "xlsx",
        columns,
        table,
        filename=filename.removesuffix(".xlsx"),
        sheet="Value for money",
        money=("award", "cost", "benefit"),
    )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _programme(user, pk: int):
    return programme_get_visible(user=user, pk=pk)


__all__ = ["OpenApiTypes"]
