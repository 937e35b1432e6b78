from django.db.models import QuerySet

from pazar.accounts import tokens
from pazar.accounts.models import SellerAccessToken


def is_seller_user(user) -> bool:
    return hasattr(user, "seller_membership")


def seller_token_for_key(key: str) -> SellerAccessToken | None:
    """The token with this key (active or not), with its seller and user loaded, or None."""
    return (
        SellerAccessToken.objects.select_related("seller", "user")
        .filter(key_digest=tokens.digest(key))
        .first()
    )


def seller_access_token_list(*, seller) -> QuerySet[SellerAccessToken]:
    return SellerAccessToken.objects.filter(seller=seller, kind=SellerAccessToken.Kind.ACCESS)
