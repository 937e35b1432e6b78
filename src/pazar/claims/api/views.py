"""Omnitron: cancellation reasons (`/api/v1/cancellation_reasons/`, and read under a sales
channel) and an order's cancel (`/api/i1/orders/{id}/cancel/`). Writes go through
`pazar.claims.services`."""

import django_filters
from django.db.models import ProtectedError
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import OmnitronView
from pazar.api.filters import BooleanFilter, FilterSet
from pazar.channels import selectors as channel_selectors
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.claims import selectors, services
from pazar.claims.api import serializers
from pazar.claims.error_codes import ErrorCode
from pazar.claims.models import (
    CancellationReason,
    CancellationRequest,
    CancellationType,
    CancelledBy,
    Claim,
    ClaimStatus,
)
from pazar.core.errors import ApplicationError
from pazar.core.prepared import PreparedLookup, PreparedQuery
from pazar.orders.models import Order, OrderItem, OrderItemStatus


class CancellationReasonFilter(FilterSet):
    class Meta:
        model = CancellationReason
        fields = ["cancellation_type", "is_active", "send_to_remote", "send_to_oms"]


@extend_schema_view(
    get=extend_schema(summary="List cancellation reasons"),
    post=extend_schema(summary="Create a cancellation reason"),
)
class CancellationReasonListView(OmnitronView, generics.ListCreateAPIView):
    queryset = CancellationReason.objects.order_by("order", "pk")
    serializer_class = serializers.CancellationReasonSerializer
    filterset_class = CancellationReasonFilter

    def perform_create(self, serializer):
        serializer.instance = services.cancellation_reason_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a cancellation reason"),
    put=extend_schema(summary="Replace a cancellation reason"),
    patch=extend_schema(summary="Change a cancellation reason"),
    delete=extend_schema(
        summary="Delete a cancellation reason",
        description="A reason claims give is kept (400 `cancellation_reason_in_use`).",
    ),
)
class CancellationReasonDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CancellationReason.objects.all()
    serializer_class = serializers.CancellationReasonSerializer

    def perform_update(self, serializer):
        serializer.instance = services.cancellation_reason_update(
            reason=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        try:
            services.cancellation_reason_delete(reason=instance)
        except ProtectedError as error:  # pragma: no cover - the service checks first
            raise ApplicationError(
                "Claims give this reason.", code=ErrorCode.CANCELLATION_REASON_IN_USE
            ) from error


@extend_schema_view(get=extend_schema(summary="List cancellation reasons (sales channel)"))
class ChannelCancellationReasonListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    queryset = CancellationReason.objects.order_by("order", "pk")
    serializer_class = serializers.CancellationReasonSerializer
    filterset_class = CancellationReasonFilter


@extend_schema_view(get=extend_schema(summary="Read a cancellation reason (sales channel)"))
class ChannelCancellationReasonDetailView(
    ChannelScopedMixin, OmnitronView, generics.RetrieveAPIView
):
    queryset = CancellationReason.objects.all()
    serializer_class = serializers.CancellationReasonSerializer


class AddClaimOnPost(OperatorModelPermissions):
    """Cancelling an order's items opens claims: `claims.add_claim`."""

    def get_required_permissions(self, method, model_cls):
        return (
            ["claims.add_claim"]
            if method == "POST"
            else super().get_required_permissions(method, model_cls)
        )


CANCEL_EXAMPLE = OpenApiExample(
    "Cancel 2 units of one line",
    value={
        "order": 1,
        "is_all": False,
        "cancel_items": [{"order_item": 7, "quantity": 2}],
        "reasons": {"7": 3},
        "is_cargo_refund": False,
        "forced_refund_amount": None,
        "refund_invoice_number": "",
        "ibans": {},
        "holder_names": {},
    },
    request_only=True,
)


# the cancel's reads by key (SQL compiled once): the path's order, the body's reasons
_ORDER = PreparedLookup(lambda pk: Order.objects.filter(pk=pk), int)
_REASONS = PreparedQuery(lambda pks: CancellationReason.objects.filter(pk__in=pks), list)


@extend_schema_view(
    post=extend_schema(
        summary="Cancel or return an order's items",
        description=(
            "Items not yet shipped are cancelled at once (their units go back to stock); "
            "delivered items get a return claim (`refund`, open). One call never mixes them "
            "(400 `claim_mixed_types`). An item cancelled already is a 409 "
            "`claim_item_cancelled`."
        ),
        request=serializers.OrderCancelSerializer,
        responses={200: serializers.ClaimSerializer(many=True)},
        examples=[CANCEL_EXAMPLE],
    )
)
class OrderCancelView(OmnitronView, generics.GenericAPIView):
    queryset = Order.objects.all()
    serializer_class = serializers.OrderCancelSerializer
    permission_classes = [IsOperator, AddClaimOnPost]
    cancelled_by = CancelledBy.OPERATOR

    def get_object(self) -> Order:
        """`get_object()` of the path's order, its SQL compiled once: 404 when there is none,
        then the object permissions."""
        order = _ORDER.get(self.kwargs["pk"])
        if order is None:
            raise Http404("No Order matches the given query.")  # as get_object_or_404 words it
        self.check_object_permissions(self.request, order)
        return order

    def post(self, request, *args, **kwargs):
        order = self.get_object()
        data = serializers.plain_cancel_body(request.data)
        if data is None:  # anything but a plain body: the serializer reads it
            body = self.get_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        if data.get("order") not in (None, order.pk):
            raise ApplicationError(
                f"The body names order {data['order']}, the path {order.pk}.",
                code=ErrorCode.CLAIM_ITEM_UNKNOWN,
            )
        if data["is_all"]:
            rows = [
                {"order_item": pk, "quantity": None}
                for pk in OrderItem.objects.filter(order=order)
                .exclude(status=OrderItemStatus.CANCELLED)
                .values_list("pk", flat=True)
                .order_by("pk")
            ]
        else:
            rows = data["cancel_items"]
        reason_ids = set(data["reasons"].values())
        reasons = (
            {reason.pk: reason for reason in _REASONS.all(sorted(reason_ids))} if reason_ids else {}
        )
        unknown = sorted(reason_ids - set(reasons))
        if unknown:
            raise ApplicationError(
                f"Unknown cancellation reason {unknown[0]}.",
                code=ErrorCode.CANCELLATION_REASON_UNKNOWN,
            )
        lines = [
            services.ClaimLine(
                order_item=OrderItem(pk=row["order_item"]),
                reason=reasons.get(data["reasons"].get(row["order_item"])),
                quantity=row["quantity"],
                iban=data["ibans"].get(row["order_item"], ""),
                holder_name=data["holder_names"].get(row["order_item"], ""),
                description=data["descriptions"].get(row["order_item"], ""),
            )
            for row in rows
        ]
        claims = services.order_cancel(
            order=order, lines=lines, user=request.user, cancelled_by=self.cancelled_by,
            is_cargo_refund=data["is_cargo_refund"],
            forced_refund_amount=data.get("forced_refund_amount"),
            refund_invoice_number=data["refund_invoice_number"],
        )  # fmt: skip
        # the claims as written, with their history: nothing to read again
        claims = sorted(claims, key=lambda claim: claim.pk)
        return Response(serializers.ClaimSerializer(claims, many=True).data, status=200)


@extend_schema_view(
    post=extend_schema(
        summary="Cancel or return an order's items (sales channel)",
        description=(
            "channel_app's form of the cancel call (`cancel_items`, `order`, `reasons`, "
            "`forced_refund_amount`); the same rules and answers as "
            "`/api/i1/orders/{id}/cancel/`. The order must be the channel's (404 otherwise); "
            "the claims are the customer's (`cancelled_by` 1)."
        ),
        request=serializers.OrderCancelSerializer,
        responses={200: serializers.ClaimSerializer(many=True)},
        examples=[CANCEL_EXAMPLE],
    )
)
class ChannelOrderCancelView(ChannelScopedMixin, OrderCancelView):
    cancelled_by = CancelledBy.CUSTOMER

    def get_queryset(self):
        return Order.objects.filter(channel_id=self.channel_id)

    def get_object(self) -> Order:
        return generics.GenericAPIView.get_object(self)  # the channel's orders only


# --- cancellation requests ------------------------------------------------------------------


class RequestStatusFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.filter(serializers.request_status_filter(value))


class CancellationRequestFilter(FilterSet):
    status = RequestStatusFilter(
        choices=[(value, value) for value in serializers.REQUEST_STATUSES],
        help_text="Omnitron's request status (a claim open or waiting is `waiting_approval`).",
    )
    cancellation_type = django_filters.ChoiceFilter(
        field_name="type", choices=CancellationType.choices
    )
    claim_status = django_filters.ChoiceFilter(field_name="status", choices=ClaimStatus.choices)
    escalated = BooleanFilter(help_text="Returns the seller rejected: the operator's queue.")

    class Meta:
        model = Claim
        fields = {
            "order": ["exact"],
            "order_item": ["exact"],
            "cancelled_by": ["exact"],
            "remote_id": ["exact"],
            "created_at": ["gte", "lte"],
            "updated_at": ["gte", "lte"],
        }


def _requests(queryset=None):
    return (queryset if queryset is not None else Claim.objects.all()).prefetch_related("history")


class _RequestRead:
    serializer_class = serializers.CancellationRequestSerializer
    filterset_class = CancellationRequestFilter


def _create_request(request, data: dict, *, channel_id: int | None) -> Response:
    items = OrderItem.objects.filter(pk=data["order_item"])
    if channel_id is not None:
        items = items.filter(order__channel_id=channel_id)
    item = items.first()
    if item is None:
        raise ApplicationError(
            f"Unknown order item {data['order_item']}.", code=ErrorCode.CLAIM_ITEM_UNKNOWN
        )
    if channel_id is not None:
        known = selectors.channel_request(order_item_id=item.pk, remote_id=data["remote_id"])
        if known is not None:  # the marketplace's request again: the one made the first time
            body = serializers.CancellationRequestSerializer(_requests().get(pk=known.pk)).data
            return Response(body, status=200)
    reason = CancellationReason.objects.filter(pk=data["reason"]).first()
    if reason is None:
        raise ApplicationError(
            f"Unknown cancellation reason {data['reason']}.",
            code=ErrorCode.CANCELLATION_REASON_UNKNOWN,
        )
    claim = services.cancellation_request_create(
        order_item=item, cancellation_type=data["cancellation_type"], reason=reason,
        quantity=data["quantity"], description=data["description"], iban=data["iban"],
        holder_name=data["holder_name"], remote_id=data["remote_id"], user=request.user,
    )  # fmt: skip
    body = serializers.CancellationRequestSerializer(_requests().get(pk=claim.pk)).data
    return Response(body, status=201)


REQUEST_HELP = (
    "A cancellation request is a claim (one table, one state machine): `status` is Omnitron's "
    "(`waiting_approval`, `confirmed`, `approved`, `rejected`, `completed`), `claim_status` "
    "the claim's. A cancellation request makes the line 50 until it is decided; approving it "
    "cancels the units at once."
)


@extend_schema_view(
    get=extend_schema(summary="List cancellation requests (claims)", description=REQUEST_HELP),
    post=extend_schema(
        summary="Request a cancellation or a return",
        description=REQUEST_HELP,
        request=serializers.CancellationRequestCreateSerializer,
        responses={201: serializers.CancellationRequestSerializer},
    ),
)
class CancellationRequestListView(_RequestRead, OmnitronView, generics.ListCreateAPIView):
    def get_queryset(self):
        return _requests().order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        body = serializers.CancellationRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _create_request(request, body.validated_data, channel_id=None)


@extend_schema_view(get=extend_schema(summary="Read a cancellation request (claim)"))
class CancellationRequestDetailView(_RequestRead, OmnitronView, generics.RetrieveAPIView):
    def get_queryset(self):
        return _requests()


class ChangeClaim(OperatorModelPermissions):
    """A decision on a claim: `claims.change_claim`."""

    def get_required_permissions(self, method, model_cls):
        if method == "POST":
            return ["claims.change_claim"]
        return super().get_required_permissions(method, model_cls)


ACTION_SUMMARIES = {
    "approve": "Approve a claim (a cancellation request cancels its units at once)",
    "reject": "Reject a claim (final when the operator rejects)",
    "receive": "The approved return's units arrived back",
    "complete": "The return's refund is done",
}


class CancellationRequestActionView(OmnitronView, generics.GenericAPIView):
    """`POST …/cancellation_requests/{id}/<action>/`: the operator's decision; a move the
    claim may not make is a 409 `claim_status_transition` and changes nothing."""

    queryset = Claim.objects.all()
    permission_classes = [IsOperator, ChangeClaim]
    action_name = ""

    def get_serializer_class(self):
        if self.action_name == "reject":
            return serializers.ClaimRejectSerializer
        return serializers.ClaimDecisionSerializer

    def post(self, request, *args, **kwargs):
        claim = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        user, by = request.user, CancelledBy.OPERATOR
        if self.action_name == "approve":
            claim = services.claim_approve(claim=claim, user=user, by=by, reason=reason)
        elif self.action_name == "reject":
            claim = services.claim_reject(claim=claim, user=user, by=by, reason=reason)
        elif self.action_name == "receive":
            claim = services.claim_receive(claim=claim, user=user, by=by)
        else:
            claim = services.claim_complete(claim=claim, user=user, by=by)
        body = serializers.CancellationRequestSerializer(_requests().get(pk=claim.pk)).data
        return Response(body)


def request_action_view(name: str):
    view = type(
        f"CancellationRequest{name.title()}View",
        (CancellationRequestActionView,),
        {"action_name": name, "__doc__": CancellationRequestActionView.__doc__},
    )

    def post(self, request, *args, **kwargs):  # its own function: the schema is annotated on it
        return CancellationRequestActionView.post(self, request, *args, **kwargs)

    view.post = extend_schema(
        operation_id=f"cancellation_request_{name}",
        summary=ACTION_SUMMARIES[name],
        request=view().get_serializer_class(),
        responses={200: serializers.CancellationRequestSerializer},
    )(post)
    return view.as_view()


# --- under a sales channel --------------------------------------------------------------


class _ChannelRequests(_RequestRead, ChannelScopedMixin, OmnitronView):
    def get_queryset(self):
        return _requests(Claim.objects.filter(order__channel_id=self.channel_id))


@extend_schema_view(
    get=extend_schema(
        summary="List the channel's cancellation requests",
        description=REQUEST_HELP + " channel_app reads `?status=&cancellation_type=&limit=50`.",
    ),
    post=extend_schema(
        summary="A channel's cancellation or return request",
        description=(
            "channel_app's body: `order_item` (the channel's order item), `reason`, "
            "`remote_id`, `description`, `cancellation_type` (default `cancel`); 201 with the "
            "request (`id`, `pk`, `modified_date`, …). A `remote_id` the line already has a "
            "request under answers that request (200) and changes nothing."
        ),
        request=serializers.CancellationRequestCreateSerializer,
        responses={201: serializers.CancellationRequestSerializer},
    ),
)
class ChannelCancellationRequestListView(_ChannelRequests, generics.ListCreateAPIView):
    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        body = serializers.CancellationRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _create_request(request, body.validated_data, channel_id=self.channel.pk)


@extend_schema_view(get=extend_schema(summary="Read a cancellation request of the channel"))
class ChannelCancellationRequestDetailView(_ChannelRequests, generics.RetrieveAPIView):
    pass


@extend_schema_view(
    get=extend_schema(
        summary="The channel's cancellation requests changed since it last had them",
        description=(
            "The delta feed: requests whose integration action (content type "
            "`cancellationrequest`) succeeded with an older `version_date` than the request's "
            "`modified_date`; requests an open batch request holds are left out."
        ),
    )
)
class ChannelCancellationRequestUpdatesView(_ChannelRequests, generics.ListAPIView):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        rows = CancellationRequest.objects.filter(order__channel_id=self.channel_id)
        updated = channel_selectors.delta(
            rows, channel=self.channel_key, feed=channel_selectors.UPDATES
        )
        return _requests(Claim.objects.filter(pk__in=updated.values("pk"))).order_by("pk")
