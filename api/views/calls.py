"""API for commissioning calls: calls, clarifications, bids, interests, scores, moderation,
ranking, awards, and the public feed of open calls. Shape here; the services decide."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.security import RecentlyAuthenticated
from api.pagination import StandardPagination
from api.schema import LIST_ERRORS, R409, READ_ERRORS, WRITE_ERRORS
from api.serializers import calls as s
from api.throttles import WriteRateThrottle
from commissioning.calls import selectors, services
from commissioning.calls.models import Award, Bid, Call, Clarification, Criterion, Lot
from commissioning.calls.permissions import Action, require
from commissioning.calls.ranking import money
from commissioning.calls.services.calls import CALL_FIELDS
from core.errors import NotFound, ValidationFailed
from grants.models import FundingStream, Organisation

READ_409 = {**READ_ERRORS, 409: R409}


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise ValidationFailed(serializer.errors)
    return serializer.validated_data


def _call(request, pk) -> Call:
    return selectors.call_get_visible(user=request.user, pk=pk)


def _bid(request, pk) -> Bid:
    return selectors.bid_get_visible(user=request.user, pk=pk)


def _of_call(model, call: Call, pk, field: str, noun: str):
    obj = model.objects.filter(pk=pk, call=call).first()
    if obj is None:
        raise ValidationFailed({field: [f"No {noun} with id {pk} in this call."]})
    return obj


class _Base(APIView):
    throttle_classes = [WriteRateThrottle]


def _call_kwargs(data: dict) -> dict:
    """The validated call body as the services' arguments."""
    fields = {k: v for k, v in data.items() if k in CALL_FIELDS}
    if "funding_stream" in fields:
        stream = FundingStream.objects.filter(pk=fields["funding_stream"]).first()
        if stream is None:
            raise ValidationFailed(
                {"funding_stream": [f"No funding stream with id {fields['funding_stream']}."]}
            )
        fields["funding_stream"] = stream
    kwargs: dict = {"fields": fields}
    if "lots" in data:
        kwargs["lots"] = [
            services.LotInput(
                number=lot["number"],
                title=lot["title"],
                budget=lot["budget"],
                description=lot.get("description", ""),
                measures=[(m["measure_id"], m["minimum_volume"]) for m in lot["lot_measures"]],
            )  # fmt: skip
            for lot in data["lots"]
        ]
    if "criteria" in data:
        kwargs["criteria"] = [
            services.CriterionInput(
                name=c["name"],
                weight=c["weight"],
                descriptors=list(c["descriptors"]),
                guidance=c.get("guidance", ""),
                kind=c.get("kind", Criterion.Kind.QUALITY),
            )  # fmt: skip
            for c in data["criteria"]
        ]
    if "eligibility_questions" in data:
        kwargs["eligibility"] = data["eligibility_questions"]
    for src, dest in (("priorities", "priority_ids"), ("themes", "theme_ids"), ("wards", "ward_ids"),
                      ("primary_priority", "primary_priority_id")):  # fmt: skip
        if src in data:
            kwargs[dest] = data[src]
    return kwargs


