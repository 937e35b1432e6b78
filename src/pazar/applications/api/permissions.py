from rest_framework.permissions import BasePermission

from pazar.accounts.permissions import OperatorModelPermissions

VIEW_AND_CHANGE = ["%(app_label)s.view_%(model_name)s", "%(app_label)s.change_%(model_name)s"]


class ProxySecretPermissions(OperatorModelPermissions):
    """Reading or rotating an application's signing key takes `change_application`."""

    perms_map = {method: VIEW_AND_CHANGE for method in OperatorModelPermissions.perms_map}


class CanUseAppProxy(BasePermission):
    """Any method through the proxy takes `applications.view_application`.

    Pazar decides who may reach an application; the application decides what that operator may
    do there, from the signed `X-Pazar-User-Id`.
    """

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("applications.view_application")
