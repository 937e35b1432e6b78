"""Sellers' packages and orders in the Seller Center (seller-center.md §6, §8; orders.md §5).

PKG101 lists the caller's packages, PKG102 a package's items, ORD201 an order with the caller's
packages; the actions (ready, ship, invoice, split, reject-items) call the fulfilment app's
services; the change feed and the callbacks' delivery log read the fulfilment and callbacks
apps. Another seller's package, item or order is a 404 like one that does not exist.
"""

from __future__ import annotations

import base64
import binascii

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView
from pazar.api.filters import DATE_LOOKUPS, FilterSet, IntegerInFilter
from pazar.callbacks.selectors import seller_callbacks
from pazar.callbacks.services import callbacks_replay
from pazar.claims import services as claims_services
from pazar.core.dates import utc_text
from pazar.fulfilment import selectors as fulfilment_selectors
from pazar.fulfilment import services as fulfilment
from pazar.fulfilment import transitions
from pazar.fulfilment.models import InvoiceDataType, Package, PackageItem, PackageStatus
from pazar.languages.negotiation import request_language
from pazar.marketplace.api.idempotent import idempotent_response
from pazar.orders.models import CargoCompany, Order, OrderItemStatus

FEED_MAX_LIMIT = 1000


# --- objects ------------------------------------------------------------------------------


def _name(place) -> str | None:
    return None if place is None else place.name


def address(value) -> dict:
    return {
        "email": value.email,
        "phone_number": value.phone_number,
        "first_name": value.first_name,
        "last_name": value.last_name,
        "country": value.country.name,
        "country_code": value.country.code,
        "city": value.city.name,
        "township": _name(value.township),
        "district": _name(value.district),
        "line": value.line,
        "postcode": value.postcode,
        "company_name": value.company_name,
        "tax_office": value.tax_office,
        "tax_no": value.tax_no,
        "e_bill_taxpayer": value.e_bill_taxpayer,
        "identity_number": value.identity_number,
        "notes": value.notes,
    }


def _who(event, seller_id) -> tuple[str, str | None]:
    user = event.user
    if user is None:
        return "system", None
    membership = getattr(user, "seller_membership", None)
    if membership is not None and membership.seller_id == seller_id:
        return "seller", user.get_username()
    return "marketplace", None  # the operator's users are not named to sellers


def history_entry(event, seller_id) -> dict:
    by, user = _who(event, seller_id)
    return {
        "from_status": event.from_status,
        "to_status": event.to_status,
        "by": by,
        "user": user,
        "reason": event.reason,
        "created_at": utc_text(event.created_at),
    }


def item_object(item: PackageItem, package_status: int) -> dict:
    order_item = item.order_item
    cancelled = order_item.status == OrderItemStatus.CANCELLED
    return {
        "id": item.number,
        "product": order_item.product.sku,
        "name": order_item.product.name,
        "quantity": order_item.quantity,
        "price": float(order_item.price),
        "price_currency": order_item.price_currency,
        "discount_amount": float(order_item.discount_amount),
        "tax_rate": float(order_item.tax_rate),
        "status": PackageStatus.CANCELLED if cancelled else package_status,
        "order_item_status": order_item.status,
        "oversold": order_item.oversold,
        "created_at": utc_text(item.created_at),
        "updated_at": utc_text(item.updated_at),
    }


def package_object(package: Package, language: str) -> dict:
    """A package as PKG101, ORD201 and the actions show it."""
    order = package.order
    items = list(package.items.all())
    live = [i for i in items if i.order_item.status != OrderItemStatus.CANCELLED]
    with translation.override(language):
        status_label = str(PackageStatus(package.status).label)
    company = package.shipping_company
    return {
        "id": str(package.uuid),
        "number": package.number,
        "order_number": order.number,
        "status": package.status,
        "status_label": status_label,
        "shipping_address": address(order.shipping_address),
        "billing_address": address(order.billing_address),
        "shipping_company": None
        if company is None
        else {"erp_code": company.erp_code, "name": company.name},
        "waybill_number": package.waybill_number,
        "tracking_number": package.tracking_number,
        "tracking_url": package.tracking_url,
        "shipment_date": utc_text(package.shipment_date),
        "delivery_date": utc_text(package.delivery_date),
        "invoice_number": package.invoice_number or None,
        "invoice_date": utc_text(package.invoice_date),
        "invoice_data": package.invoice_data,
        "invoice_data_type": package.invoice_data_type,
        "currency": order.currency,
        "item_count": len(live),
        "split_from": package.split_from.number if package.split_from_id else None,
        "allowed_actions": transitions.allowed_actions(
            package.status,
            invoiced=bool(package.invoice_number),
            live_units=sum(i.order_item.quantity for i in live),
        ),
        "history": [history_entry(event, package.seller_id) for event in package.history.all()],
        "created_at": utc_text(package.created_at),
        "updated_at": utc_text(package.updated_at),
    }


