"""Every write of the accounts domain: logins, tokens, sellers, Omnitron users and groups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pazar.accounts import logins, selectors, tokens
from pazar.accounts.error_codes import ErrorCode
from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership
from pazar.accounts.selectors import is_seller_user
from pazar.core.errors import ApplicationError
from pazar.core.services import model_update

User = get_user_model()

INVALID_CREDENTIALS = "Unable to log in with provided credentials."


def _invalid_credentials() -> ValidationError:
    return ValidationError(
        {"non_field_errors": [INVALID_CREDENTIALS]}, code=ErrorCode.INVALID_CREDENTIALS
    )


def operator_login(*, username: str, password: str, address: str = "") -> Token:
    """Omnitron / Whippy Ware login: the operator's token, created on first login.

    The same key is returned on every login (as Akinon clients expect: several processes of
    one integration share an account). Seller users cannot log in here. Limited per account
    and per client `address` (pazar.accounts.logins): a refused attempt raises `Throttled`.
    """
    return logins.guarded_login(
        name=username,
        address=address,
        by="username",
        attempt=lambda: _operator_login(username=username, password=password),
    )


@transaction.atomic
def _operator_login(*, username: str, password: str) -> Token:
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


@transaction.atomic
def user_login_reset(*, user, password: str, email: str) -> None:
    """Give a user this password and email and let them log in again (`pazar demo`'s seller).

    No password validators: the demo's password is `demo`."""
    user.set_password(password)
    user.email = email
    user.is_active = True
    user.save(update_fields=["password", "email", "is_active"])


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


def seller_session_obtain(
    *, email: str, password: str, address: str = ""
) -> tuple[SellerAccessToken, str]:
    """Seller Center `POST /api/i1/token/obtain/` and the panel's sign-in: email + password →
    a session token. Limited per account and per client `address` (pazar.accounts.logins): a
    refused attempt raises `Throttled`."""
    return logins.guarded_login(
        name=email,
        address=address,
        by="email",
        attempt=lambda: _seller_session_obtain(email=email, password=password),
    )


@transaction.atomic
def _seller_session_obtain(*, email: str, password: str) -> tuple[SellerAccessToken, str]:
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


@transaction.atomic
def seller_session_end(*, token: SellerAccessToken) -> None:
    """Sign out: a login session (never an integration's access token) stops working now."""
    if token.kind != SellerAccessToken.Kind.SESSION:
        raise ValidationError("Only a login session can be ended by signing out.")
    now = timezone.now()
    SellerAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, valid_until=now
    )


# --- Omnitron users, groups and permissions -----------------------------------------------
#
# Whoever may change users or groups could otherwise hand themselves any right, so a
# non-superuser manages only users and groups whose permissions they hold themselves, and
# only a superuser grants superuser status or changes a superuser.

USER_FIELDS = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]


def _forbidden(message: str) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.NOT_ALLOWED, status_code=403)


def _permissions(field: str, names: Iterable[str]) -> list[Permission]:
    """The permissions named `app_label.codename`; a 400 names each one that does not exist."""
    names = list(dict.fromkeys(names))
    found = selectors.permissions_by_name(names)
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        f'Unknown permission "{name}".', code=ErrorCode.UNKNOWN_PERMISSION
                    )
                    for name in unknown
                ]
            }
        )
    return [found[name] for name in names]


def _names(permissions: Iterable[Permission]) -> set[str]:
    return {selectors.permission_name(permission) for permission in permissions}


def _check_may_grant(*, actor, permissions: set[str], what: str) -> None:
    if actor.is_superuser:
        return
    beyond = permissions - selectors.effective_permissions(actor)
    if beyond:
        raise _forbidden(
            f"Only a superuser can manage {what} holding permissions you do not hold: "
            f"{', '.join(sorted(beyond))}."
        )


def _check_may_manage_user(
    *, actor, user: User | None, is_superuser: bool, groups, permissions
) -> None:
    """`groups` and `permissions` are what the user will hold once changed."""
    if actor.is_superuser:
        return
    if is_superuser or (user is not None and user.is_superuser):
        raise _forbidden("Only a superuser can grant superuser status or change a superuser.")
    held = _names(permissions)
    for group in groups:
        held |= _names(group.permissions.select_related("content_type"))
    if user is not None:
        held |= selectors.effective_permissions(user)
    _check_may_grant(actor=actor, permissions=held, what="users")


# --- who keeps Omnitron usable ----------------------------------------------------------------
#
# Someone must always be able to manage the users: the last active superuser cannot be
# deactivated, deleted or demoted, and an operator does not deactivate or delete themselves
# (another operator does it, so that a slip or a stolen session cannot lock an account out
# alone). Both rules hold for the API and the admin.

LAST_SUPERUSER_MESSAGE = (
    "At least one active superuser must remain: make another user an active superuser first."
)
SELF_MESSAGE = "You cannot deactivate or delete your own account; another operator can."


