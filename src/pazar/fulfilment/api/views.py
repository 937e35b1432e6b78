"""`POST /api/v1/channel/{cid}/create_orders/`: a sales channel places an order.

The body is checked whole by the orders app's intake serializer; `pazar.fulfilment.services.
order_place` stores the order, takes its stock and makes its sellers' packages.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from pazar.accounts.sites import OmnitronView
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.channels.models import Channel
from pazar.fulfilment import services
from pazar.orders.api.intake import (
    ITEM_DEFAULTS,
    ORDER_DEFAULTS,
    CreateOrdersSerializer,
    stored_values,
)
from pazar.orders.api.serializers import OrderSerializer
from pazar.orders.models import Order

EXAMPLE = OpenApiExample(
    "A one-item order",
    request_only=True,
    value={
        "order": {
            "number": "MP-1001", "status": "400", "channel": 1, "customer": 1,
            "shipping_address": 1, "billing_address": 1, "currency": "TRY", "amount": "249.90",
            "shipping_amount": 0, "extra_field": {"id": "remote-1001"},
            "date_placed": "2025-01-02T10:00:00Z",
        },
        "order_item": [
            {"product": 12, "price_currency": "TRY", "price": "249.90", "tax_rate": 20,
             "extra_field": {"id": "remote-line-1"}},
        ],
    },
)  # fmt: skip


@extend_schema(
    summary="Create an order (sales channel)",
    request=CreateOrdersSerializer,
    responses={201: OrderSerializer, 200: OrderSerializer},
    examples=[EXAMPLE],
    description="Exactly one order per (channel, number): a repeated import answers 200 with "
    "the stored order and changes nothing. Each item takes its units (`quantity`, default 1) "
    "from its stock list (default: the channel catalog's); an item that finds too few is "
    "stored with `oversold` true. Up to 1000 items.",
)
class CreateOrdersView(ChannelScopedMixin, OmnitronView, generics.GenericAPIView):
    queryset = Order.objects.all()  # permissions: orders.add_order
    serializer_class = CreateOrdersSerializer

    @cached_property
    def channel(self) -> Channel:
        """The channel with its catalog's lists (the items' default lists), in one read."""
        return get_object_or_404(
            Channel.objects.select_related("catalog__price_list", "catalog__stock_list"),
            pk=self.kwargs["cid"],
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "channel": self.channel}

    def post(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = stored_values(body.validated_data["order"], ORDER_DEFAULTS)
        order.pop("channel", None)
        items = [stored_values(item, ITEM_DEFAULTS) for item in body.validated_data["order_item"]]
        placed, created = services.order_place(
            channel=self.channel, order=order, items=items, user=request.user
        )
        if created:
            # The row as stored (its JSON as the database keeps it), with the count of its
            # items found without stock that intake just made.
            oversold = placed.oversold_count
            placed = Order.objects.get(pk=placed.pk)
            placed.oversold_count = oversold
        else:
            placed = (
                Order.objects.annotate(
                    oversold_count=Count("items", filter=Q(items__oversold=True))
                )
                .filter(pk=placed.pk)
                .first()
            )
        return Response(
            OrderSerializer(placed, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