class CallListView(_Base):
    pagination_class = StandardPagination

    @extend_schema(
        summary="List calls (commissioners: all; others: published)",
        responses={200: s.CallSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        calls = selectors.calls_visible(request.user).prefetch_related(
            "lots__lot_measures__measure",
            "criteria",
            "eligibility_questions",
            "priorities",
            "themes",
            "wards",
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(calls.order_by("-closes_at", "pk"), request, view=self)
        return paginator.get_paginated_response(s.CallSerializer(page, many=True).data)

    @extend_schema(
        summary="Create a draft call (commissioners)",
        request=s.CallWriteSerializer,
        responses={201: s.CallSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        require(request.user, Action.CALL_MANAGE)
        data = _valid(s.CallWriteSerializer, request.data)
        kwargs = _call_kwargs(data)
        call = services.call_create(user=request.user, **{"lots": [], "criteria": [], **kwargs})
        return Response(s.CallSerializer(call).data, status=201)


class CallDetailView(_Base):
    @extend_schema(
        summary="One call with its lots and scoring scheme", responses={200: s.CallSerializer, **READ_ERRORS}
    )
    def get(self, request, pk: int):
        return Response(s.CallSerializer(_call(request, pk)).data)

    @extend_schema(
        summary="Change a call (the scheme only while a draft)",
        request=s.CallUpdateSerializer,
        responses={200: s.CallSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.CALL_MANAGE)
        data = _valid(s.CallUpdateSerializer, request.data, partial=True)
        call = services.call_update(user=request.user, call=call, **_call_kwargs(data))
        return Response(s.CallSerializer(Call.objects.get(pk=call.pk)).data)


class CallPublishView(_Base):
    @extend_schema(
        summary="Publish a draft call (commissioners)",
        request=None,
        responses={200: s.CallSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = services.call_publish(user=request.user, call=_call(request, pk))
        return Response(s.CallSerializer(call).data)


class PublicCallsView(APIView):
    pagination_class = StandardPagination
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Open calls (public; no sign-in)",
        auth=[],
        responses={200: s.PublicCallSerializer(many=True), 400: LIST_ERRORS[400], 404: LIST_ERRORS[404]},
    )
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.open_calls(), request, view=self)
        return paginator.get_paginated_response(s.PublicCallSerializer(page, many=True).data)


class QuestionsView(_Base):
    @extend_schema(
        summary="Clarifications: published answers (commissioners: every question)",
        responses={200: s.ClarificationSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        questions = call.clarifications.all()
        if not _manages(request.user):
            questions = questions.filter(published_at__isnull=False)
        return Response(s.ClarificationSerializer(questions, many=True).data)

    @extend_schema(
        summary="Ask a clarification question (bidders, until the deadline)",
        request=s.ClarificationAskSerializer,
        responses={201: s.ClarificationSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        data = _valid(s.ClarificationAskSerializer, request.data)
        asked = services.clarification_ask(user=request.user, call=call, question=data["question"])
        return Response(s.ClarificationSerializer(asked).data, status=201)


class QuestionAnswerView(_Base):
    @extend_schema(
        summary="Answer a question and publish it to every bidder (commissioners)",
        request=s.ClarificationAnswerSerializer,
        responses={200: s.ClarificationSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int, question_pk: int):
        call = _call(request, pk)
        require(request.user, Action.CALL_MANAGE)
        question = Clarification.objects.filter(pk=question_pk, call=call).first()
        if question is None:
            raise NotFound("No question with that id in this call.")
        data = _valid(s.ClarificationAnswerSerializer, request.data)
        answered = services.clarification_answer(
            user=request.user, clarification=question, answer=data["answer"]
        )
        return Response(s.ClarificationSerializer(answered).data)


def _manages(user) -> bool:
    from commissioning.calls.permissions import has_permission

    return has_permission(Action.CALL_MANAGE, user).allowed


class CallBidsView(_Base):
    pagination_class = StandardPagination

    @extend_schema(
        summary="A call's bids you may see (providers: your organisations')",
        responses={200: s.BidListSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        bids = selectors.bids_visible(user=request.user, call=call).order_by(
            "lot__number", "organisation__name", "pk"
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(bids, request, view=self)
        return paginator.get_paginated_response(s.BidListSerializer(page, many=True).data)

    @extend_schema(
        summary="Start a draft bid for one of your organisations (providers)",
        request=s.BidCreateSerializer,
        responses={201: s.BidSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        data = _valid(s.BidCreateSerializer, request.data)
        lot = _of_call(Lot, call, data["lot"], "lot", "lot")
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        require(request.user, Action.BID_CREATE, organisation, field="organisation")
        bid = services.bid_create(
            user=request.user, call=call, lot=lot, organisation=organisation, title=data["title"]
        )
        return Response(s.BidSerializer(selectors.bid_detail(bid)).data, status=201)


class BidDetailView(_Base):
    @extend_schema(
        summary="One bid, with its projected value for money", responses={200: s.BidSerializer, **READ_409}
    )
    def get(self, request, pk: int):
        bid = selectors.bid_detail(_bid(request, pk))
        return Response(s.BidSerializer(bid, context={"vfm": selectors.bids_vfm([bid])}).data)

    @extend_schema(
        summary="Change a draft bid (its organisation's staff; parts given replace what was there)",
        request=s.BidUpdateSerializer,
        responses={200: s.BidSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int):
        bid = _bid(request, pk)
        data = _valid(s.BidUpdateSerializer, request.data)
        parts: dict = {}
        if "answers" in data:
            parts["answers"] = {a["criterion"]: a["text"] for a in data.pop("answers")}
        if "eligibility" in data:
            parts["eligibility"] = {a["question"]: (a["meets"], a["note"]) for a in data.pop("eligibility")}
        if "proposed_outcomes" in data:
            parts["outcomes"] = [
                (o["measure"], o["financial_year"], o["quarter"], o["volume"])
                for o in data.pop("proposed_outcomes")
            ]
        if "rate_card" in data:
            parts["rate_card"] = {r["measure"]: r["tariff"] for r in data.pop("rate_card")}
        if "budget_lines" in data:
            parts["budget_lines"] = {b["category"]: b["amount"] for b in data.pop("budget_lines")}
        if "social_value" in data:
            parts["social_value"] = [
                (v["measure"], v["quantity"], v["by_when"]) for v in data.pop("social_value")
            ]
        services.bid_update(user=request.user, bid=bid, fields=data, **parts)
        bid = selectors.bid_detail(bid)
        return Response(s.BidSerializer(bid, context={"vfm": selectors.bids_vfm([bid])}).data)


def _bid_transition(request, pk: int, service) -> Response:
    """Submit or withdraw: the service decides, the bid is shown as it now is."""
    bid = service(user=request.user, bid=_bid(request, pk))
    return Response(s.BidSerializer(selectors.bid_detail(bid)).data)


class BidSubmitView(_Base):
    @extend_schema(
        summary="Submit a draft bid before the closing time (409 at or after it)",
        request=None,
        responses={200: s.BidSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        return _bid_transition(request, pk, services.bid_submit)


class BidWithdrawView(_Base):
    @extend_schema(
        summary="Withdraw a bid before the closing time",
        request=None,
        responses={200: s.BidSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        return _bid_transition(request, pk, services.bid_withdraw)


class BidExcludeView(_Base):
    @extend_schema(
        summary="Exclude a submitted bid with the reason (commissioners)",
        request=s.ExcludeSerializer,
        responses={200: s.BidListSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        bid = _bid(request, pk)
        data = _valid(s.ExcludeSerializer, request.data)
        return Response(
            s.BidListSerializer(services.bid_exclude(user=request.user, bid=bid, reason=data["reason"])).data
        )


class AssessorsView(_Base):
    @extend_schema(
        summary="A call's assessors",
        responses={200: s.AssessorSerializer(many=True), **READ_ERRORS, 403: WRITE_ERRORS[403]},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.ASSESS)
        return Response(s.AssessorSerializer(call.assessors.select_related("user"), many=True).data)

    @extend_schema(
        summary="Assign a commissioner to assess the call (commissioners)",
        request=s.AssessorAssignSerializer,
        responses={201: s.AssessorSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.CALL_MANAGE)
        data = _valid(s.AssessorAssignSerializer, request.data)
        user = get_user_model().objects.filter(pk=data["user"]).first()
        if user is None:
            raise ValidationFailed({"user": [f"No user with id {data['user']}."]})
        row = services.assessor_assign(user=request.user, call=call, assessor=user, is_lead=data["is_lead"])
        return Response(s.AssessorSerializer(row).data, status=201)


class InterestsView(_Base):
    @extend_schema(
        summary="Your declarations in the call's conflicts register",
        responses={200: s.InterestSerializer(many=True), **READ_ERRORS, 403: WRITE_ERRORS[403]},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.ASSESS)
        rows = call.interests.filter(assessor=request.user).select_related("organisation")
        return Response(s.InterestSerializer(rows, many=True).data)

    @extend_schema(
        summary="Declare your interest (or none) in a bidding organisation (assessors)",
        request=s.InterestDeclareSerializer,
        responses={201: s.InterestSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.ASSESS)
        data = _valid(s.InterestDeclareSerializer, request.data)
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if organisation is None:
            raise ValidationFailed({"organisation": [f"No organisation with id {data['organisation']}."]})
        row = services.interest_declare(
            user=request.user, call=call, organisation=organisation, conflicted=data["conflicted"],
            description=data["description"],
        )  # fmt: skip
        return Response(s.InterestSerializer(row).data, status=201)


def _criterion_write(request, pk: int, body, service, shown) -> Response:
    """A score or a moderated score of a bid on one of its call's criteria: the body's other
    fields (justification; rationale and requested) go to the service as they are."""
    bid = _bid(request, pk)
    data = dict(_valid(body, request.data))
    criterion = _of_call(Criterion, bid.call, data.pop("criterion"), "criterion", "criterion")
    row = service(user=request.user, bid=bid, criterion=criterion, **data)
    return Response(shown(row).data, status=201)


class BidScoresView(_Base):
    @extend_schema(
        summary="Scores of a bid: your own, and everyone's once yours are submitted",
        responses={200: s.AssessorScoreSerializer(many=True), **READ_409},
    )
    def get(self, request, pk: int):
        bid = _bid(request, pk)
        return Response(
            s.AssessorScoreSerializer(selectors.scores_visible(user=request.user, bid=bid), many=True).data
        )

    @extend_schema(
        summary="Record or change your score on a criterion (assessors)",
        request=s.ScoreRecordSerializer,
        responses={201: s.AssessorScoreSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        return _criterion_write(
            request, pk, s.ScoreRecordSerializer, services.score_record, s.AssessorScoreSerializer
        )


class BidScoresSubmitView(_Base):
    @extend_schema(
        summary="Submit your scores of a bid (then they are fixed, and others' show)",
        request=None,
        responses={200: s.AssessorScoreSerializer(many=True), **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        bid = _bid(request, pk)
        services.assessment_submit(user=request.user, bid=bid)
        return Response(
            s.AssessorScoreSerializer(selectors.scores_visible(user=request.user, bid=bid), many=True).data
        )


class BidModerationView(_Base):
    @extend_schema(
        summary="Moderated scores of a bid", responses={200: s.ModerationSerializer(many=True), **READ_409}
    )
    def get(self, request, pk: int):
        bid = _bid(request, pk)
        rows = (
            bid.moderations.select_related("moderated_by")
            if selectors.scores_visible(user=request.user, bid=bid)
            else []
        )
        return Response(s.ModerationSerializer(rows, many=True).data)

    @extend_schema(
        summary="Record the moderated score on a criterion (the lead assessor)",
        request=s.ModerationRecordSerializer,
        responses={201: s.ModerationSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        return _criterion_write(
            request, pk, s.ModerationRecordSerializer, services.moderation_record, s.ModerationSerializer
        )


def ranking_rows(call: Call) -> list[dict]:
    """The ranking as the API, the page and the assessment summaries show it (rounded to 2 places)."""
    return [
        {
            "bid": r.bid_id,
            "lot": r.lot_id,
            "organisation": r.bid.organisation.name,
            "price": r.price,
            "quality_pct": money(r.quality_pct),
            "passes_threshold": r.passes_threshold,
            "quality_score": money(r.quality_score),
            "price_score": money(r.price_score),
            "social_value_score": money(r.social_value_score),
            "total": money(r.total),
            "cost_per_outcome": money(r.cost_per_outcome),
            "rank": r.rank,
            "awaiting_moderation": r.awaiting_moderation,
            "excluded_reason": r.excluded_reason,
            "incomplete": r.incomplete,
        }  # fmt: skip
        for r in selectors.call_ranking(call)
    ]


class RankingView(_Base):
    @extend_schema(
        summary="The ranking per lot (commissioners; assessors once their own scores are in)",
        responses={200: s.RankingRowSerializer(many=True), **READ_409, 403: WRITE_ERRORS[403]},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.ASSESS)
        selectors.require_ranking_visible(user=request.user, call=call)
        return Response(s.RankingRowSerializer(ranking_rows(call), many=True).data)


class AwardView(_Base):
    @extend_schema(
        summary="The call's awards (recommended bids, standstill, conclusion)",
        responses={200: s.AwardSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, pk: int):
        call = _call(request, pk)
        awards = Award.objects.filter(lot__call=call).select_related("lot", "bid__organisation")
        return Response(s.AwardSerializer(awards, many=True).data)

    @extend_schema(
        summary="Recommend a bid for a lot; the standstill starts (commissioners)",
        request=s.AwardRecommendSerializer,
        responses={201: s.AwardSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.CALL_MANAGE)
        data = _valid(s.AwardRecommendSerializer, request.data)
        lot = _of_call(Lot, call, data["lot"], "lot", "lot")
        bid = _of_call(Bid, call, data["bid"], "bid", "bid")
        award = services.award_recommend(user=request.user, lot=lot, bid=bid, rationale=data["rationale"])
        return Response(s.AwardSerializer(award).data, status=201)


class ConcludeView(_Base):
    permission_classes = [IsAuthenticated, RecentlyAuthenticated]  # a browser session re-confirms

    @extend_schema(
        summary="Conclude a lot's award after the standstill: creates the programme (409 during it)",
        request=s.ConcludeSerializer,
        responses={200: s.AwardSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        call = _call(request, pk)
        require(request.user, Action.CALL_MANAGE)
        data = _valid(s.ConcludeSerializer, request.data)
        award = Award.objects.filter(lot__call=call, lot_id=data["lot"]).first()
        if award is None:
            raise ValidationFailed({"lot": ["That lot has no recommended bid to conclude."]})
        services.award_conclude(user=request.user, award=award)
        return Response(s.AwardSerializer(Award.objects.select_related("lot", "bid").get(pk=award.pk)).data)
