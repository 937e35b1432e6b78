"""Writes of applications and their permission trees."""

from django.db import transaction

from pazar.applications.error_codes import ErrorCode
from pazar.applications.models import (
    Application,
    ApplicationPermission,
    VisibleType,
    new_proxy_secret,
    tree_problem,
)
from pazar.core.services import field_error, model_update

APPLICATION_FIELDS = [
    "name",
    "application_type",
    "config",
    "is_active",
    "remote_object_id",
    "created_by",
    "is_visible",
    "is_proxy_available",
    "related_application_id",
]
PERMISSION_FIELDS = ["application", "parent", "name", "path", "label"]

# Tells "the client did not send this field" from an explicit null.
_NOT_GIVEN = object()


def normalized_config(config):
    """An object config always names its `visible_type` (`empty` unless given); null stays null."""
    if isinstance(config, dict) and "visible_type" not in config:
        return {**config, "visible_type": VisibleType.EMPTY.value}
    return config


@transaction.atomic
def application_create(
    *,
    actor,
    name: str,
    application_type: str,
    config=_NOT_GIVEN,
    is_active: bool = True,
    remote_object_id: int | None = None,
    created_by=_NOT_GIVEN,
    is_visible: bool = False,
    is_proxy_available: bool = False,
    related_application_id: str | None = None,
) -> Application:
    """Register an application; `created_by` is the caller's id unless the client sends one.

    Without `config` the application gets `{"visible_type": "empty"}`; an explicit null stays.
    """
    return Application.objects.create(
        name=name,
        application_type=application_type,
        config=normalized_config({} if config is _NOT_GIVEN else config),
        is_active=is_active,
        remote_object_id=remote_object_id,
        created_by=actor.pk if created_by is _NOT_GIVEN else created_by,
        is_visible=is_visible,
        is_proxy_available=is_proxy_available,
        related_application_id=related_application_id,
    )


@transaction.atomic
def application_update(*, application: Application, data: dict) -> Application:
    if "config" in data:
        data = {**data, "config": normalized_config(data["config"])}
    model_update(instance=application, fields=APPLICATION_FIELDS, data=data)
    return application


@transaction.atomic
def application_deactivate(*, application: Application) -> Application:
    """Omnitron's DELETE: the application stays, inactive (and so unreachable by the proxy)."""
    model_update(instance=application, fields=["is_active"], data={"is_active": False})
    return application


@transaction.atomic
def application_proxy_secret_rotate(*, application: Application) -> Application:
    """A new signing key; requests signed with the old one stop verifying at once."""
    model_update(
        instance=application, fields=["proxy_secret"], data={"proxy_secret": new_proxy_secret()}
    )
    return application


# --- permission trees -----------------------------------------------------------------------


def _check_permission_tree(
    *,
    application: Application,
    parent: ApplicationPermission | None,
    permission: ApplicationPermission | None = None,
) -> None:
    problem = tree_problem(application_id=application.pk, parent=parent, node=permission)
    if problem:
        raise field_error("parent", *problem)


@transaction.atomic
def application_permission_create(
    *,
    application: Application,
    name: str,
    path: str = "",
    label: str = "",
    parent: ApplicationPermission | None = None,
) -> ApplicationPermission:
    _check_permission_tree(application=application, parent=parent)
    return ApplicationPermission.objects.create(
        application=application, parent=parent, name=name, path=path, label=label
    )


@transaction.atomic
def application_permission_update(
    *, permission: ApplicationPermission, data: dict
) -> ApplicationPermission:
    application = data.get("application", permission.application)
    parent = data.get("parent", permission.parent)
    if application.pk != permission.application_id and permission.children.exists():
        raise field_error(
            "application",
            "A permission with children cannot move to another application.",
            ErrorCode.PERMISSION_HAS_CHILDREN,
        )
    _check_permission_tree(application=application, parent=parent, permission=permission)
    model_update(instance=permission, fields=PERMISSION_FIELDS, data=data)
    return permission


@transaction.atomic
def application_permission_delete(*, permission: ApplicationPermission) -> None:
    """Its descendants are deleted with it."""
    permission.delete()