def _packages(seller):
    return fulfilment_selectors.with_history_and_items(
        fulfilment_selectors.seller_packages(seller=seller).select_related("split_from")
    )


def _language(request) -> str:
    return request_language(request)


# --- PKG101, PKG102, ORD201 ---------------------------------------------------------------


@extend_schema_field({"type": "integer", "enum": [int(v) for v in PackageStatus.values]})
class PackageStatusInFilter(IntegerInFilter):
    """`status__in=2,3`: package statuses, comma-separated."""


class PackageFilter(FilterSet):
    number = django_filters.CharFilter()
    order__number = django_filters.CharFilter(field_name="order__number")
    waybill_number = django_filters.CharFilter()
    status = django_filters.TypedChoiceFilter(choices=PackageStatus.choices, coerce=int)
    status__in = PackageStatusInFilter(field_name="status", lookup_expr="in")

    class Meta:
        model = Package
        fields = {"created_at": DATE_LOOKUPS, "updated_at": DATE_LOOKUPS}

    def is_valid(self):
        valid = super().is_valid()
        unknown = [
            v for v in (self.form.cleaned_data.get("status__in") or []) if v not in PackageStatus
        ] if valid else []  # fmt: skip
        if unknown:
            self.form.add_error("status__in", f"{unknown[0]} is not a package status (1 to 6).")
            return False
        return valid


class PackageItemFilter(FilterSet):
    class Meta:
        model = PackageItem
        fields = {"created_at": DATE_LOOKUPS, "updated_at": DATE_LOOKUPS}


PACKAGE_SCHEMA = inline_serializer(
    "SellerPackage",
    {
        "number": serializers.CharField(),
        "order_number": serializers.CharField(),
        "status": serializers.IntegerField(),
        "allowed_actions": serializers.ListField(child=serializers.CharField()),
    },
)


class PackagesView(SellerCenterView, generics.ListAPIView):
    """PKG101: the caller's packages, newest first."""

    throttle_family = "packages"
    filterset_class = PackageFilter

    def get_queryset(self):
        """The packages the filters choose, as bare rows: the page is chosen from the package
        table and its indexes alone, and only its packages are read with what they show."""
        if getattr(self, "swagger_fake_view", False):
            return Package.objects.none()
        return fulfilment_selectors.seller_package_rows(seller=self.request.auth.seller)

    def _kept_count(self, queryset):
        """The count from the seller's per-status counts when only the status chose the rows
        (`status`, `status__in` or nothing): PKG101's count without counting the packages."""
        chosen = {name for name in self.request.query_params if name not in ("page", "limit")}
        if not chosen <= {"status", "status__in"} or len(chosen) > 1:
            return None
        seller = self.request.auth.seller
        if not chosen:
            return lambda _queryset: fulfilment_selectors.package_count(seller=seller)
        # The filter has checked the values already (else a 400 before this point);
        # `status__in=` is the empty list, which chooses nothing: every package is counted.
        text = self.request.query_params[next(iter(chosen))]
        statuses = [int(v) for v in text.split(",") if v] or None
        return lambda _queryset: fulfilment_selectors.package_count(
            seller=seller, statuses=statuses
        )

    @extend_schema(operation_id="PKG101_packages_list", responses={200: PACKAGE_SCHEMA})
    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        self.paginator.count_of = self._kept_count(queryset)
        ids = self.paginate_queryset(queryset.values_list("pk", flat=True))
        shown = _packages(request.auth.seller).order_by().in_bulk(ids)
        language = _language(request)
        return self.get_paginated_response([package_object(shown[pk], language) for pk in ids])


def seller_package(request, number: str) -> Package:
    return get_object_or_404(Package, seller=request.auth.seller, number=number)


