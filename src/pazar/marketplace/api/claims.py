"""CLM001: the caller's claims in the Seller Center (seller-center.md §7), and a return's
decision (`POST /api/i2/claims/{id}/approve/`, `…/reject/`, orders.md §5 [inferred]).

Reads the claims app and acts through its services; another seller's claims are never listed
and are a 404. Counted in the `claims` rate-limit family.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView
from pazar.api.filters import FilterSet
from pazar.api.pagination import keys_first
from pazar.claims import selectors, services, transitions
from pazar.claims.models import CancelledBy, Claim, ClaimStatus
from pazar.core.dates import utc_text
from pazar.fulfilment import selectors as fulfilment_selectors
from pazar.fulfilment.models import PackageItem
from pazar.marketplace.api.idempotent import idempotent_response
from pazar.marketplace.api.packages import CHANGE_FEED_PARAMETERS, feed_limit, history_entry

CLAIM_DATE_LOOKUPS = ["exact", "gte", "lte"]  # documented: no __gt/__lt
# The filters whose count CLM001 answers from the claims' kept counts (claims.ClaimCount, and
# claims.ClaimDateCount for the dates of one of the two fields).
KEPT_COUNT_FILTERS = {
    "type", "cancelled_by", "status", "status__in",
    *(f"{field}__{lookup}".removesuffix("__exact") for field in selectors.DATE_FIELDS
      for lookup in CLAIM_DATE_LOOKUPS),
}  # fmt: skip


@extend_schema_field({"type": "string", "enum": ClaimStatus.values})
class StatusInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """`status__in=open,waiting`."""


class ClaimFilter(FilterSet):
    type = django_filters.CharFilter()  # cancel, refund; kept open (seller-center.md §7)
    cancelled_by = django_filters.TypedChoiceFilter(choices=CancelledBy.choices, coerce=int)
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    status__in = StatusInFilter(field_name="status", lookup_expr="in")

    class Meta:
        model = Claim
        fields = {"created_at": CLAIM_DATE_LOOKUPS, "updated_at": CLAIM_DATE_LOOKUPS}

    def is_valid(self):
        valid = super().is_valid()
        values = (self.form.cleaned_data.get("status__in") or []) if valid else []
        unknown = [value for value in values if value not in ClaimStatus.values]
        if unknown:
            self.form.add_error(
                "status__in",
                f"{unknown[0]!r} is not a claim status ({', '.join(ClaimStatus.values)}).",
            )
            return False
        return valid


def _translations(reason) -> dict[str, str]:
    """`{"tr-tr": {"subject": "…"}}` as CLM001 shows it: `{"tr-tr": "…"}`."""
    stored = reason.translations or {}
    return {
        code: entry["subject"]
        for code, entry in stored.items()
        if isinstance(entry, dict) and isinstance(entry.get("subject"), str)
    }


SELLER_ACTIONS = ("approve", "reject")
# What `claim_object` reads: the claim, its reason and its product's SKU (not the order item's
# and product's other columns).
CLAIM_OBJECT_FIELDS = [
    *(field.name for field in Claim._meta.concrete_fields),
    "reason__uuid", "reason__subject", "reason__translations", "order_item__product__sku",
]  # fmt: skip


def _seller_claims(seller):
    return selectors.seller_claims(seller=seller).only(*CLAIM_OBJECT_FIELDS)


def claim_object(claim: Claim, package_item: str | None) -> dict:
    return {
        "id": str(claim.uuid),
        "package_item": package_item,
        "product": claim.order_item.product.sku,
        "reason": (
            {
                "id": str(claim.reason.uuid),
                "subject": claim.reason.subject,
                "translations": _translations(claim.reason),
            }
            if claim.reason is not None
            else None  # the seller's own rejection: its reason is `detail`
        ),
        "detail": claim.description,
        "return_code": claim.return_code,
        "return_tracking_number": claim.return_tracking_number,
        "return_tracking_url": claim.return_tracking_url,
        "type": claim.type,
        "status": claim.status,
        "cancelled_by": claim.cancelled_by,
        "quantity": claim.quantity,
        "refund_amount": float(claim.refund_amount),
        "escalated": claim.escalated,
        "received_at": utc_text(claim.received_at) if claim.received_at else None,
        "restocked": claim.restocked,
        "allowed_actions": [
            action
            for action in transitions.claim_allowed_actions(claim, operator=False)
            if action in SELLER_ACTIONS
        ],
        "history": [history_entry(event, claim.seller_id) for event in claim.history.all()],
        "created_at": utc_text(claim.created_at),
        "updated_at": utc_text(claim.updated_at),
    }


CLAIM_SCHEMA = inline_serializer(
    "SellerClaim",
    {
        "id": serializers.UUIDField(),
        "package_item": serializers.CharField(allow_null=True),
        "product": serializers.CharField(),
        "reason": inline_serializer(
            "SellerClaimReason",
            {
                "id": serializers.UUIDField(),
                "subject": serializers.CharField(),
                "translations": serializers.DictField(child=serializers.CharField()),
            },
            allow_null=True,
        ),
        "detail": serializers.CharField(),
        "return_code": serializers.CharField(),
        "return_tracking_number": serializers.CharField(),
        "return_tracking_url": serializers.CharField(),
        "type": serializers.CharField(),
        "status": serializers.CharField(),
        "cancelled_by": serializers.IntegerField(),
        "quantity": serializers.IntegerField(),
        "refund_amount": serializers.FloatField(),
        "escalated": serializers.BooleanField(),
        "received_at": serializers.DateTimeField(allow_null=True),
        "restocked": serializers.BooleanField(),
        "allowed_actions": serializers.ListField(child=serializers.CharField()),
        "created_at": serializers.DateTimeField(),
        "updated_at": serializers.DateTimeField(),
    },
)


class ClaimsView(SellerCenterView, generics.ListAPIView):
    """CLM001: the caller's claims, newest first."""

    throttle_family = "claims"
    filterset_class = ClaimFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        return _seller_claims(self.request.auth.seller)

    def _kept_count(self):
        """The count from the seller's kept claim counts when only `type`, `cancelled_by`,
        `status`, `status__in` and the dates of one of `created_at` and `updated_at` chose the
        rows (or nothing did): CLM001's exact count without counting more than the claims of
        the range's first and last hour. Any other parameter, or dates of both fields, counts
        the claims themselves."""
        chosen = set(self.request.query_params) - {"page", "limit"}
        if not chosen <= KEPT_COUNT_FILTERS:
            return None
        filterset = self.filterset_class(self.request.query_params, queryset=Claim.objects.none())
        if not filterset.is_valid():  # a 400 answers before the count is asked
            return None
        values = {
            name: value
            for name, value in filterset.form.cleaned_data.items()
            if value not in EMPTY_VALUES  # what django-filter does not filter on
        }
        arguments = selectors.claim_count_arguments(values)
        if arguments is None:
            return None
        seller = self.request.auth.seller
        return lambda _queryset: selectors.claim_count(seller=seller, **arguments)

    @extend_schema(operation_id="CLM001_claims_list", responses={200: CLAIM_SCHEMA})
    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        self.paginator.count_of = self._kept_count()
        self.paginator.rows_of = keys_first
        page = self.paginate_queryset(queryset)
        numbers = dict(
            PackageItem.objects.filter(order_item__in=[c.order_item_id for c in page]).values_list(
                "order_item", "number"
            )
        )
        return self.get_paginated_response(
            [claim_object(claim, numbers.get(claim.order_item_id)) for claim in page]
        )


class ClaimApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, default="")


class ClaimRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _claim_row(seller, pk) -> dict:
    claim = _seller_claims(seller).get(pk=pk)
    item = PackageItem.objects.filter(order_item=claim.order_item_id).first()
    return claim_object(claim, item.number if item else None)


class ClaimActionView(SellerCenterView, APIView):
    """A seller approves or rejects a return while it is open or waiting; a rejected return
    goes to the operator. Any other move is a 409 `claim_status_transition`. An
    `Idempotency-Key` header makes a retry answer the same without acting again."""

    throttle_family = "claims"
    action_name = ""

    def get_serializer_class(self):
        return ClaimApproveSerializer if self.action_name == "approve" else ClaimRejectSerializer

    def post(self, request, claim_id):
        seller = request.auth.seller
        claim = get_object_or_404(Claim, seller=seller, uuid=claim_id)
        body = self.get_serializer_class()(data=request.data)
        body.is_valid(raise_exception=True)
        act_on = services.claim_approve if self.action_name == "approve" else services.claim_reject

        def act():
            done = act_on(
                claim=claim, user=request.user, by=CancelledBy.SELLER,
                reason=body.validated_data["reason"],
            )  # fmt: skip
            return 200, _claim_row(seller, done.pk)

        return idempotent_response(request, seller=seller, action=act)


def claim_action_view(name: str):
    summary = {"approve": "Approve a return", "reject": "Reject a return (with a reason)"}[name]
    view = type(
        f"Claim{name.title()}View",
        (ClaimActionView,),
        {"action_name": name, "__doc__": ClaimActionView.__doc__},
    )

    def post(self, request, claim_id):  # a function of its own: the schema is annotated on it
        return ClaimActionView.post(self, request, claim_id)

    view.post = extend_schema(
        operation_id=f"claim_{name}",
        summary=summary,
        request=ClaimApproveSerializer if name == "approve" else ClaimRejectSerializer,
        responses={200: CLAIM_SCHEMA},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )(post)
    return view.as_view()


class ClaimChangesView(SellerCenterView, APIView):
    """The caller's claim changes after a cursor, oldest first (`created`, `status_changed`,
    `updated`): poll with the last `next_cursor`, as for packages; nothing is missed."""

    throttle_family = "claims"

    @extend_schema(
        operation_id="claim_changes",
        parameters=CHANGE_FEED_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        after = fulfilment_selectors.parse_cursor(request.query_params.get("cursor"))
        limit = feed_limit(request)
        changes, last = selectors.claim_changes(
            seller=request.auth.seller, after=after, limit=limit
        )
        return Response(
            {
                "results": [
                    {
                        "cursor": str(change.id),
                        "kind": change.kind,
                        "claim": str(change.claim.uuid),
                        "type": change.claim.type,
                        "order_number": change.claim.order.number,
                        "status": change.status,
                        "created_at": utc_text(change.created_at),
                    }
                    for change in changes
                ],
                "next_cursor": str(last),
                "has_more": len(changes) == limit,
            }
        )
