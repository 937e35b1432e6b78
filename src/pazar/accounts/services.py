"""Every write of the accounts domain: logins, tokens, sellers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pazar.accounts import tokens
from pazar.accounts.error_codes import ErrorCode
from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership
from pazar.accounts.selectors import is_seller_user
from pazar.api.errors import ApplicationError
from pazar.core.services import model_update

User = get_user_model()

INVALID_CREDENTIALS = "Unable to log in with provided credentials."


def _invalid_credentials() -> ValidationError:
    return ValidationError(
        {"non_field_errors": [INVALID_CREDENTIALS]}, code=ErrorCode.INVALID_CREDENTIALS
    )


@transaction.atomic
def operator_login(*, username: str, password: str) -> Token:
    """Omnitron / Whippy Ware login: the operator's token, created on first login.

    The same key is returned on every login (as Akinon clients expect: several processes of
    one integration share an account). Seller users cannot log in here.
    """
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active or is_seller_user(user):
        raise _invalid_credentials()
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def operator_token_expire(*, actor, username: str) -> None:
    """Delete a user's token so that it stops working at once (Whippy Ware expire-token).

    A user may expire their own token; expiring another's needs `authtoken.delete_token`.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(
            {"username": ["No user with this username."]}, code=ErrorCode.UNKNOWN_USER
        )
    if user.pk != actor.pk and not actor.has_perm("authtoken.delete_token"):
        raise ApplicationError(
            "You do not have permission to expire another user's token.",
            code=ErrorCode.NOT_ALLOWED,
            status_code=403,
        )
    Token.objects.filter(user=user).delete()


@transaction.atomic
def seller_create(
    *, name: str, username: str, password: str, email: str = "", validate: bool = True
) -> SellerMembership:
    """A seller and its first admin user.

    `validate=False` skips the password strength validators (the demo's `demo`/`demo`).
    """
    name, username, email = name.strip(), username.strip(), email.strip().lower()
    if not name:
        raise ValidationError({"name": ["This field may not be blank."]})
    if Seller.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": [f'A seller named "{name}" already exists.']}, code=ErrorCode.SELLER_EXISTS
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"username": [f'The username "{username}" is taken.']}, code=ErrorCode.USERNAME_TAKEN
        )
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [f'The email "{email}" is taken.']}, code=ErrorCode.EMAIL_TAKEN
        )
    user = User(username=username, email=email)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    seller = Seller.objects.create(name=name)
    return SellerMembership.objects.create(user=user, seller=seller, is_admin=True)


SELLER_FIELDS = ["name", "is_active", "callback_url", "callback_secret"]


@transaction.atomic
def seller_update(*, seller: Seller, data: dict) -> Seller:
    """The operator's changes to a seller. An inactive seller's tokens stop working."""
    if "name" in data:
        name = data["name"].strip()
        if not name:
            raise ValidationError({"name": ["This field may not be blank."]})
        if Seller.objects.filter(name__iexact=name).exclude(pk=seller.pk).exists():
            raise ValidationError(
                {"name": [f'A seller named "{name}" already exists.']},
                code=ErrorCode.SELLER_EXISTS,
            )
        data = {**data, "name": name}
    model_update(instance=seller, fields=SELLER_FIELDS, data=data)
    return seller


def _issue_seller_token(
    *, membership: SellerMembership, kind: str, note: str, valid_until: datetime
) -> tuple[SellerAccessToken, str]:
    key = tokens.new_key()
    token = SellerAccessToken.objects.create(
        seller=membership.seller,
        user=membership.user,
        kind=kind,
        note=note,
        key_prefix=key[:8],
        key_digest=tokens.digest(key),
        valid_until=valid_until,
    )
    return token, key


@transaction.atomic
def seller_session_obtain(*, email: str, password: str) -> tuple[SellerAccessToken, str]:
    """Seller Center `POST /api/i1/token/obtain/`: email + password → a session token."""
    user = User.objects.filter(email__iexact=email.strip(), seller_membership__isnull=False).first()
    if user is None or not user.check_password(password) or not user.is_active:
        raise _invalid_credentials()
    membership = user.seller_membership
    if not membership.seller.is_active:
        raise _invalid_credentials()
    valid_until = timezone.now() + timedelta(seconds=settings.PAZAR_SELLER_SESSION_SECONDS)
    return _issue_seller_token(
        membership=membership,
        kind=SellerAccessToken.Kind.SESSION,
        note="Login session",
        valid_until=valid_until,
    )


@transaction.atomic
def seller_access_token_create(
    *, actor, note: str, valid_until: datetime
) -> tuple[SellerAccessToken, str]:
    """A token a seller's admin creates for an integration; the key is returned only here."""
    membership = actor.seller_membership
    if not membership.is_admin:
        raise ApplicationError(
            "Only the seller's admin users can manage access tokens.",
            code=ErrorCode.NOT_ALLOWED,
            status_code=403,
        )
    if valid_until <= timezone.now():
        raise ValidationError({"valid_until": ["Must be in the future."]})
    return _issue_seller_token(
        membership=membership,
        kind=SellerAccessToken.Kind.ACCESS,
        note=note,
        valid_until=valid_until,
    )


@transaction.atomic
def seller_access_token_revoke(*, actor, token: SellerAccessToken) -> SellerAccessToken:
    """Irreversible: the token's validity ends now and every later call with it fails."""
    if not actor.seller_membership.is_admin:
        raise ApplicationError(
            "Only the seller's admin users can manage access tokens.",
            code=ErrorCode.NOT_ALLOWED,
            status_code=403,
        )
    if token.revoked_at is None:
        now = timezone.now()
        token.revoked_at = now
        token.valid_until = min(token.valid_until, now)
        token.save(update_fields=["revoked_at", "valid_until"])
    return token
