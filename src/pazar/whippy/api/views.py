"""Whippy Ware: providers, locations, rules, stock lists, stocks, reservations (whippy-ware.md).

Writes go through `pazar.whippy.services`; each marks the figures it may change, which the
background worker recomputes and writes to Omnitron's product stocks.
"""

from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.response import Response

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import WhippyWareView
from pazar.api.bulk import validate_bulk_list
from pazar.api.bulk_create import one_or_many
from pazar.whippy import selectors, services
from pazar.whippy.api import filters, serializers
from pazar.whippy.api.rows import parse_stock_row
from pazar.whippy.models import Provider, StockList, StockListRule, StockLocation


def _example(name: str, value, **kwargs) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True, **kwargs)


def _crud_schema(noun: str, example: OpenApiExample, delete: str = ""):
    """Summaries of the list and detail views of one kind of row."""
    return (
        extend_schema_view(
            get=extend_schema(summary=f"List {noun}s"),
            post=extend_schema(summary=f"Create a {noun}", examples=[example]),
        ),
        extend_schema_view(
            get=extend_schema(summary=f"Read a {noun}"),
            put=extend_schema(summary=f"Replace a {noun}"),
            patch=extend_schema(summary=f"Change a {noun}"),
            delete=extend_schema(summary=f"Delete a {noun}", description=delete),
        ),
    )


# --- providers --------------------------------------------------------------------------------

PROVIDER_SCHEMA = _crud_schema(
    "provider",
    _example(
        "Provider",
        {"name": "Central Warehouse", "code": "central_wh", "should_add_reservations": True},
    ),
    delete="Its locations and their stocks are deleted with it.",
)


@PROVIDER_SCHEMA[0]
class ProviderListView(WhippyWareView, generics.ListCreateAPIView):
    queryset = Provider.objects.order_by("pk")
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilter

    def perform_create(self, serializer):
        serializer.instance = services.provider_create(**serializer.validated_data)


