from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

language_code_validator = RegexValidator(
    r"^[a-z]{2,3}-[a-z]{2}$", "Enter a code of the form <ISO-639>-<ISO-3166>, such as en-us."
)


class Language(models.Model):
    """A language the marketplace offers; its code keys `translations` and `Accept-Language`."""

    code = models.CharField(
        max_length=10, unique=True, validators=[language_code_validator], verbose_name=_("code")
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    is_default = models.BooleanField(default=False, verbose_name=_("is default"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_language"
            )
        ]

    def __str__(self) -> str:
        return self.code