class PackageItemsView(SellerCenterView, generics.ListAPIView):
    """PKG102: the items of one of the caller's packages (`<package number>-<n>`)."""

    throttle_family = "packages"
    filterset_class = PackageItemFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PackageItem.objects.none()
        self.package = seller_package(self.request, self.kwargs["number"])
        return fulfilment_selectors.package_items(package=self.package).order_by("pk")

    @extend_schema(operation_id="PKG102_package_items_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([item_object(i, self.package.status) for i in page])


class OrderView(SellerCenterView, APIView):
    """ORD201: an order's shipping amount and the caller's packages of it."""

    throttle_family = "orders"

    @extend_schema(operation_id="ORD201_order_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, number):
        seller = request.auth.seller
        packages = list(_packages(seller).filter(order__number=number).order_by("pk"))
        if not packages:
            raise NotFound()
        order: Order = packages[0].order
        packages = [p for p in packages if p.order_id == order.pk]
        language = _language(request)
        return Response(
            {
                "number": order.number,
                "currency": order.currency,
                "shipping_amount": float(order.shipping_amount),
                "installment_interest_amount": float(order.installment_interest_amount),
                "packages": [package_object(p, language) for p in packages],
            }
        )


# --- actions ------------------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "description": "The cargo company's `erp_code` or id.",
    }
)
class CargoCompanyField(serializers.Field):
    """A cargo company by its `erp_code` (as channels name it) or its id."""

    default_error_messages = {"unknown": "No active cargo company {value!r}."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("unknown", value=data)
        found = CargoCompany.objects.filter(is_active=True).filter(
            Q(erp_code=str(data)) | Q(pk=data) if isinstance(data, int) else Q(erp_code=data)
        )
        company = found.first()
        if company is None:
            self.fail("unknown", value=data)
        return company

    def to_representation(self, value):
        return value.erp_code


class NoBodySerializer(serializers.Serializer):
    pass


class ShipSerializer(serializers.Serializer):
    shipping_company = CargoCompanyField()
    tracking_number = serializers.CharField(max_length=256)
    tracking_url = serializers.URLField(max_length=512, required=False, default="")
    waybill_number = serializers.CharField(
        max_length=128, required=False, default="", allow_blank=True
    )


class InvoiceSerializer(serializers.Serializer):
    invoice_number = serializers.CharField(max_length=64)
    invoice_date = serializers.DateTimeField()
    invoice_data = serializers.CharField(required=False, allow_null=True, default=None)
    invoice_data_type = serializers.ChoiceField(
        choices=InvoiceDataType.choices, required=False, allow_null=True, default=None
    )

    def validate(self, attrs):
        data, kind = attrs.get("invoice_data"), attrs.get("invoice_data_type")
        if (data is None) != (kind is None):
            raise serializers.ValidationError(
                {"invoice_data_type": ["Send invoice_data and invoice_data_type together."]}
            )
        if kind == InvoiceDataType.URL:
            serializers.URLField().run_validation(data)
        if kind == InvoiceDataType.BASE64:
            try:
                base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise serializers.ValidationError({"invoice_data": ["Not valid Base64."]}) from None
        return attrs


class ChosenItemSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=32, help_text="`<package number>-<n>`")
    quantity = serializers.IntegerField(min_value=1, required=False)


class SplitSerializer(serializers.Serializer):
    items = ChosenItemSerializer(many=True, min_length=1, max_length=1000)


class RejectSerializer(SplitSerializer):
    reason = serializers.CharField(max_length=200)


def _run(package, request, action: str, data: dict):
    user = request.user
    if action == "ready":
        return status.HTTP_200_OK, fulfilment.package_ready(package=package, user=user)
    if action == "ship":
        return status.HTTP_200_OK, fulfilment.package_ship(package=package, user=user, **data)
    if action == "invoice":
        return status.HTTP_200_OK, fulfilment.package_invoice(package=package, user=user, **data)
    if action == "split":
        return status.HTTP_201_CREATED, fulfilment.package_split(
            package=package, items=data["items"], user=user
        )
    # Rejected items are cancel claims by the seller (the claims app cancels them through the
    # package), so they show in CLM001 and the operator's claims like any cancellation.
    return status.HTTP_200_OK, claims_services.package_items_reject(
        package=package, items=data["items"], reason=data["reason"], user=user
    )[0]


ACTION_SERIALIZERS = {
    "ready": NoBodySerializer,
    "ship": ShipSerializer,
    "invoice": InvoiceSerializer,
    "split": SplitSerializer,
    "reject-items": RejectSerializer,
}


class PackageActionView(SellerCenterView, APIView):
    """`POST /api/i2/packages/{number}/{action}/`: one of the package's actions (orders.md §5).

    An `Idempotency-Key` header makes a retry answer the same without acting again."""

    throttle_family = "packages"
    action_name = ""

    def get_serializer_class(self):
        return ACTION_SERIALIZERS[self.action_name]

    def post(self, request, number):
        package = seller_package(request, number)
        body = self.get_serializer_class()(data=request.data)
        body.is_valid(raise_exception=True)
        language = _language(request)

        def act():
            code, result = _run(package, request, self.action_name, body.validated_data)
            fresh = _packages(request.auth.seller).get(pk=result.pk)
            return code, package_object(fresh, language)

        return idempotent_response(request, seller=request.auth.seller, action=act)


