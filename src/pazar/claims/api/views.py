"""Omnitron: cancellation reasons (`/api/v1/cancellation_reasons/`, and read under a sales
channel) and an order's cancel (`/api/i1/orders/{id}/cancel/`). Writes go through
`pazar.claims.services`."""

from django.db.models import ProtectedError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import OmnitronView
from pazar.api.filters import FilterSet
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.claims import services
from pazar.claims.api import serializers
from pazar.claims.error_codes import ErrorCode
from pazar.claims.models import CancellationReason, Claim
from pazar.core.errors import ApplicationError
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

    def post(self, request, *args, **kwargs):
        order = self.get_object()
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
        reasons = CancellationReason.objects.in_bulk(reason_ids)
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
            order=order, lines=lines, user=request.user,
            is_cargo_refund=data["is_cargo_refund"],
            forced_refund_amount=data.get("forced_refund_amount"),
            refund_invoice_number=data["refund_invoice_number"],
        )  # fmt: skip
        claims = Claim.objects.filter(pk__in=[c.pk for c in claims]).prefetch_related("history")
        return Response(
            serializers.ClaimSerializer(claims.order_by("pk"), many=True).data, status=200
        )
