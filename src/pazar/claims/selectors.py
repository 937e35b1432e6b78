"""Reads of claims that more than one view needs."""

from django.db.models import QuerySet

from pazar.claims.models import Claim


def seller_claims(*, seller) -> QuerySet[Claim]:
    """The seller's claims with what CLM001 shows of each, newest first."""
    return (
        Claim.objects.filter(seller=seller)
        .select_related("reason", "order_item__product")
        .prefetch_related("history__user__seller_membership")
        .order_by("-created_at", "-pk")
    )
