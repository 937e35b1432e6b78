from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pazar.backoffice import labels

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class SignInForm(forms.Form):
    email = forms.CharField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


def _default_valid_until():
    return (timezone.now() + timedelta(days=90)).strftime(DATETIME_LOCAL)


class AccessTokenForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("What the token is for, e.g. the integration that uses it."),
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until (UTC)"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        initial=_default_valid_until,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The seller sees it."),
    )


class ProductFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Approval"),
        required=False,
        choices=[("", _("All"))] + [(k, v) for k, v in labels.APPROVAL_STATUS.items()],
    )
    q = forms.CharField(label=_("SKU or name"), required=False, max_length=255)


class BatchFilterForm(forms.Form):
    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + [(k, v) for k, v in labels.BATCH_STATUS.items()],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