def action_view(name: str):
    summary = {
        "ready": "Mark the package ready to ship (2 → 3)",
        "ship": "Ship the package with a tracking number (2/3 → 4)",
        "invoice": "Attach the package's invoice",
        "split": "Move chosen items to a new package (201: the new package)",
        "reject-items": "Reject (cancel) chosen items; their units go back to stock",
    }[name]
    view = type(
        f"Package{name.title().replace('-', '')}View",
        (PackageActionView,),
        {"action_name": name},
    )

    def post(self, request, number):  # a function of its own: the schema is annotated on it
        return PackageActionView.post(self, request, number)

    view.post = extend_schema(
        operation_id=f"package_{name.replace('-', '_')}",
        summary=summary,
        request=ACTION_SERIALIZERS[name],
        responses={200: PACKAGE_SCHEMA, 201: PACKAGE_SCHEMA},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )(post)
    return view.as_view()


# --- the change feed and the callbacks' log -----------------------------------------------


# The query of a change feed (packages, claims): a cursor and a page size.
CHANGE_FEED_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        {"type": "string", "pattern": "^[0-9]{0,18}$"},
        description="`next_cursor` of the last page; empty, 0 or none from the start",
    ),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1},
        description="At most 1000; 100 by default.",
    ),
]


def feed_limit(request, default: int = 100) -> int:
    raw = request.query_params.get("limit", str(default))
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise serializers.ValidationError({"limit": ["A whole number of at least 1."]})
    return min(int(raw), FEED_MAX_LIMIT)


class PackageChangesView(SellerCenterView, APIView):
    """The caller's package changes after a cursor, oldest first (pazar.fulfilment.selectors.
    package_changes): poll with the last `next_cursor`; no change is missed or needs an overlap."""

    throttle_family = "packages"

    @extend_schema(
        operation_id="package_changes",
        parameters=CHANGE_FEED_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        after = fulfilment_selectors.parse_cursor(request.query_params.get("cursor"))
        limit = feed_limit(request)
        changes, last = fulfilment_selectors.package_changes(
            seller=request.auth.seller, after=after, limit=limit
        )
        return Response(
            {
                "results": [
                    {
                        "cursor": str(change.id),
                        "kind": change.kind,
                        "package": change.package,
                        "order_number": change.order_number,
                        "status": change.status,
                        "created_at": utc_text(change.created_at),
                    }
                    for change in changes
                ],
                "next_cursor": str(last),
                "has_more": len(changes) == limit,
            }
        )


def _callback_after(request, name: str, raw) -> int:
    raw = "0" if raw in (None, "") else str(raw)
    if not (raw.isascii() and raw.isdigit()):
        raise serializers.ValidationError({name: ["A cursor is a `cursor` of the log, or 0."]})
    return int(raw)


class CallbacksView(SellerCenterView, APIView):
    """The delivery log of the caller's callback events, oldest first, after a cursor."""

    throttle_family = "callbacks"

    @extend_schema(operation_id="callbacks_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        after = _callback_after(request, "cursor", request.query_params.get("cursor"))
        rows = seller_callbacks(seller=request.auth.seller, after=after, limit=feed_limit(request))
        return Response(
            {
                "results": [
                    {
                        "cursor": str(row.pk),
                        "event_id": str(row.event_id),
                        "event": row.event,
                        "status": row.status,
                        "attempts": row.attempts,
                        "last_response_status": row.last_response_status,
                        "last_error": row.last_error,
                        "next_attempt_at": utc_text(row.next_attempt_at),
                        "delivered_at": utc_text(row.delivered_at),
                        "created_at": utc_text(row.created_at),
                        "body": row.body,
                    }
                    for row in rows
                ],
                "next_cursor": str(rows[-1].pk) if rows else str(after),
            }
        )


class CallbacksReplaySerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Send again every event after this one (0: all).")


class CallbacksReplayView(SellerCenterView, APIView):
    """Send again the caller's events after a cursor (at most 1000 at a time)."""

    throttle_family = "callbacks"

    @extend_schema(operation_id="callbacks_replay", request=CallbacksReplaySerializer,
                   responses={202: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request):
        body = CallbacksReplaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        after = _callback_after(request, "cursor", body.validated_data["cursor"])
        if not request.auth.seller.callback_url:
            raise serializers.ValidationError(
                {"non_field_errors": ["Set a callback URL first."]}, code="no_callback_url"
            )
        ids = callbacks_replay(seller=request.auth.seller, after=after)
        return Response(
            {"replayed": len(ids), "last_cursor": str(ids[-1]) if ids else str(after)},
            status=status.HTTP_202_ACCEPTED,
        )
