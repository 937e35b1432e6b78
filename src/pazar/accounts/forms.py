from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled

from pazar.accounts import logins, services
from pazar.core.admin import AuthenticationForm, UserChangeForm
from pazar.core.errors import ApplicationError


class ThrottledAdminAuthenticationForm(AuthenticationForm):
    """The admin's login form (the theme's, with its styled boxes), limited like the API
    logins (pazar.accounts.logins): per account and per client address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many sign-in attempts. Try again later."),
    }

    def clean(self):
        try:
            return logins.guarded_login(
                name=str(self.data.get("username", "")),
                address=self.request.META.get("REMOTE_ADDR", "") if self.request else "",
                by="username",
                attempt=super().clean,
            )
        except Throttled:
            raise ValidationError(self.error_messages["throttled"], code="throttled") from None


class OperatorUserChangeForm(UserChangeForm):
    """The admin's user form: refuses what the users API refuses (deactivating oneself, losing
    the last active superuser), as a form error carrying the API's code. `actor` is set by
    the admin for each request."""

    actor = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.actor is not None:
            try:
                services.operator_user_change_check(
                    actor=self.actor,
                    user=self.instance,
                    is_active=cleaned.get("is_active", self.instance.is_active),
                    is_superuser=cleaned.get("is_superuser", self.instance.is_superuser),
                )
            except ApplicationError as exc:
                raise ValidationError(str(exc.detail), code=exc.get_codes()) from None
        return cleaned
