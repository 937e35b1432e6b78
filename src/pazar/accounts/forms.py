from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pazar.api.throttling import login_attempt_allowed


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, limited like the API logins: per username and per address."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": _("Too many sign-in attempts. Wait a minute and try again."),
    }

    def clean(self):
        allowed = login_attempt_allowed(
            address=self.request.META.get("REMOTE_ADDR", "") if self.request else "",
            username=str(self.data.get("username", "")),
        )
        if not allowed:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()
