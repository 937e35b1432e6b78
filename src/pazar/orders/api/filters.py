import django_filters

from pazar.api.filters import CODE_LOOKUPS, TEXT_LOOKUPS, IsoDateTimeFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import RelatedPk, sort_filter
from pazar.orders.models import CargoCompany, Order, OrderItem


class CargoCompanyFilter(OmnitronFilterSet):
    sort = sort_filter("name")

    class Meta:
        model = CargoCompany
        fields = {
            "name": TEXT_LOOKUPS,
            "erp_code": CODE_LOOKUPS,
            "shipping_company": CODE_LOOKUPS,
            "is_active": ["exact"],
        }


CHANNEL, ORDER = RelatedPk("channel"), RelatedPk("order")


class OrderFilter(OmnitronFilterSet):
    channel = CHANNEL.exact()
    channel_id = CHANNEL.exact()
    date_placed__gte = IsoDateTimeFilter(field_name="date_placed", lookup_expr="gte")
    date_placed__lte = IsoDateTimeFilter(field_name="date_placed", lookup_expr="lte")
    oversold = django_filters.BooleanFilter(method="_oversold", help_text="Has oversold items.")
    sort = sort_filter("number", "date_placed")

    class Meta:
        model = Order
        fields = {
            "number": ["exact", "in"],
            "status": ["exact", "in"],
            "is_send": ["exact"],
            "cancel_status": ["exact"],
        }

    def _oversold(self, queryset, name, value):
        with_oversold = OrderItem.objects.filter(oversold=True).values("order_id")
        if value:
            return queryset.filter(pk__in=with_oversold)
        return queryset.exclude(pk__in=with_oversold)


class OrderItemFilter(OmnitronFilterSet):
    order = ORDER.exact()
    order__in = ORDER.any_of()
    product = RelatedPk("product").exact()
    sort = sort_filter()

    class Meta:
        model = OrderItem
        fields = {"status": ["exact", "in"], "oversold": ["exact"], "cancel_status": ["exact"]}
