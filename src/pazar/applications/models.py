"""Applications that extend the platform (omnitron.md §3) and their permission trees.

An application is registered by an operator: a sales channel, an extension, a UI plugin. When
`is_proxy_available` is on, `/api/v1/app_proxy/{id}/…` forwards to `config.web_url` (see
`pazar.applications.proxy`) with a signature made with the application's `proxy_secret`.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pazar.applications.error_codes import ErrorCode


class ApplicationType(models.TextChoices):
    OMS = "oms"
    INSTORE = "instore"
    COMMERCE = "commerce"
    ZERO = "zero"
    LIVE_COMMERCE = "live-commerce"
    LIVE_COMMERCE_LANDING_PAGE = "live-commerce-landing-page"
    OMNITRON_FRONTEND = "omnitron-frontend"
    SALES_CHANNEL = "sales-channel"
    BI_TOOL = "bi-tool"
    INTEGRATOR = "integrator"
    UI_PROTOCOL = "ui-protocol"
    INVOICER = "invoicer"
    EXTENSION = "extension"
    SELLER_CENTER_BE = "seller_center_be"
    SELLER_CENTER_FE = "seller_center_fe"
    CARGO_EXTENSION = "cargo_extension"
    B2B_EXTENSION = "b2b_extension"
    INTEGRATION = "integration"


class VisibleType(models.TextChoices):
    """How the Omnitron UI shows an application (meaningful for `ui-protocol` ones)."""

    FULLPAGE = "fullpage"
    PLUGIN = "plugin"
    EMPTY = "empty"


_http_url = URLValidator(schemes=["http", "https"])


def config_errors(config) -> dict[str, list[str]]:
    """What is wrong with an application's `config`: `{key: [message]}`, empty when it is valid.

    `config` is free JSON (an object, or null); only its known keys have rules.
    """
    if config is None:
        return {}
    if not isinstance(config, dict):
        return {"non_field_errors": ["Expected a JSON object or null."]}
    errors = {}
    web_url = config.get("web_url")
    if web_url is not None:
        try:
            if not isinstance(web_url, str):
                raise ValidationError("not a string")
            _http_url(web_url)
        except ValidationError:
            errors["web_url"] = ["Enter a valid http(s) URL."]
    visible_type = config.get("visible_type")
    if visible_type is not None and visible_type not in VisibleType.values:
        errors["visible_type"] = [f'"{visible_type}" is not a valid choice.']
    client_path = config.get("client_path")
    if client_path is not None and not isinstance(client_path, str):
        errors["client_path"] = ["Not a valid string."]
    return errors


def validate_config(config) -> None:
    errors = config_errors(config)
    if errors:
        raise ValidationError(
            [f"{key}: {message}" for key, messages in errors.items() for message in messages]
        )


def new_proxy_secret() -> str:
    return secrets.token_hex(32)


class Application(models.Model):
    name = models.CharField(max_length=100, verbose_name=_("name"))
    application_type = models.CharField(
        max_length=32, choices=ApplicationType.choices, verbose_name=_("application type")
    )
    config = models.JSONField(
        null=True,
        blank=True,
        default=dict,
        validators=[validate_config],
        help_text=_('Free JSON; known keys: "web_url", "client_path", "visible_type".'),
        verbose_name=_("config"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    remote_object_id = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("remote object ID")
    )
    # A user id kept as a plain number, as Omnitron shows it: any id a client sends is accepted
    # (the seed's example sends 5), and the record outlives the user.
    created_by = models.BigIntegerField(
        null=True, blank=True, db_index=True, verbose_name=_("created by")
    )
    is_visible = models.BooleanField(default=False, verbose_name=_("is visible"))
    is_proxy_available = models.BooleanField(default=False, verbose_name=_("is proxy available"))
    related_application_id = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        help_text=_("The ACC extension id."),
        verbose_name=_("related application ID"),
    )
    proxy_secret = models.CharField(
        max_length=64,
        default=new_proxy_secret,
        editable=False,
        help_text=_("Key of the X-Pazar-Signature HMAC on app-proxy requests."),
        verbose_name=_("proxy secret"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application_type__in=ApplicationType.values),
                name="application_type_known",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def web_url(self) -> str:
        config = self.config if isinstance(self.config, dict) else {}
        web_url = config.get("web_url")
        return web_url if isinstance(web_url, str) else ""


class ApplicationPermission(models.Model):
    """A named permission of an application, in a tree (a menu and its buttons, say).

    `parent` is a permission of the same application; deleting a permission deletes its subtree.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="permissions",
        verbose_name=_("application"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(max_length=255, verbose_name=_("name"))
    path = models.CharField(max_length=1024, blank=True, verbose_name=_("path"))
    label = models.CharField(
        max_length=100, blank=True, help_text=_('e.g. "update"'), verbose_name=_("label")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("application permission")
        verbose_name_plural = _("application permissions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.name}"

    def clean(self) -> None:
        problem = tree_problem(application_id=self.application_id, parent=self.parent, node=self)
        if problem:
            raise ValidationError({"parent": ValidationError(problem[0], code=problem[1])})


def tree_problem(
    *,
    application_id: int,
    parent: ApplicationPermission | None,
    node: ApplicationPermission | None = None,
) -> tuple[str, str] | None:
    """Why `parent` cannot be `node`'s parent in application `application_id`: (message, code)."""
    if parent is None:
        return None
    if parent.application_id != application_id:
        return (
            "The parent must be a permission of the same application.",
            ErrorCode.PERMISSION_PARENT_APPLICATION,
        )
    if node is None or node.pk is None:
        return None
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.pk not in seen:  # `seen`: never loop forever
        seen.add(ancestor.pk)
        if ancestor.pk == node.pk:
            return (
                "A permission cannot be placed under itself or one of its descendants.",
                ErrorCode.PERMISSION_CYCLE,
            )
        ancestor = ancestor.parent
    return None
