"""The products' page: a product with its prices, stocks and proposed changes, and the approval
actions. It composes catalog, pricing and inventory, so it lives in the back office."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pazar.backoffice import labels
from pazar.catalog import services
from pazar.catalog.admin import ProductRevisionInline
from pazar.catalog.models import Product
from pazar.core.admin import ModelAdmin
from pazar.inventory.admin import ProductStockInline
from pazar.pricing.admin import ProductPriceInline


class RejectProductsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The seller sees it."),
    )


def _products(count: int) -> str:
    return ngettext("%(count)d product", "%(count)d products", count) % {"count": count}


class LiveFilter(admin.SimpleListFilter):
    """Whether the product is in the catalog, apart from how its last change was reviewed."""

    title = gettext_lazy("in the catalog")
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return list(labels.LIVE.items())

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(approved=self.value() == "yes")
        return queryset


class LastChangeFilter(admin.SimpleListFilter):
    title = gettext_lazy("last change")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return list(labels.APPROVAL_STATUS.items())

    def queryset(self, request, queryset):
        if self.value() in labels.APPROVAL_STATUS:
            return queryset.filter(approval_status=self.value())
        return queryset


@admin.register(Product)
class ProductAdmin(ModelAdmin):
    list_display = [
        "sku",
        "name",
        "seller",
        "live",
        "last_change",
        "is_active",
        "updated_at",
    ]
    list_filter = [LiveFilter, LastChangeFilter, "product_type", "seller"]
    list_select_related = ["seller"]
    search_fields = ["sku", "name"]
    raw_id_fields = ["catalog_product", "parent", "group_products"]
    # Approval changes only through the actions below, which apply pending revisions.
    readonly_fields = [
        "uuid",
        "approved",
        "approval_status",
        "rejection_reason",
        "productization_date",
        "created_at",
        "updated_at",
    ]
    inlines = [ProductPriceInline, ProductStockInline, ProductRevisionInline]

    @admin.display(description=gettext_lazy("in the catalog"), boolean=True, ordering="approved")
    def live(self, product) -> bool:
        return product.approved

    @admin.display(description=gettext_lazy("last change"), ordering="approval_status")
    def last_change(self, product) -> str:
        return labels.approval_status(product.approval_status)

    actions = ["approve_selected", "reject_selected"]

    @admin.action(description=gettext_lazy("Approve selected products"), permissions=["change"])
    def approve_selected(self, request, queryset):
        products = list(queryset)
        approved = services.products_approve(products=products, actor=request.user)
        self._report(
            request,
            _("Approved %(products)s.") % {"products": _products(approved)},
            len(products) - approved,
        )

    @admin.action(description=gettext_lazy("Reject selected products"), permissions=["change"])
    def reject_selected(self, request, queryset):
        """Asks for the reason on an intermediate page, then rejects."""
        form = RejectProductsForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            products = list(queryset)
            rejected = services.products_reject(
                products=products, actor=request.user, reason=form.cleaned_data["reason"]
            )
            self._report(
                request,
                _("Rejected %(products)s.") % {"products": _products(rejected)},
                len(products) - rejected,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject selected products"),
            "opts": self.model._meta,
            "products": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalog/product/reject_selected.html", context)

    def _report(self, request, message: str, skipped: int) -> None:
        if skipped:
            message += " " + ngettext(
                "%(count)d product was not waiting for approval any more.",
                "%(count)d products were not waiting for approval any more.",
                skipped,
            ) % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS)

    # The catalog search index follows what operators edit and delete here too.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.search_index_refresh(product_ids=[form.instance.pk])

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk = obj.pk
            super().delete_model(request, obj)
            services.search_index_refresh(product_ids=[pk])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            services.search_index_refresh(product_ids=ids)
