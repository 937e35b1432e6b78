from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Prefetch, Q, QuerySet
from rest_framework.authtoken.models import Token

from pazar.accounts import tokens
from pazar.accounts.models import SellerAccessToken
from pazar.core.prepared import PreparedLookup, PreparedQuery


def is_seller_user(user) -> bool:
    return hasattr(user, "seller_membership")


_USER_TOKEN = PreparedLookup(
    lambda key: Token.objects.select_related("user", "user__seller_membership").filter(key=key),
    str,
)


def user_token_for_key(key: str) -> Token | None:
    """The user token with this key, its user and the user's seller membership loaded (one
    statement, read on every Omnitron request: its SQL is compiled once), or None."""
    return _USER_TOKEN.get(key)


_SELLER_TOKEN = PreparedLookup(
    lambda digest: SellerAccessToken.objects.select_related(
        "seller", "user", "user__seller_membership"
    ).filter(key_digest=digest),
    str,
)


def seller_token_for_key(key: str) -> SellerAccessToken | None:
    """The token with this key (active or not), with its seller, its user and the user's seller
    membership loaded, or None: one statement by its unique digest, read on every Seller Center
    request (its SQL is compiled once)."""
    return _SELLER_TOKEN.get(tokens.digest(key))


def _model_permissions(source: str) -> PreparedQuery:
    """Django's ModelBackend's own query of a user's `source` ("user" or "group") permissions."""

    def build(pk):
        perms = getattr(ModelBackend(), f"_get_{source}_permissions")(get_user_model()(pk=pk))
        return perms.values_list("content_type__app_label", "codename").order_by()

    return PreparedQuery(build, int)


_USER_PERMISSIONS = _model_permissions("user")
_GROUP_PERMISSIONS = _model_permissions("group")
_MODEL_BACKEND = ["django.contrib.auth.backends.ModelBackend"]


def model_permissions_load(user) -> None:
    """Read an operator's model permissions ahead of `user.has_perms()`, as Django's
    ModelBackend reads them (its two statements, kept in its caches on the user object), their
    SQL compiled once: every Omnitron request of an operator who is not a superuser asks."""
    if (
        settings.AUTHENTICATION_BACKENDS != _MODEL_BACKEND
        or not user.is_active
        or user.is_anonymous
        or user.is_superuser  # `has_perm` answers without reading them
        or hasattr(user, "_perm_cache")
    ):
        return
    user._user_perm_cache = {f"{app}.{name}" for app, name in _USER_PERMISSIONS.all(user.pk)}
    user._group_perm_cache = {f"{app}.{name}" for app, name in _GROUP_PERMISSIONS.all(user.pk)}
    user._perm_cache = {*user._user_perm_cache, *user._group_perm_cache}


def token_holder_may_act(token: SellerAccessToken) -> bool:
    """Whether the token's user may still act for its seller: both active, and the user still
    a member of that seller (removing or moving a user ends their tokens at once)."""
    membership = getattr(token.user, "seller_membership", None)
    return (
        token.user.is_active
        and token.seller.is_active
        and membership is not None
        and membership.seller_id == token.seller_id
    )


def seller_access_token_list(*, seller) -> QuerySet[SellerAccessToken]:
    return SellerAccessToken.objects.filter(seller=seller, kind=SellerAccessToken.Kind.ACCESS)


# --- Omnitron users, groups and permissions -----------------------------------------------


def operator_user_list() -> QuerySet:
    """Omnitron's users: every user but seller users, who belong to the Seller Center."""
    return (
        get_user_model()
        .objects.filter(seller_membership__isnull=True)
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("pk")),
            "user_permissions__content_type",
        )
        .order_by("pk")
    )


def group_list() -> QuerySet[Group]:
    return Group.objects.prefetch_related("permissions__content_type").order_by("pk")


def permission_list() -> QuerySet[Permission]:
    return Permission.objects.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename"
    )


def permission_name(permission: Permission) -> str:
    """`app_label.codename`, the name `user.has_perm()` takes."""
    return f"{permission.content_type.app_label}.{permission.codename}"


def permissions_by_name(names: Iterable[str]) -> dict[str, Permission]:
    """The permissions that exist among `app_label.codename` names, keyed by name."""
    wanted: dict[str, set[str]] = {}
    for name in names:
        app_label, _, codename = name.partition(".")
        if codename:
            wanted.setdefault(app_label, set()).add(codename)
    if not wanted:
        return {}
    query = Q()
    for app_label, codenames in wanted.items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return {permission_name(p): p for p in permission_list().filter(query)}


def effective_permissions(user) -> set[str]:
    """Every `app_label.codename` the user holds, directly or through a group.

    A superuser holds every permission. An inactive user's are computed all the same: the
    question is what the account would be able to do, not what it can do right now.
    """
    if user.is_superuser:
        return {permission_name(p) for p in permission_list()}
    direct = Permission.objects.filter(user=user)
    via_groups = Permission.objects.filter(group__user=user)
    return {
        permission_name(p) for p in (direct | via_groups).select_related("content_type").distinct()
    }