@PROVIDER_SCHEMA[1]
class ProviderDetailView(WhippyWareView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Provider.objects.all()
    serializer_class = serializers.ProviderSerializer

    def perform_update(self, serializer):
        serializer.instance = services.provider_update(
            provider=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.provider_delete(provider=instance)


# --- stock locations --------------------------------------------------------------------------

LOCATION_SCHEMA = _crud_schema(
    "stock location",
    _example("Stock location", {"name": "110", "code": "110", "provider": 1}),
    delete="Its stocks are deleted with it.",
)


@LOCATION_SCHEMA[0]
class StockLocationListView(WhippyWareView, generics.ListCreateAPIView):
    queryset = StockLocation.objects.order_by("pk")
    serializer_class = serializers.StockLocationSerializer
    filterset_class = filters.StockLocationFilter

    def perform_create(self, serializer):
        serializer.instance = services.stock_location_create(**serializer.validated_data)


@LOCATION_SCHEMA[1]
class StockLocationDetailView(WhippyWareView, generics.RetrieveUpdateDestroyAPIView):
    queryset = StockLocation.objects.all()
    serializer_class = serializers.StockLocationSerializer

    def perform_update(self, serializer):
        serializer.instance = services.stock_location_update(
            location=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.stock_location_delete(location=instance)


# --- stock list rules -------------------------------------------------------------------------

RULE_SCHEMA = _crud_schema(
    "stock list rule",
    _example(
        "Location sum",
        {
            "name": "Eshop Stock List Rule",
            "rule_type": "location_sum",
            "rule": {
                "blocks": [
                    {"providers": ["central_wh"], "locations": ["110", "112"], "safety_stock": 2},
                    {
                        "providers": ["shop_provider"],
                        "locations": "*",
                        "safety_stock_per_location": 1,
                    },
                ],
                "global_safety_stock": 0,
                "subtract_reservations": True,
                "min": 0,
            },
        },
    ),
    delete="A rule that stock lists use cannot be deleted (`rule_in_use`).",
)


@RULE_SCHEMA[0]
class StockListRuleListView(WhippyWareView, generics.ListCreateAPIView):
    """Rules; a `location_sum` rule is checked and names the problem when it is invalid."""

    queryset = StockListRule.objects.order_by("pk")
    serializer_class = serializers.StockListRuleSerializer
    filterset_class = filters.StockListRuleFilter

    def perform_create(self, serializer):
        serializer.instance = services.stock_list_rule_create(**serializer.validated_data)


@RULE_SCHEMA[1]
class StockListRuleDetailView(WhippyWareView, generics.RetrieveUpdateDestroyAPIView):
    queryset = StockListRule.objects.all()
    serializer_class = serializers.StockListRuleSerializer

    def perform_update(self, serializer):
        serializer.instance = services.stock_list_rule_update(
            stock_list_rule=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.stock_list_rule_delete(stock_list_rule=instance)


# --- stock lists ------------------------------------------------------------------------------

STOCK_LIST_SCHEMA = _crud_schema(
    "stock list",
    _example(
        "Stock list",
        {
            "code": "alpha_stock_list",
            "name": "Alpha Stock List",
            "remote_id": 1,
            "stock_list_rule": 1,
        },
    ),
    delete="Omnitron's product stocks keep the figures last written to them.",
)


@STOCK_LIST_SCHEMA[0]
class StockListListView(WhippyWareView, generics.ListCreateAPIView):
    """Stock lists: an Omnitron stock list (`remote_id`) filled by a rule's figures."""

    queryset = StockList.objects.order_by("pk")
    serializer_class = serializers.StockListSerializer
    filterset_class = filters.StockListFilter

    def perform_create(self, serializer):
        serializer.instance = services.stock_list_create(**serializer.validated_data)


@STOCK_LIST_SCHEMA[1]
class StockListDetailView(WhippyWareView, generics.RetrieveUpdateDestroyAPIView):
    queryset = StockList.objects.all()
    serializer_class = serializers.StockListSerializer

    def perform_update(self, serializer):
        serializer.instance = services.stock_list_update(
            stock_list=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.stock_list_delete(stock_list=instance)


# --- stocks -----------------------------------------------------------------------------------

STOCK_ROW = {"sku": "555AB1300", "provider": "shop_provider", "location": "110", "stock": 5}
BULK_RESULT = {
    "created": 1,
    "updated": 1,
    "failed": 1,
    "results": [
        {"index": 0, "status": "created", "id": 2},
        {"index": 1, "status": "updated", "id": 1},
        {"index": 2, "status": "failed", "errors": {"provider": ['Unknown provider "nope".']}},
    ],
}


@extend_schema_view(
    get=extend_schema(
        summary="List stocks",
        description="`?sku=` answers the SKU's stock at every location (`available_stock` is "
        "stock − reserved). `provider` and `location` filter by code.",
    ),
)
class StockListView(WhippyWareView, generics.ListCreateAPIView):
    queryset = selectors.stock_list()
    serializer_class = serializers.StockSerializer
    filterset_class = filters.StockFilter

    @extend_schema(
        summary="Store stocks (one object, or a list of up to 1000)",
        description="A (sku, provider, location) that exists is updated. One object: 201 with "
        "the new row (200 when it existed), or 400 with its errors. A list: every row is tried; a row with an unknown "
        "provider or location (or any other error) fails alone and the rest are stored. The "
        "answer lists each row's outcome: 201 when at least one row was stored, else 400.",
        request=one_or_many(serializers.StockRowSerializer, "StockRows"),
        responses={
            200: serializers.StockSerializer,
            201: PolymorphicProxySerializer(
                component_name="StocksStored",
                serializers=[serializers.StockSerializer, serializers.StockBulkResultSerializer],
                resource_type_field_name=None,
            ),
        },
        examples=[
            _example("One row", STOCK_ROW),
            _example(
                "Several rows",
                [
                    STOCK_ROW,
                    {**STOCK_ROW, "location": "112", "stock": 3, "reserved_stock": 1},
                    {**STOCK_ROW, "provider": "nope"},
                ],
            ),
            OpenApiExample(
                "Rows stored", value=BULK_RESULT, response_only=True, status_codes=["201"]
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        single = isinstance(request.data, dict)
        items = validate_bulk_list(request.data, allow_single=True)
        parsed, results = [], {}
        for index, item in enumerate(items):
            data, errors = parse_stock_row(item)
            if errors:
                results[index] = {"index": index, "status": "failed", "errors": errors}
            else:
                parsed.append((index, data))
        stored = services.stocks_upsert(rows=[data for _, data in parsed])
        for (index, _), outcome in zip(parsed, stored, strict=True):
            detail = (
                {"errors": outcome.errors} if outcome.status == "failed" else {"id": outcome.id}
            )
            results[index] = {"index": index, "status": outcome.status, **detail}
        ordered = [results[index] for index in range(len(items))]
        if single:
            return self._single(ordered[0])
        counts = {
            name: sum(r["status"] == name for r in ordered)
            for name in ("created", "updated", "failed")
        }
        code = (
            status.HTTP_400_BAD_REQUEST
            if counts["failed"] == len(ordered)
            else status.HTTP_201_CREATED
        )
        return Response({**counts, "results": ordered}, status=code)

    def _single(self, result: dict) -> Response:
        if result["status"] == "failed":
            return Response(result["errors"], status=status.HTTP_400_BAD_REQUEST)
        stock = selectors.stock_list().get(pk=result["id"])
        code = status.HTTP_201_CREATED if result["status"] == "created" else status.HTTP_200_OK
        return Response(self.get_serializer(stock).data, status=code)


@extend_schema_view(
    get=extend_schema(summary="Read a stock"),
    put=extend_schema(
        summary="Replace a stock's quantities", description="Its SKU, provider and location stay."
    ),
    patch=extend_schema(
        summary="Change a stock's quantities", description="Its SKU, provider and location stay."
    ),
    delete=extend_schema(summary="Delete a stock"),
)
class StockDetailView(WhippyWareView, generics.RetrieveUpdateDestroyAPIView):
    queryset = selectors.stock_list()
    serializer_class = serializers.StockSerializer

    def perform_update(self, serializer):
        serializer.instance = services.stock_update(
            stock=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.stock_delete(stock=instance)


class ReservationPermissions(OperatorModelPermissions):
    """Reserving and releasing change the stock row (`whippy.change_stock`)."""

    perms_map = {
        **OperatorModelPermissions.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class StockReservationView(WhippyWareView, generics.GenericAPIView):
    permission_classes = [IsOperator, ReservationPermissions]
    queryset = selectors.stock_list()
    serializer_class = serializers.StockSerializer
    change = ""

    def post(self, request, pk):
        stock = self.get_object()
        body = serializers.QuantitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        write = services.stock_reserve if self.change == "reserve" else services.stock_release
        write(stock_id=stock.pk, **body.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class StockReserveView(StockReservationView):
    change = "reserve"

    @extend_schema(
        summary="Reserve stock at a location (inferred path, spec §8)",
        description="Holds `quantity` of the row's available stock for an open order. More than "
        "is available is a 400 `insufficient_stock`; nothing is reserved then.",
        request=serializers.QuantitySerializer,
        responses={200: serializers.StockSerializer},
        examples=[_example("Reserve", {"quantity": 1})],
    )
    def post(self, request, pk):
        return super().post(request, pk)


class StockReleaseView(StockReservationView):
    change = "release"

    @extend_schema(
        summary="Release reserved stock at a location (inferred path, spec §8)",
        description="Gives back `quantity` reserved earlier. More than is reserved is a 400 "
        "`release_exceeds_reserved`.",
        request=serializers.QuantitySerializer,
        responses={200: serializers.StockSerializer},
        examples=[_example("Release", {"quantity": 1})],
    )
    def post(self, request, pk):
        return super().post(request, pk)
