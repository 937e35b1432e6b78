"""CLM001: the caller's claims in the Seller Center (seller-center.md §7).

Reads the claims app; another seller's claims are never listed. Counted in the `claims`
rate-limit family.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers

from pazar.accounts.sites import SellerCenterView
from pazar.api.filters import FilterSet
from pazar.claims import selectors, transitions
from pazar.claims.models import CancelledBy, Claim, ClaimStatus
from pazar.core.dates import utc_text
from pazar.fulfilment.models import PackageItem
from pazar.marketplace.api.packages import history_entry

CLAIM_DATE_LOOKUPS = ["exact", "gte", "lte"]  # documented: no __gt/__lt


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


def claim_object(claim: Claim, package_item: str | None) -> dict:
    return {
        "id": str(claim.uuid),
        "package_item": package_item,
        "product": claim.order_item.product.sku,
        "reason": {
            "id": str(claim.reason.uuid),
            "subject": claim.reason.subject,
            "translations": _translations(claim.reason),
        },
        "detail": claim.description,
        "return_code": claim.return_code,
        "return_tracking_number": claim.return_tracking_number,
        "return_tracking_url": claim.return_tracking_url,
        "type": claim.type,
        "status": claim.status,
        "cancelled_by": claim.cancelled_by,
        "quantity": claim.quantity,
        "refund_amount": float(claim.refund_amount),
        "allowed_actions": [
            action
            for action in transitions.allowed_actions(claim.type, claim.status)
            if action in ("approve", "reject") and claim.status != ClaimStatus.REJECTED
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
        "type": serializers.CharField(),
        "status": serializers.CharField(),
    },
)


class ClaimsView(SellerCenterView, generics.ListAPIView):
    """CLM001: the caller's claims, newest first."""

    throttle_family = "claims"
    filterset_class = ClaimFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        return selectors.seller_claims(seller=self.request.auth.seller)

    @extend_schema(operation_id="CLM001_claims_list", responses={200: CLAIM_SCHEMA})
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        numbers = dict(
            PackageItem.objects.filter(order_item__in=[c.order_item_id for c in page]).values_list(
                "order_item", "number"
            )
        )
        return self.get_paginated_response(
            [claim_object(claim, numbers.get(claim.order_item_id)) for claim in page]
        )
