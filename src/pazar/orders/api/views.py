"""Omnitron: cargo companies, orders and order items, for operators (`/api/v1/…`, `/api/i1/…`)
and for sales channels (`/api/v1/channel/{cid}/…`). Writes go through `pazar.orders.services`.
"""

from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import OmnitronView
from pazar.channels import selectors as channel_selectors
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.core.errors import ApplicationError
from pazar.orders import services
from pazar.orders.api import filters, serializers
from pazar.orders.models import CargoCompany, Order, OrderItem

CARGO_EXAMPLE = OpenApiExample(
    "Cargo company",
    value={"name": "Yurtiçi Kargo", "erp_code": "YK", "shipping_company": "yurtici"},
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List cargo companies"),
    post=extend_schema(summary="Create a cargo company", examples=[CARGO_EXAMPLE]),
)
class CargoCompanyListView(OmnitronView, generics.ListCreateAPIView):
    """Shipping companies; sales channels match them on `erp_code`."""

    queryset = CargoCompany.objects.order_by("pk")
    serializer_class = serializers.CargoCompanySerializer
    filterset_class = filters.CargoCompanyFilter

    def perform_create(self, serializer):
        serializer.instance = services.cargo_company_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a cargo company"),
    put=extend_schema(summary="Replace a cargo company"),
    patch=extend_schema(summary="Change a cargo company"),
    delete=extend_schema(
        summary="Delete a cargo company",
        description="One orders or packages name is kept (400 `cargo_company_in_use`).",
    ),
)
class CargoCompanyDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CargoCompany.objects.all()
    serializer_class = serializers.CargoCompanySerializer

    def perform_update(self, serializer):
        serializer.instance = services.cargo_company_update(
            cargo_company=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.cargo_company_delete(cargo_company=instance)


@extend_schema_view(get=extend_schema(summary="List cargo companies (sales channel)"))
class ChannelCargoListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    queryset = CargoCompany.objects.order_by("pk")
    serializer_class = serializers.CargoCompanySerializer
    filterset_class = filters.CargoCompanyFilter


@extend_schema_view(get=extend_schema(summary="Read a cargo company (sales channel)"))
class ChannelCargoDetailView(ChannelScopedMixin, OmnitronView, generics.RetrieveAPIView):
    queryset = CargoCompany.objects.all()
    serializer_class = serializers.CargoCompanySerializer


# --- orders and order items -------------------------------------------------------------------


def _orders():
    return Order.objects.annotate(
        oversold_count=Count("items", filter=Q(items__oversold=True))
    ).order_by("-pk")


class ChangeOnPost(OperatorModelPermissions):
    """An action posted on an item changes it: `change_<model>`."""

    perms_map = {
        **OperatorModelPermissions.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


@extend_schema_view(
    get=extend_schema(
        summary="List orders",
        description="Filters: `number`, `status`, `is_send`, `cancel_status`, `channel`, "
        "`date_placed__gte/__lte`, `created_date`/`modified_date` with lookups, `oversold`.",
    )
)
class OrderListView(OmnitronView, generics.ListAPIView):
    queryset = _orders()
    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilter


@extend_schema_view(get=extend_schema(operation_id="i1_orders_list", summary="List orders (i1)"))
class IntegrationOrderListView(OrderListView):
    pass


@extend_schema_view(
    get=extend_schema(summary="Read an order"),
    patch=extend_schema(
        summary="Mark an order as sent to the ERP",
        request=serializers.OrderSendSerializer,
        description="Only `is_send` changes.",
    ),
)
class OrderDetailView(OmnitronView, generics.RetrieveUpdateAPIView):
    queryset = _orders()
    serializer_class = serializers.OrderSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def update(self, request, *args, **kwargs):
        order = self.get_object()
        change = serializers.OrderSendSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        services.order_update(order=order, is_send=change.validated_data["is_send"])
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(
    get=extend_schema(
        summary="Read an order by its number",
        description="`order_number/{number}/`: the order of that number (the newest, when "
        "several channels have one; `?channel=` picks a channel's).",
    )
)
class OrderByNumberView(OmnitronView, generics.RetrieveAPIView):
    serializer_class = serializers.OrderSerializer
    lookup_field = "number"

    def get_queryset(self):
        orders = _orders()
        channel = self.request.query_params.get("channel")
        if channel is not None:
            if not channel.isdigit():
                raise ApplicationError("A channel is its id.", code="invalid")
            orders = orders.filter(channel_id=int(channel))
        return orders

    def get_object(self):
        order = self.filter_queryset(self.get_queryset()).filter(number=self.kwargs["number"])
        found = order.first()
        if found is None:
            raise Http404
        self.check_object_permissions(self.request, found)
        return found


@extend_schema_view(
    get=extend_schema(
        summary="List order items",
        description="Filters: `order`, `order__in`, `product`, `status`, `oversold`, "
        "`cancel_status`, dates, `sort`.",
    )
)
class OrderItemListView(OmnitronView, generics.ListAPIView):
    queryset = OrderItem.objects.order_by("pk")
    serializer_class = serializers.OrderItemSerializer
    filterset_class = filters.OrderItemFilter


@extend_schema_view(
    get=extend_schema(summary="Read an order item"),
    patch=extend_schema(
        summary="Change an order item",
        request=serializers.OrderItemChangeSerializer,
        description="`extra_field` is merged into the stored one; `attributes` and "
        "`attributes_kwargs` are replaced; a status move not allowed from the item's status is "
        "a 409 `order_item_status_transition`.",
    ),
)
class OrderItemDetailView(OmnitronView, generics.RetrieveUpdateAPIView):
    queryset = OrderItem.objects.all()
    serializer_class = serializers.OrderItemSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        change = serializers.OrderItemChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        item = services.order_item_update(
            order_item=item, data=change.validated_data, user=request.user
        )
        return Response(self.get_serializer(item).data)


@extend_schema(
    summary="Change several order items",
    request=serializers.BulkStatusSerializer,
    responses=serializers.OrderItemSerializer(many=True),
    description='`{"orderitem_set": [{"id", "status", "invoice_number", "invoice_date", '
    '"e_archive_url", "tracking_number", "shipping_company"}]}`, applied all or none.',
)
class OrderItemBulkStatusView(OmnitronView, generics.GenericAPIView):
    queryset = OrderItem.objects.all()
    serializer_class = serializers.BulkStatusSerializer
    http_method_names = ["patch", "options"]

    def patch(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [
            {"order_item": row.pop("id"), **row} for row in body.validated_data["orderitem_set"]
        ]
        items = services.order_items_bulk_update(rows=rows, user=request.user)
        return Response(serializers.OrderItemSerializer(items, many=True).data)


@extend_schema(
    summary="Store an order item's ERP id",
    request=serializers.MappingCreateSerializer,
    responses={201: serializers.OrderItemMappingSerializer},
    description="With `update_stock` (default true) the item's sold units are no longer "
    "counted as unreported in its stock.",
)
class OrderItemMappingView(OmnitronView, generics.GenericAPIView):
    queryset = OrderItem.objects.all()
    serializer_class = serializers.MappingCreateSerializer
    permission_classes = [IsOperator, ChangeOnPost]

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        mapping = services.order_item_mapping_create(order_item=item, **body.validated_data)
        return Response(serializers.OrderItemMappingSerializer(mapping).data, status=201)


# --- the sales channel's orders -----------------------------------------------------------------


@extend_schema_view(get=extend_schema(summary="Find a channel's orders (`?number=`)"))
class ChannelOrderListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilter

    def get_queryset(self):
        return _orders().filter(channel_id=self.channel_id)


@extend_schema_view(
    get=extend_schema(
        summary="The channel's orders changed since it was last told",
        description="Orders the channel has an integration action for (sent once, or imported "
        "through a batch request) whose `modified_date` is after the action's `version_date`; "
        "an order held by an open batch request is left out. A change to any of an order's "
        "items moves the order's `modified_date`. Oldest first; `limit`, and every filter of "
        "`orders/`.",
    )
)
class ChannelOrderUpdatesView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilter

    def get_queryset(self):
        orders = _orders().filter(channel_id=self.channel_id).order_by("pk")
        if getattr(self, "swagger_fake_view", False):  # the schema, no channel
            return orders.none()
        return channel_selectors.delta(
            orders, channel=self.channel_key, feed=channel_selectors.UPDATES
        )


@extend_schema_view(get=extend_schema(summary="Read a channel's order"))
class ChannelOrderDetailView(ChannelScopedMixin, OmnitronView, generics.RetrieveAPIView):
    serializer_class = serializers.OrderSerializer

    def get_queryset(self):
        return _orders().filter(channel_id=self.channel_id)


@extend_schema_view(get=extend_schema(summary="List a channel's order items (`?order=`)"))
class ChannelOrderItemListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    serializer_class = serializers.OrderItemSerializer
    filterset_class = filters.OrderItemFilter

    def get_queryset(self):
        return OrderItem.objects.filter(order__channel_id=self.channel_id).order_by("pk")


@extend_schema_view(
    get=extend_schema(summary="Read a channel's order item"),
    patch=extend_schema(
        summary="Change a channel's order item", request=serializers.OrderItemChangeSerializer
    ),
)
class ChannelOrderItemDetailView(ChannelScopedMixin, OrderItemDetailView):
    def get_queryset(self):
        return OrderItem.objects.filter(order__channel_id=self.channel_id)


# --- shipping information -------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(
        summary="Say which cargo company ships a channel's order",
        description="channel_app's `CreateOrderShippingInfo`. Sets the order's cargo company "
        "(its `modified_date` moves when it changes) and answers 201 with `order`, "
        "`order_number`, `shipping_company` (the cargo company's pk) and `is_send` as given: "
        "Pazar sends nothing to carriers itself. 400 `order_unknown` (not an order of the "
        "channel), `order_number_mismatch`, `cargo_company_unknown`.",
        request=serializers.OrderShippingInfoSerializer,
        responses={201: serializers.OrderShippingInfoSerializer},
    )
)
class ChannelOrderShippingInfoView(ChannelScopedMixin, OmnitronView, generics.GenericAPIView):
    serializer_class = serializers.OrderShippingInfoSerializer
    permission_classes = [IsOperator, ChangeOnPost]
    queryset = Order.objects.all()
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        body = serializers.OrderShippingInfoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        order, cargo = services.order_shipping_info_set(
            channel_id=self.channel.pk,
            order_id=data["order"],
            order_number=data.get("order_number"),
            shipping_company=data["shipping_company"],
        )
        answer = {
            "order": order.pk,
            "order_number": order.number,
            "shipping_company": cargo.pk,
            "is_send": data["is_send"],
        }
        return Response(answer, status=201)


# --- payments: Pazar keeps none -------------------------------------------------------------

PAYMENT_RESOURCES = (
    "payment_options", "transactions", "order_transactions", "pay_on_delivery_transactions",
    "loyalty_transactions", "funds_transfer_transactions", "bex_transactions",
)  # fmt: skip


class PaymentRecordListView(OmnitronView, generics.ListAPIView):
    """omnisdk's payment reads. Pazar takes no payments (an order carries its amounts, a
    marketplace collects them), so each list is an empty page and each `{pk}/` a 404 `not_found`
    for the object, never for the route."""

    serializer_class = serializers.PaymentRecordSerializer
    queryset = Order.objects.none()  # the permission an operator needs: view_order
    http_method_names = ["get", "head", "options"]


class PaymentRecordDetailView(PaymentRecordListView, generics.RetrieveAPIView):
    get = generics.RetrieveAPIView.get
    action = "retrieve"  # one object, for the OpenAPI document too


def payment_views(resource: str) -> tuple:
    summary = resource.replace("_", " ")
    help_text = "Pazar takes no payments: always an empty page, and `{pk}/` a 404."
    listed = extend_schema_view(
        get=extend_schema(summary=f"List {summary} (none)", description=help_text)
    )(type(f"{resource.title().replace('_', '')}ListView", (PaymentRecordListView,), {}))
    detail = extend_schema_view(
        get=extend_schema(summary=f"Read one of the {summary} (none)", description=help_text)
    )(type(f"{resource.title().replace('_', '')}DetailView", (PaymentRecordDetailView,), {}))
    return listed, detail
