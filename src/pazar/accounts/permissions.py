from rest_framework.permissions import BasePermission, DjangoModelPermissions

from pazar.accounts.models import SellerAccessToken
from pazar.accounts.selectors import is_seller_user, model_permissions_load


class IsOperator(BasePermission):
    """A marketplace operator: an active staff user who is not a seller user."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and not is_seller_user(user))


class OperatorModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included (`view_<model>` for GET)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        """DRF's check, the user's permissions read first by SQL compiled once (where the
        method requires any)."""
        if request.user and self.perms_map.get(request.method):
            model_permissions_load(request.user)
        return super().has_permission(request, view)


class IsSellerUser(BasePermission):
    """Called with a seller access token; `request.auth.seller` is the caller's seller."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, SellerAccessToken)


class UserModelPermissions(OperatorModelPermissions):
    """DELETE of a user deactivates it, a change: it needs `change_user`, not `delete_user`."""

    perms_map = {
        **OperatorModelPermissions.perms_map,
        "DELETE": ["%(app_label)s.change_%(model_name)s"],
    }
