"""How each site recognises its callers (`Authorization` header)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed

from pazar.accounts.selectors import (
    is_seller_user,
    seller_token_for_key,
    token_holder_may_act,
    user_token_for_key,
)


class UserTokenAuthentication(TokenAuthentication):
    """Omnitron and Whippy Ware: `Authorization: Token <key>` from the login endpoints."""

    def authenticate_credentials(self, key):
        """DRF's check, with the user's seller membership read in the token's query (a
        seller's user is refused here, and `IsOperator` asks again)."""
        token = user_token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if is_seller_user(token.user):
            raise AuthenticationFailed(_("Invalid token."))
        return token.user, token


class SellerTokenAuthentication(BaseAuthentication):
    """Seller Center: `Token <key>`, `Bearer <key>` or the bare key of a seller access token."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        try:
            header = get_authorization_header(request).decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token header.") from None
        parts = header.split()
        if not parts:
            return None
        if len(parts) == 2 and parts[0].lower() in self.keywords:
            key = parts[1]
        elif len(parts) == 1 and parts[0].lower() not in self.keywords:
            key = parts[0]
        else:
            raise AuthenticationFailed("Invalid token header. Send Authorization: Token <key>.")
        token = seller_token_for_key(key)
        if token is None or not token_holder_may_act(token):
            raise AuthenticationFailed("Invalid token.")
        if not token.is_active:
            raise AuthenticationFailed("Token has expired or was revoked.", code="token_expired")
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
