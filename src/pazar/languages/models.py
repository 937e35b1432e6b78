from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

language_code_validator = RegexValidator(
    r"^[a-z]{2,3}-[a-z]{2}$", "Enter a code of the form <ISO-639>-<ISO-3166>, such as en-us."
)


class Language(models.Model):
    """A language the marketplace offers; its code keys `translations` and `Accept-Language`."""

    code = models.CharField(max_length=10, unique=True, validators=[language_code_validator])
    name = models.CharField(max_length=100)
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_language"
            )
        ]

    def __str__(self) -> str:
        return self.code
