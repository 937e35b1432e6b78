"""CLM001: the caller's claims in the Seller Center (seller-center.md §7), and a return's
decision (`POST /api/i2/claims/{id}/approve/`, `…/reject/`, orders.md §5 [inferred]).

Reads the claims app and acts through its services; another seller's claims are never listed
and are a 404. Counted in the `claims` rate-limit family.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import django_filters
from django.shortcuts import get_object_or_404
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
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
from pazar.claims import selectors, services, transitions
from pazar.claims.models import CancelledBy, Claim, ClaimStatus
from pazar.core.dates import utc_text
from pazar.fulfilment import selectors as fulfilment_selectors
from pazar.marketplace.api.idempotent import idempotent_response
from pazar.marketplace.api.packages import CHANGE_FEED_PARAMETERS, feed_limit

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


def _translations(stored) -> dict[str, str]:
    """`{"tr-tr": {"subject": "…"}}` as CLM001 shows it: `{"tr-tr": "…"}`."""
    return {
        code: entry["subject"]
        for code, entry in (stored or {}).items()
        if isinstance(entry, dict) and isinstance(entry.get("subject"), str)
    }


SELLER_ACTIONS = ("approve", "reject")


@functools.cache
def _seller_actions(claim_type: str, status: str, escalated: bool, received: bool) -> tuple:
    """The actions a seller may take on a claim (`transitions.claim_allowed_actions` reads no
    more of it than these)."""
    claim = SimpleNamespace(
        type=claim_type, status=status, escalated=escalated, received_at=received or None
    )
    return tuple(
        action
        for action in transitions.claim_allowed_actions(claim, operator=False)
        if action in SELLER_ACTIONS
    )


def _history_entry(event: tuple, seller_id) -> dict:
    """A claim event (a `selectors.claim_rows` tuple) as `packages.history_entry` shows one."""
    _claim_id, from_status, to_status, user_id, username, user_seller_id, reason, at = event
    if user_id is None:
        by, user = "system", None
    elif user_seller_id is not None and user_seller_id == seller_id:
        by, user = "seller", username
    else:
        by, user = "marketplace", None  # the operator's users are not named to sellers
    return {
        "from_status": from_status,
        "to_status": to_status,
        "by": by,
        "user": user,
        "reason": reason,
        "created_at": utc_text(at),
    }


def claim_objects(rows: list[dict]) -> list[dict]:
    """CLM001's objects of claims read by `selectors.claim_rows`."""
    reasons: dict[int, dict] = {}  # a reason's object, made once per response
    objects = []
    for row in rows:
        reason_id = row["reason_id"]
        reason = reasons.get(reason_id)
        if reason is None and reason_id is not None:
            reason = reasons[reason_id] = {
                "id": str(row["reason__uuid"]),
                "subject": row["reason__subject"],
                "translations": _translations(row["reason__translations"]),
            }
        received_at = row["received_at"]
        seller_id = row["seller_id"]
        objects.append(
            {
                "id": str(row["uuid"]),
                "package_item": row["package_item"],
                "product": row["order_item__product__sku"],
                "reason": reason,  # None: the seller's own rejection, its reason is `detail`
                "detail": row["description"],
                "return_code": row["return_code"],
                "return_tracking_number": row["return_tracking_number"],
                "return_tracking_url": row["return_tracking_url"],
                "type": row["type"],
                "status": row["status"],
                "cancelled_by": row["cancelled_by"],
                "quantity": row["quantity"],
                "refund_amount": float(row["refund_amount"]),
                "escalated": row["escalated"],
                "received_at": utc_text(received_at) if received_at else None,
                "restocked": row["restocked"],
                "allowed_actions": list(
                    _seller_actions(
                        row["type"], row["status"], row["escalated"], received_at is not None
                    )
                ),
                "history": [_history_entry(event, seller_id) for event in row["history"]],
                "created_at": utc_text(row["created_at"]),
                "updated_at": utc_text(row["updated_at"]),
            }
        )
    return objects


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


class KeptFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the filter set it made on the view (`view.filterset`)
    for what else reads the request's filters."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class ClaimsView(SellerCenterView, generics.ListAPIView):
    """CLM001: the caller's claims, newest first."""

    throttle_family = "claims"
    filterset_class = ClaimFilter
    filter_backends = [KeptFilterBackend]
    filterset = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        return selectors.seller_claim_list(seller=self.request.auth.seller)

    def _kept_count(self):
        """The count from the seller's kept claim counts when only `type`, `cancelled_by`,
        `status`, `status__in` and the dates of one of `created_at` and `updated_at` chose the
        rows (or nothing did): CLM001's exact count without counting more than the claims of
        the range's first and last hour. Any other parameter, or dates of both fields, counts
        the claims themselves."""
        chosen = set(self.request.query_params) - {"page", "limit"}
        if not chosen <= KEPT_COUNT_FILTERS:
            return None
        # The filter set that chose the claims: valid, or its 400 answered before the count.
        values = {
            name: value
            for name, value in self.filterset.form.cleaned_data.items()
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
        self.paginator.rows_of = selectors.claim_rows
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(claim_objects(page))


class ClaimApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, default="")


class ClaimRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _claim_row(seller, pk) -> dict:
    [row] = selectors.claim_rows(selectors.seller_claim_list(seller=seller).filter(pk=pk))
    return claim_objects([row])[0]


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
