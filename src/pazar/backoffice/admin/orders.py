"""The operator's order page: the order's items with their status, its sellers' packages with
their history, its claims and refunds, and the addresses, on one page (orders, fulfilment and
claims together, so the back office's). The list flags orders with oversold lines."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from pazar.backoffice import labels
from pazar.backoffice import orders as backoffice
from pazar.orders.admin import OrderAdmin as OrdersOrderAdmin
from pazar.orders.models import Order, OrderItem


def _oversold():
    return Exists(OrderItem.objects.filter(order=OuterRef("pk"), oversold=True))


class OversoldFilter(admin.SimpleListFilter):
    title = _("oversold lines")
    parameter_name = "oversold"

    def lookups(self, request, model_admin):
        return [("yes", _("With oversold lines")), ("no", _("Without oversold lines"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_oversold=self.value() == "yes")
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """The order's status in words (Omnitron's code beside it), not the code's machine name."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(code, f"{label} ({code})") for code, label in labels.ORDER_ITEM_STATUS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


admin.site.unregister(Order)


@admin.register(Order)
class OrderAdmin(OrdersOrderAdmin):
    list_display = [
        "number", "channel", "status_label", "amount", "currency", "date_placed", "is_send",
        "oversold",
    ]  # fmt: skip
    list_filter = [StatusFilter, "is_send", OversoldFilter, "channel"]
    list_select_related = ["channel"]
    inlines = []  # the items are on the overview above the order's fields
    change_form_before_template = "backoffice/orders/admin_order.html"

    # Orders change through the Omnitron API and the sellers' packages (their services): the
    # page reads them, and no form here writes an order.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        # The status in words in the status's place; the read-only fields already end with it.
        fields = []
        for name in super().get_fields(request, obj):
            name = "status_label" if name == "status" else name
            if name not in fields:
                fields.append(name)
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status_label"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_oversold=_oversold())

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, order):
        return f"{labels.order_item_status(order.status)} ({order.status})"

    @admin.display(description=_("oversold"), boolean=True, ordering="has_oversold")
    def oversold(self, order):
        return order.has_oversold

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        if order is not None:
            extra_context = {**(extra_context or {}), "overview": backoffice.order_overview(order)}
        return super().change_view(request, object_id, form_url, extra_context)
