from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pazar.backoffice import labels
from pazar.orders.models import CargoCompany

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
    live = forms.ChoiceField(
        label=_("In the catalog"), required=False, choices=[("", _("All")), *labels.LIVE.items()]
    )
    review = forms.ChoiceField(
        label=_("Last change"),
        required=False,
        choices=[("", _("All")), *labels.APPROVAL_STATUS.items()],
    )
    q = forms.CharField(label=_("SKU or name"), required=False, max_length=255)


class BatchFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *labels.BATCH_STATE.items()],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# --- Whippy Ware's rule builder -------------------------------------------------------------


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    subtract_reservations = forms.BooleanField(
        label=_("Subtract reservations"),
        required=False,
        initial=True,
        help_text=_("Of the providers that hold stock back for open orders."),
    )
    global_safety_stock = forms.IntegerField(
        label=_("Global safety stock"),
        min_value=0,
        initial=0,
        help_text=_("Held back from the SKU's total."),
    )
    min = forms.IntegerField(
        label=_("Minimum"),
        min_value=0,
        initial=0,
        help_text=_("A figure below it counts as 0."),
    )
    sku = forms.CharField(label=_("Preview for SKU"), required=False, max_length=255)


class BlockForm(forms.Form):
    """One block of a rule: which rows it takes, and what it holds back at each location."""

    use = forms.BooleanField(label=_("Use this block"), required=False)
    providers = forms.MultipleChoiceField(
        label=_("Providers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every provider."),
    )
    locations = forms.MultipleChoiceField(
        label=_("Locations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every location."),
    )
    safety_stock = forms.IntegerField(
        label=_("Safety stock per location"), min_value=0, initial=0, required=False
    )

    def __init__(self, *args, providers=(), locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].choices = providers
        self.fields["locations"].choices = locations


BlockFormSet = forms.formset_factory(BlockForm, extra=0)


# --- sellers' packages ----------------------------------------------------------------------


class PackageFilterForm(forms.Form):
    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *labels.PACKAGE_STATUS.items()],
    )
    q = forms.CharField(
        label=_("Package, order or tracking number"), required=False, max_length=128
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ShipForm(forms.Form):
    shipping_company = forms.ModelChoiceField(
        label=_("Shipping company"),
        queryset=CargoCompany.objects.filter(is_active=True),
        empty_label=None,
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=256)
    tracking_url = forms.URLField(
        label=_("Tracking address (URL)"), max_length=512, required=False, assume_scheme="https"
    )
    waybill_number = forms.CharField(label=_("Waybill number"), max_length=128, required=False)


class InvoiceForm(forms.Form):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=64)
    invoice_date = forms.DateTimeField(
        label=_("Invoice date (UTC)"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        initial=lambda: timezone.now().strftime(DATETIME_LOCAL),
    )
    invoice_url = forms.URLField(
        label=_("Invoice address (URL)"), max_length=2048, required=False, assume_scheme="https"
    )


class ItemsForm(forms.Form):
    """Units of chosen items: a number field per live item (`units-<item number>`), 0 = none."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"units-{item.number}"] = forms.IntegerField(
                label=item.number,
                min_value=0,
                max_value=item.order_item.quantity,
                required=False,
                initial=0,
            )

    def chosen(self) -> list[dict]:
        """`[{"item": number, "quantity": units}]` for the items given some units."""
        return [
            {"item": item.number, "quantity": self.cleaned_data[f"units-{item.number}"]}
            for item in self.items
            if self.cleaned_data.get(f"units-{item.number}")
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Choose at least one unit of an item."))
        return cleaned


class RejectItemsForm(ItemsForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


# --- claims ---------------------------------------------------------------------------------


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *labels.CLAIM_STATUS.items()]
    )


class ClaimDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