def _check_keeps_an_active_superuser(*, losing: set[int]) -> None:
    """Refuse when the users `losing` their active-superuser standing are all that is left.

    Every active superuser's row is locked (in pk order) first, so two operators demoting the
    last two superusers at the same moment are served one after the other, and the second is
    refused (PostgreSQL re-reads a row it waited for; SQLite transactions are IMMEDIATE).
    """
    if not losing:
        return
    active = set(
        User.objects.select_for_update()
        .filter(is_active=True, is_superuser=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if active & losing and not active - losing:
        raise ApplicationError(
            LAST_SUPERUSER_MESSAGE, code=ErrorCode.LAST_ACTIVE_SUPERUSER, status_code=409
        )


def _check_not_self(*, actor, users: Iterable) -> None:
    if any(user.pk == actor.pk for user in users):
        raise ApplicationError(SELF_MESSAGE, code=ErrorCode.SELF_DEACTIVATION, status_code=403)


def operator_user_change_check(*, actor, user, is_active: bool, is_superuser: bool) -> None:
    """Raise `ApplicationError` when `user` (as stored) may not become `is_active` /
    `is_superuser`: their own deactivation by `actor`, or the last active superuser lost.

    Call it inside the transaction that writes the change (it locks the superusers' rows).
    """
    stored = User.objects.filter(pk=user.pk).values("is_active", "is_superuser").first()
    if stored is None:
        return
    if stored["is_active"] and not is_active:
        _check_not_self(actor=actor, users=[user])
    if stored["is_active"] and stored["is_superuser"] and not (is_active and is_superuser):
        _check_keeps_an_active_superuser(losing={user.pk})


def operator_users_delete_check(*, actor, users: Iterable) -> None:
    """Raise `ApplicationError` when deleting `users` would delete `actor` or every active
    superuser. Call it inside the transaction that deletes them."""
    users = list(users)
    _check_not_self(actor=actor, users=users)
    _check_keeps_an_active_superuser(losing={user.pk for user in users})


@transaction.atomic
def operator_users_delete(*, actor, users: Iterable) -> int:
    """Delete users for good (the admin's delete); refused as `operator_users_delete_check`
    says. Returns how many users were deleted."""
    users = list(users)
    operator_users_delete_check(actor=actor, users=users)
    _, per_model = User.objects.filter(pk__in=[user.pk for user in users]).delete()
    return per_model.get(User._meta.label, 0)


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _check_email_free(email: str, *, user=None) -> None:
    if (
        email
        and User.objects.filter(email__iexact=email).exclude(pk=getattr(user, "pk", None)).exists()
    ):
        raise ValidationError(
            {"email": [f'The email "{email}" is taken.']}, code=ErrorCode.EMAIL_TAKEN
        )


@transaction.atomic
def operator_user_create(
    *,
    actor,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_active: bool = True,
    is_staff: bool = True,
    is_superuser: bool = False,
    groups: Iterable[Group] = (),
    user_permissions: Iterable[str] = (),
) -> User:
    """An Omnitron user (a staff user unless told otherwise) with a validated password."""
    groups = list(groups)
    permissions = _permissions("user_permissions", user_permissions)
    _check_may_manage_user(
        actor=actor, user=None, is_superuser=is_superuser, groups=groups, permissions=permissions
    )
    email = User.objects.normalize_email(email.strip())
    _check_email_free(email)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(groups)
    user.user_permissions.set(permissions)
    return user


@transaction.atomic
def operator_user_update(*, actor, user, data: dict) -> User:
    """Change an Omnitron user; `groups` and `user_permissions`, when given, replace theirs.

    A deactivated user's token is deleted, and so is the token of a user whose password
    changes: whoever held the old password must log in again.
    """
    groups = list(data["groups"]) if "groups" in data else list(user.groups.all())
    if "user_permissions" in data:
        permissions = _permissions("user_permissions", data["user_permissions"])
    else:
        permissions = list(user.user_permissions.all())
    _check_may_manage_user(
        actor=actor,
        user=user,
        is_superuser=data.get("is_superuser", False),
        groups=groups,
        permissions=permissions,
    )
    operator_user_change_check(
        actor=actor,
        user=user,
        is_active=data.get("is_active", user.is_active),
        is_superuser=data.get("is_superuser", user.is_superuser),
    )
    was_active = user.is_active
    if "email" in data:
        data = {**data, "email": User.objects.normalize_email(data["email"].strip())}
        _check_email_free(data["email"], user=user)
    for field in [*USER_FIELDS, "is_superuser"]:
        if field in data:
            setattr(user, field, data[field])
    if "password" in data:
        _check_password(data["password"], user)
        user.set_password(data["password"])
    user.full_clean(exclude=["password"])
    user.save()
    if "groups" in data:
        user.groups.set(groups)
    if "user_permissions" in data:
        user.user_permissions.set(permissions)
    if (was_active and not user.is_active) or "password" in data:
        Token.objects.filter(user=user).delete()
    return user


def operator_user_deactivate(*, actor, user) -> User:
    """DELETE of a user: the account stays (and stays listed) but can no longer be used.

    Refused for the caller's own account and for the last active superuser."""
    return operator_user_update(actor=actor, user=user, data={"is_active": False})


@transaction.atomic
def group_create(*, actor, name: str, permissions: Iterable[str] = ()) -> Group:
    resolved = _permissions("permissions", permissions)
    _check_may_grant(actor=actor, permissions=_names(resolved), what="groups")
    group = Group(name=name.strip())
    group.full_clean()
    group.save()
    group.permissions.set(resolved)
    return group


@transaction.atomic
def group_update(*, actor, group: Group, data: dict) -> Group:
    """Rename a group or replace its permissions; its users gain or lose them at once."""
    held = _names(group.permissions.select_related("content_type"))
    resolved = None
    if "permissions" in data:
        resolved = _permissions("permissions", data["permissions"])
        held |= _names(resolved)
    _check_may_grant(actor=actor, permissions=held, what="groups")
    if "name" in data:
        group.name = data["name"].strip()
        group.full_clean()
        group.save()
    if resolved is not None:
        group.permissions.set(resolved)
    return group


@transaction.atomic
def group_delete(*, actor, group: Group) -> None:
    """Its users lose the group's permissions (the users themselves stay)."""
    _check_may_grant(
        actor=actor,
        permissions=_names(group.permissions.select_related("content_type")),
        what="groups",
    )
    group.delete()
