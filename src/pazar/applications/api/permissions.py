from pazar.accounts.permissions import OperatorModelPermissions

VIEW_AND_CHANGE = ["%(app_label)s.view_%(model_name)s", "%(app_label)s.change_%(model_name)s"]


class ProxySecretPermissions(OperatorModelPermissions):
    """Reading or rotating an application's signing key takes `change_application`."""

    perms_map = {method: VIEW_AND_CHANGE for method in OperatorModelPermissions.perms_map}
