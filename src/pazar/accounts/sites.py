"""The caller each site serves, as base classes for its views.

Mix one in first: `class LanguageList(SellerCenterView, generics.ListAPIView)`.
"""

from pazar.accounts.authentication import SellerTokenAuthentication, UserTokenAuthentication
from pazar.accounts.permissions import IsOperator, IsSellerUser, OperatorModelPermissions


class OmnitronView:
    """Operators with a user token; every model read and write needs its Django permission."""

    authentication_classes = [UserTokenAuthentication]
    permission_classes = [IsOperator, OperatorModelPermissions]
    throttle_family: str | None = None


class WhippyWareView(OmnitronView):
    """Whippy Ware authenticates the same operators as Omnitron (seed 001)."""


class SellerCenterView:
    """Seller users with a seller access token; everything is scoped to `request.auth.seller`."""

    authentication_classes = [SellerTokenAuthentication]
    permission_classes = [IsSellerUser]
    throttle_family: str | None = None
